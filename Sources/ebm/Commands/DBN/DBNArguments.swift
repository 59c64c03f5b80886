import ArgumentParser
import DBN
import Foundation
import RBM

/// `--optimizer sgd|adam`.
extension OptimizerKind: ExpressibleByArgument {}

/// A layer's pretraining sampler, as `--pretrain-sampling` names it.
enum PretrainingSampler: String, CaseIterable, ExpressibleByArgument {
    /// Contrastive divergence, CD-k.
    case cd
    /// Persistent contrastive divergence with `pcdChains` chains.
    case pcd

    /// Persistent chains of `pcd`.
    static let pcdChains = 100

    /// The RBM module's sampling with `steps` Gibbs steps per update.
    func sampling(steps: Int) -> GibbsSampling {
        switch self {
        case .cd: .contrastiveDivergence(steps: steps)
        case .pcd: .persistent(chains: Self.pcdChains, steps: steps)
        }
    }
}

/// Options that take comma-separated values, such as `--layers 500,500,2000` or a per-layer
/// `--pretrain-lr 0.1,0.05,0.05`. One parser for all: items are trimmed of spaces, and an empty item
/// (`500,,500`, a trailing comma) is refused everywhere, so that a typo cannot silently change the
/// number of layers.
enum CommaList {
    /// The values of `text`, each checked by `parse`.
    ///
    /// - Throws: `ValidationError` (a usage error) naming the option, the item and what was expected.
    static func values<T>(_ text: String, option: String, expected: String, _ parse: (String) -> T?) throws -> [T] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try items.enumerated().map { k, item in
            guard let value = parse(item) else {
                throw ValidationError("\(option): expected \(expected)\(items.count > 1 ? " for layer \(k + 1)" : ""), got '\(item)'")
            }
            return value
        }
    }

    /// The values of a per-layer option: one value for every layer, or exactly one per layer.
    ///
    /// - Throws: `ValidationError` naming the option, for a wrong count or a value `parse` refuses.
    static func perLayer<T>(_ text: String, option: String, layers: Int, expected: String, _ parse: (String) -> T?) throws -> [T] {
        let values = try values(text, option: option, expected: expected, parse)
        guard values.count == 1 || values.count == layers else {
            throw ValidationError("\(option): expected one value or \(layers) (one per layer), got \(values.count) in '\(text)'")
        }
        return values.count == 1 ? Array(repeating: values[0], count: layers) : values
    }

    /// `text` as an integer ≥ 1, or nil.
    static func positiveInteger(_ text: String) -> Int? { Int(argument: text).flatMap { $0 > 0 ? $0 : nil } }
}
