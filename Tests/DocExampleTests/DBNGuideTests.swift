import DBN
import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport

/// The example that opens docs/dbn.md, compiled and run.
@Suite("Guide examples: DBN")
struct DBNGuideTests {
    @Test("docs/dbn.md's example trains a small DBN, predicts, and is the text of the guide")
    func example() throws {
        let folder = TemporaryFolder()
        // example: dbn
        // The first 1,000 MNIST training digits and their labels (0–9: ten classes).
        let images = try DataMatrix.load(dataFolder + "/mnist/train-images-idx3-ubyte.gz").rows(0..<1000)
        let labels = Array(try DataMatrix.loadLabels(dataFolder + "/mnist/train-labels-idx1-ubyte.gz")[0..<1000])
        // Two RBMs of 32 hidden units pretrained for 10 epochs each (the top one joined to the labels),
        // unrolled and fine-tuned for 20 epochs without dropout; the last 200 digits choose the network kept.
        let configuration = DBNTrainer.Configuration(
            pretraining: .init(layers: [32, 32], epochs: [10]),
            fineTuning: .init(epochs: 20, inputDropout: 0, hiddenDropout: 0),
            validationSplit: 200, seed: 7)
        let trainer = try DBNTrainer(configuration: configuration)
        let model = try trainer.train(images, labels: labels)
        try trainer.writeModel(to: folder.file("dbn.npz"))
        // The most probable digit for each of 1,000 test images, and the accuracy.
        let test = try DataMatrix.load(dataFolder + "/mnist/t10k-images-idx3-ubyte.gz").rows(0..<1000)
        let testLabels = Array(try DataMatrix.loadLabels(dataFolder + "/mnist/t10k-labels-idx1-ubyte.gz")[0..<1000])
        let predicted = Classification.predictions(try model.probabilities(test))
        let accuracy = try model.evaluate(test, labels: testLabels).accuracy
        // end of example
        #expect(predicted.count == 1000 && model.classes == 10 && model.classifier.sizes == [784, 32, 32, 10])
        #expect(Double(zip(predicted, testLabels).filter { $0 == $1 }.count) / 1000 == accuracy)
        // Well above chance (10%) and the majority class (11%): about 78% with these settings.
        #expect(accuracy > 0.6, "accuracy \(accuracy)")
        #expect(try DBNModelFile.read(folder.file("dbn.npz")).model.classifier == model.classifier)
        #expect(try sourceExample(#filePath, named: "dbn") == guideExample("dbn.md", named: "dbn"))
    }
}
