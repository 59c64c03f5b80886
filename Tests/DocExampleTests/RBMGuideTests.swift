import EnergyCore
import EnergyFormats
import Foundation
import RBM
import Testing
import TestSupport

/// The example that opens docs/rbm.md, compiled and run.
@Suite("Guide examples: RBM")
struct RBMGuideTests {
    @Test("docs/rbm.md's example runs and is the text of the guide")
    func example() throws {
        let folder = TemporaryFolder()
        // example: rbm
        // 1,000 MNIST test digits, one 784-pixel image per row, with values in [0, 1].
        let digits = try DataMatrix.load(dataFolder + "/mnist/t10k-images-idx3-ubyte.gz").rows(0..<1000)
        // 16 hidden units, 2 epochs of (centred) PCD-3, seed 3: like scikit-learn's BernoulliRBM(n_components=16).fit(digits).
        let trainer = try RBMTrainer(hidden: 16, data: digits, configuration: .init(epochs: 2, seed: 3))
        try trainer.train(data: digits)
        // W, the biases and the settings, in an .npz that numpy.load reads as it is.
        try trainer.writeModel(to: folder.file("digits.npz"))
        // end of example
        let (model, metadata) = try RBMModelFile.read(folder.file("digits.npz"))
        #expect(model == trainer.model && model.visibleCount == 784 && model.hiddenCount == 16)
        #expect(metadata?.epochs == 2 && metadata?.training == RBMTrainer.Configuration(epochs: 2, seed: 3))
        let features = try model.transform(digits)
        #expect(features.rows == 1000 && features.columns == 16 && features.isFinite)
        #expect(try sourceExample(#filePath, named: "rbm") == guideExample("rbm.md", named: "rbm"))
    }
}
