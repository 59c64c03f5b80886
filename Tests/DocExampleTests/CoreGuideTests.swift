import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport

/// The example that opens docs/core.md, compiled and run.
@Suite("Guide examples: core")
struct CoreGuideTests {
    @Test("docs/core.md's example runs and is the text of the guide")
    func example() throws {
        let folder = TemporaryFolder()
        // example: core
        // 10,000 MNIST test digits as a 10000 × 784 Float matrix with values in [0, 1].
        let images = try DataMatrix.load(dataFolder + "/mnist/t10k-images-idx3-ubyte.gz")
        // A seeded GSL stream: the same seed gives the same numbers on every machine.
        let random = RandomSource(seed: 42)
        var projection = Matrix<Float>(rows: 784, columns: 16)
        random.fillGaussian(&projection.storage, sigma: 0.01)
        // One OpenBLAS sgemm: 10000 × 784 times 784 × 16.
        var features = Matrix<Float>(rows: images.rows, columns: 16)
        features.multiply(images, projection)
        // A NumPy file that numpy.load reads as it is.
        try NumpyArray(features).write(to: folder.file("features.npy"))
        // end of example
        #expect(features.rows == 10_000 && features.isFinite)
        let back = try NumpyArray.read(folder.file("features.npy")).matrix(as: Float.self, file: "features.npy", what: "features")
        #expect(back == features)
        #expect(try sourceExample(#filePath, named: "core") == guideExample("core.md", named: "core"))
    }
}
