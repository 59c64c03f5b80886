// Train a small RBM on MNIST digits and measure its test log-likelihood, with
// the exact partition function (16 hidden units: 2¹⁶ states to sum over).

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file: the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import EnergyFormats
import RBM

// 2,000 training and 1,000 test digits: one row of 784 pixels in [0, 1] each.
let mnist = dataFolder + "/mnist/"
let train = try DataMatrix.load(mnist + "train-images-idx3-ubyte.gz").rows(0..<2000)
let test = try DataMatrix.load(mnist + "t10k-images-idx3-ubyte.gz").rows(0..<1000)

// PCD-1 with the default settings for 5 epochs, each reported as it ends.
let settings = RBMTrainer.Configuration(epochs: 5, seed: 3)
let trainer = try RBMTrainer(hidden: 16, data: train, configuration: settings)
try trainer.train(data: train) { report in
    print(String(format: "epoch %d: reconstruction error %.2f",
                 report.epoch, report.reconstructionError))
}

// mean(−F(v)) − log Z over the stochastically binarised test digits. For a
// large hidden layer, estimate log Z instead with
// .annealedImportanceSampling(runs: 100, temperatures: 14_500).
let result = try LogLikelihood.evaluate(trainer.model, data: test, method: .exact)
print(String(format: "log Z = %.2f, test log-likelihood %.2f nats per digit",
             result.logZ, result.averageLogLikelihood))
