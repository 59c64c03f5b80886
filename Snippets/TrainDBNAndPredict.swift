// Pretrain a small deep belief network on MNIST digits, fine-tune it as a classifier,
// and predict the digits of held-out images.

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file so the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import DBN
import EnergyFormats

let images = try DataMatrix.load(dataFolder + "/mnist/train-images-idx3-ubyte.gz").rows(0..<1000)
let labels = Array(try DataMatrix.loadLabels(dataFolder + "/mnist/train-labels-idx1-ubyte.gz")[0..<1000])

// 784-32-32-10: two RBMs pretrained greedily (the top one joined to the labels), then the
// unrolled network fine-tuned by backpropagation; the last 200 digits choose the network kept.
let configuration = DBNTrainer.Configuration(
    pretraining: .init(layers: [32, 32], epochs: [10]),
    fineTuning: .init(epochs: 20, inputDropout: 0, hiddenDropout: 0),
    validationSplit: 200, seed: 7)
let model = try DBNTrainer(configuration: configuration).train(images, labels: labels)

// Class probabilities for 1,000 test digits, the most probable class of each, and the accuracy.
let test = try DataMatrix.load(dataFolder + "/mnist/t10k-images-idx3-ubyte.gz").rows(0..<1000)
let testLabels = Array(try DataMatrix.loadLabels(dataFolder + "/mnist/t10k-labels-idx1-ubyte.gz")[0..<1000])
let predicted = Classification.predictions(try model.probabilities(test))
print("first ten digits: predicted \(predicted.prefix(10)), labelled \(testLabels.prefix(10))")
print(String(format: "test accuracy %.3f", try model.evaluate(test, labels: testLabels).accuracy))
