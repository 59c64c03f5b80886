// Pretrain a small deep belief network on MNIST digits, fine-tune it as a
// classifier, and predict the digits of held-out images.

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file: the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import DBN
import EnergyFormats

let mnist = dataFolder + "/mnist/"
let images = try DataMatrix.load(mnist + "train-images-idx3-ubyte.gz").rows(0..<1000)
let labels = Array(
    try DataMatrix.loadLabels(mnist + "train-labels-idx1-ubyte.gz")[..<1000])

// 784-32-32-10: two RBMs pretrained greedily (the top one joined to the
// labels), then the unrolled network fine-tuned by backpropagation. The last
// 200 digits are held out to choose the network kept.
let configuration = DBNTrainer.Configuration(
    pretraining: .init(layers: [32, 32], epochs: [10]),
    fineTuning: .init(epochs: 20, inputDropout: 0, hiddenDropout: 0),
    validationSplit: 200, seed: 7)
let model = try DBNTrainer(configuration: configuration).train(images, labels: labels)

// The class probabilities of 1,000 test digits, and the most probable class.
let test = try DataMatrix.load(mnist + "t10k-images-idx3-ubyte.gz").rows(0..<1000)
let truth = Array(
    try DataMatrix.loadLabels(mnist + "t10k-labels-idx1-ubyte.gz")[..<1000])
let predicted = Classification.predictions(try model.probabilities(test))
print("predicted \(predicted.prefix(10)), labelled \(truth.prefix(10))")
let accuracy = try model.evaluate(test, labels: truth).accuracy
print(String(format: "test accuracy %.3f", accuracy))
