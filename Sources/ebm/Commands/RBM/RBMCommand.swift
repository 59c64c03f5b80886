import ArgumentParser
import EnergyCore
import EnergyFormats
import RBM

/// `ebm rbm`: restricted Boltzmann machines.
struct RBMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbm",
        abstract: "Train RBMs by contrastive divergence, measure their log-likelihood, sample and inspect them.",
        subcommands: [RBMTrain.self, RBMLogLikelihood.self, RBMSample.self, RBMFilters.self, RBMTransform.self])
}

/// Helpers shared by the `ebm rbm` commands.
enum RBMCommandSupport {
    /// The image shape of a visible layer: `--shape HxW`, or a square when the size is one.
    static func imageShape(_ text: String?, visible: Int) throws -> (height: Int, width: Int) {
        if let text {
            let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0, Sizes.product(parts) == visible else {
                throw ValidationError("--shape: expected HxW with H·W = \(visible) visible units, got '\(text)'")
            }
            return (parts[0], parts[1])
        }
        let side = Int(Double(visible).squareRoot().rounded())
        guard side * side == visible else {
            throw ValidationError("--shape: the model's \(visible) visible units are not a square image; give --shape HxW")
        }
        return (side, side)
    }

    /// The examples of a data file, only the first `limit` when given.
    static func load(_ path: String, limit: Int?) throws -> Matrix<Float> {
        let x = try DataMatrix.load(path)
        guard let limit else { return x }
        return x.rows(0..<min(limit, x.rows))
    }
}
