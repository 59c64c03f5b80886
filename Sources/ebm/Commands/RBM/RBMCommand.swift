import ArgumentParser
import EnergyCore
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
            guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] * parts[1] == visible else {
                throw InputError(file: "--shape", "expected HxW with H·W = \(visible) visible units, got '\(text)'")
            }
            return (parts[0], parts[1])
        }
        let side = Int(Double(visible).squareRoot().rounded())
        guard side * side == visible else {
            throw InputError(file: "--shape", "\(visible) visible units are not a square image; give --shape HxW")
        }
        return (side, side)
    }

    /// Throws unless every value is in [0, 1], as Bernoulli units need.
    static func checkUnitInterval(_ data: Matrix<Float>, file: String) throws {
        if let bad = data.storage.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw InputError(file: file, .record(bad / data.columns),
                             "value \(data.storage[bad]) in column \(bad % data.columns + 1) is outside [0, 1], which Bernoulli visible units need; "
                             + "rescale the data or use --visible-units gaussian")
        }
    }
}
