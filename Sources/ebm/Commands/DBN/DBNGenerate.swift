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
    @Option(help: "Samples.", transform: OptionRange.integer(1...10_000)) var count = 16
    @Option(help: "Gibbs steps in the top RBM.", transform: OptionRange.integer(1...100_000_000)) var steps = 1000
    @Option(help: "Image width (height = inputs / width).", transform: OptionRange.integer(1...1_000_000)) var width = 28
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The PNG to write.") var png: String

    func run() throws {
        try AtomicFile.checkOutput(png, isNotAnyOf: [model])
        let (m, _) = try DBNModelFile.read(model)
        guard let stack = m.stack else { throw InputError(file: model, "the model was trained with --no-pretrain and has no generative layers") }
        guard m.inputs % width == 0 else { throw ValidationError("--width: expected a divisor of the model's \(m.inputs) inputs, got \(width)") }
        let x = try ConfigurationFlags(["label": "--label", "count": "--count"]).map {
            try DBNSampler.samples(stack, label: label, count: count, steps: steps, random: RandomSource(seed: seed), source: model)
        }
        try GrayImage.grid(tiles: x, tileWidth: width, tileHeight: m.inputs / width, columns: min(count, 8), scale: 2).write(to: png)
        let faithful = try m.samplesClassified(as: label, x)
        print("wrote \(png): \(count) samples of class \(label) after \(steps) Gibbs steps; "
              + "the classifier assigns \(faithful) of \(count) to class \(label); "
              + String(format: "mean distance between two samples %.2f", SampleDiversity.meanPairwiseDistance(x)))
    }
}
