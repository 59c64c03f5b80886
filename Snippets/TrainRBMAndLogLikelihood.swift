// Train a small RBM on MNIST digits and measure its test log-likelihood with the exact
// partition function (16 hidden units: 2¹⁶ states to enumerate).

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file so the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import EnergyFormats
import RBM

// 2,000 training and 1,000 test digits, 784 pixels in [0, 1] per row.
let train = try DataMatrix.load(dataFolder + "/mnist/train-images-idx3-ubyte.gz").rows(0..<2000)
let test = try DataMatrix.load(dataFolder + "/mnist/t10k-images-idx3-ubyte.gz").rows(0..<1000)

// PCD-1 with the default settings, 5 epochs; every epoch reports its reconstruction error.
let trainer = try RBMTrainer(hidden: 16, data: train, configuration: .init(epochs: 5, seed: 3))
try trainer.train(data: train) { report in
    print(String(format: "epoch %d: reconstruction error %.2f", report.epoch, report.reconstructionError))
}

// mean(−F(v)) − log Z on stochastically binarised test digits, log Z summed over all 2¹⁶ hidden states.
// For large hidden layers, use method: .annealedImportanceSampling(runs: 100, temperatures: 14_500).
let result = try LogLikelihood.evaluate(trainer.model, data: test, method: .exact, seed: 1)
print(String(format: "log Z = %.2f, test log-likelihood %.2f nats per digit", result.logZ, result.averageLogLikelihood))
