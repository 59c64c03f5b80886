import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm rbm transform`: hidden-unit features for a data set.
struct RBMTransform: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Write the mean hidden activations P(h = 1 | v) of each example as features (.npy).")

    @Option(help: "The model file.") var model: String
    @Option(help: "The data.") var data: String
    @Option(help: "The features file to write (.npy, float32, examples × hidden).") var out: String

    func run() throws {
        try AtomicFile.checkOutput(out, isNotAnyOf: [model, data])
        let (rbm, _) = try RBMModelFile.read(model)
        let features = try rbm.transform(DataMatrix.load(data), file: data)
        try NumpyArray(features).write(to: out)
        print("wrote \(features.rows)×\(features.columns) features to \(out)")
    }
}
