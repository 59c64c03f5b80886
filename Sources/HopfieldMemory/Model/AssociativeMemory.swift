import EnergyCore
import Foundation

/// An associative memory of bipolar patterns: a Hopfield network (Hopfield 1982) or a dense
/// associative memory (Krotov & Hopfield 2016), with its stored patterns.
///
/// For the pairwise rules the state z ∈ {−1, +1}ᴺ has the Lyapunov energy
///
///     E(z) = −½ Σ_ij w_ij z_i z_j − Σ_j x_j z_j + Σ_j T_j z_j
///
/// with symmetric weights, w_ii = 0, thresholds T and external input x. For the dense memory,
/// E(z) = −Σ_μ F(ξ^μ · z); with the exponential F the toolkit reports the monotone transform
/// E(z) = −log Σ_μ exp(ξ^μ · z), which has the same minima and no overflow.
public struct AssociativeMemory: Sendable {
    /// The learning rule.
    public let rule: LearningRule
    /// Number of neurons N.
    public let neurons: Int
    /// The stored patterns, P × N.
    public private(set) var patterns: PatternSet
    /// The weights w_ij (N × N) for the pairwise rules; empty (0 × 0) for the dense memory.
    public private(set) var weights: Matrix<Float>
    /// The thresholds T_j (zero by default).
    public var thresholds: [Float]
    /// For the projection rule, the rank of the stored patterns (< P when they are linearly dependent).
    public private(set) var rank: Int?

    /// An empty memory of `neurons` neurons.
    public init(neurons: Int, rule: LearningRule) {
        self.rule = rule
        self.neurons = neurons
        self.patterns = PatternSet(Matrix(rows: 0, columns: neurons))
        self.weights = Self.hasWeights(rule) ? Matrix(rows: neurons, columns: neurons) : Matrix(rows: 0, columns: 0)
        self.thresholds = [Float](repeating: 0, count: neurons)
    }

    /// A memory restored from its parts (see `HopfieldModelFile`).
    public init(rule: LearningRule, patterns: PatternSet, weights: Matrix<Float>, thresholds: [Float], rank: Int?) {
        self.rule = rule
        self.neurons = patterns.neurons
        self.patterns = patterns
        self.weights = weights
        self.thresholds = thresholds
        self.rank = rank
    }

    /// Whether the memory is a dense associative memory.
    public var isDense: Bool { if case .dense = rule { return true } else { return false } }

    /// Whether the memory is a modern Hopfield network (Ramsauer et al. 2020), recalled by
    /// `recallModern` with an inverse temperature β.
    public var isModern: Bool { rule == .modern }

    /// Whether a rule keeps a weight matrix: the pairwise rules do; the dense and modern memories
    /// keep only their patterns.
    public static func hasWeights(_ rule: LearningRule) -> Bool {
        switch rule {
        case .hebbian, .storkey, .pseudoinverse: return true
        case .dense, .modern: return false
        }
    }

    /// Stores more patterns. Hebb and Storkey add to the weights; the projection rule recomputes
    /// them from all stored patterns; the dense and modern memories keep the patterns themselves.
    ///
    /// - Throws: `ConfigurationError` naming `rule.degree` when the rule cannot be run (see
    ///   `LearningRule.validate()`); `InputError` naming `source` when the patterns have a different
    ///   number of neurons.
    public mutating func store(_ new: PatternSet, source: String = "patterns") throws {
        try ConfigurationError.nesting("rule") { try rule.validate() }
        guard new.neurons == neurons else {
            throw InputError(file: source, "patterns have \(new.neurons) neurons; the memory has \(neurons)")
        }
        guard new.count > 0 else { return }
        var all = patterns.values
        all = Matrix(rows: all.rows + new.count, columns: neurons, storage: all.storage + new.values.storage)
        patterns = PatternSet(all, shape: new.shape ?? patterns.shape)
        switch rule {
        case .hebbian: WeightRules.hebbian(&weights, adding: new.values)
        case .storkey: WeightRules.storkey(&weights, adding: new.values)
        case .pseudoinverse: rank = try WeightRules.projection(&weights, patterns: all)
        case .dense, .modern: break
        }
    }

    /// The energy of a state (see the type's documentation). For the modern memory it is the energy
    /// at β = 1; `modernEnergy(_:beta:)` takes any β.
    public func energy(_ state: [Float], input: [Float]? = nil) -> Double {
        precondition(state.count == neurons, "energy: state has \(state.count) neurons, memory has \(neurons)")
        switch rule {
        case .modern:
            return modernEnergy(state, beta: 1)
        case .dense(let f):
            let m = patterns.values.multiplied(by: state)
            return DenseDynamics.energy(overlaps: m.map(Double.init), f)
        default:
            let h = weights.multiplied(by: state)
            var e = 0.0
            for i in 0..<neurons {
                let x = Double(input?[i] ?? 0)
                e += -0.5 * Double(state[i]) * Double(h[i]) - x * Double(state[i]) + Double(thresholds[i]) * Double(state[i])
            }
            return e
        }
    }
}
