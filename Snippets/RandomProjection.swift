// The shared core in a few lines: read MNIST, draw a seeded Gaussian matrix
// from GSL, multiply with OpenBLAS, and write the result as a NumPy file.

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file: the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import EnergyCore
import EnergyFormats

// 10,000 MNIST test digits: a 10000 × 784 Float matrix with values in [0, 1].
let mnist = dataFolder + "/mnist/"
let images = try DataMatrix.load(mnist + "t10k-images-idx3-ubyte.gz")
// A seeded GSL stream (mt19937): the same numbers on every machine.
let random = RandomSource(seed: 42)
var projection = Matrix<Float>(rows: 784, columns: 16)
random.fillGaussian(&projection.storage, sigma: 0.1)
// One sgemm: (10000 × 784) · (784 × 16).
var features = Matrix<Float>(rows: images.rows, columns: 16)
features.multiply(images, projection)
// An .npy file that numpy.load reads as it is, written atomically.
let output = NSTemporaryDirectory() + "features.npy"
try NumpyArray(features).write(to: output)
print("wrote \(features.rows) × \(features.columns) features to \(output)")
