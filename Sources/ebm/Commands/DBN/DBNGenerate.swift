import ArgumentParser
import DBN
import EnergyCore
import EnergyFormats
import Foundation

/// `ebm dbn generate`: class-conditional samples from the generative top layer.
struct DBNGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Sample images of one class from a DBN trained with its generative top layer.")

    @Option(help: "The model (.npz).") var model: String
    @Option(help: "The class to clamp.") var label: Int
    @Option(help: "Samples.") var count = 16
    @Option(help: "Gibbs steps in the top RBM.") var steps = 1000
    @Option(help: "Image width (height = inputs / width).") var width = 28
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The PNG to write.") var png: String

    func run() throws {
        try AtomicFile.checkOutput(png, isNotAnyOf: [model])
        guard count >= 1 else { throw InputError(file: "--count", "expected at least 1 sample, got \(count)") }
        let (m, _) = try DBNModelFile.read(model)
        guard let stack = m.stack else { throw InputError(file: model, "the model was trained with --no-pretrain and has no generative layers") }
        guard width > 0, m.inputs % width == 0 else { throw InputError(file: "--width", "expected a divisor of the \(m.inputs) inputs, got \(width)") }
        let x = try DBNGenerator.samples(stack, label: label, count: count, steps: steps, random: RandomSource(seed: seed), source: model)
        try GrayImage.grid(tiles: x, tileWidth: width, tileHeight: m.inputs / width, columns: min(count, 8), scale: 2).write(to: png)
        // How class-faithful the samples are, judged by the model's own fine-tuned classifier.
        let predicted = Classification.predictions(m.classifier.probabilities(x))
        let faithful = predicted.filter { $0 == label }.count
        print("wrote \(png): \(count) samples of class \(label) after \(steps) Gibbs steps; "
              + "the classifier assigns \(faithful) of \(count) to class \(label)")
    }
}
