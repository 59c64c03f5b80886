import EnergyCore

/// The separation function F of a dense associative memory (Krotov & Hopfield 2016).
public enum InteractionFunction: Equatable, Sendable, Codable {
    /// F(x) = xⁿ: capacity grows as N^(n−1) (Krotov & Hopfield 2016).
    case polynomial(degree: Int)
    /// F(x) = eˣ: capacity exponential in N (Demircigil et al. 2017).
    case exponential
}

/// How a memory turns patterns into a network.
public enum LearningRule: Equatable, Sendable, Codable {
    /// Hebb's rule, w_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, w_ii = 0 (Hopfield 1982). Capacity ≈ 0.138 N
    /// (Amit, Gutfreund & Sompolinsky 1985).
    case hebbian
    /// Storkey's incremental local rule (Storkey 1997), capacity ≈ N / √(2 ln N).
    case storkey
    /// The projection (pseudo-inverse) rule, W = Ξᵀ (Ξ Ξᵀ)⁺ Ξ (Personnaz, Guyon & Dreyfus 1985;
    /// Kanter & Sompolinsky 1987): every linearly independent pattern is a fixed point, up to P = N.
    case pseudoinverse
    /// A dense associative memory with energy E = −Σ_μ F(ξ^μ · σ) (Krotov & Hopfield 2016).
    case dense(InteractionFunction)
    /// The modern (continuous) Hopfield network of Ramsauer et al. (2020), energy
    /// E(ξ) = −β⁻¹ log Σ_μ exp(β x_μᵀ ξ) + ½ ξᵀξ + const: it keeps the patterns (no weights) and
    /// recalls by ξ ← X softmax(β Xᵀ ξ) (`AssociativeMemory.recallModern`), with β chosen at recall.
    case modern

    /// The rule's name as the command line spells it.
    public var name: String {
        switch self {
        case .hebbian: return "hebb"
        case .storkey: return "storkey"
        case .pseudoinverse: return "pseudoinverse"
        case .dense(.polynomial(let n)): return "dense-poly\(n)"
        case .dense(.exponential): return "dense-exp"
        case .modern: return "modern"
        }
    }

    /// The dense memory of degree n: F(x) = xⁿ, or the exponential F for degree 0.
    public static func dense(degree: Int) -> LearningRule {
        .dense(degree == 0 ? .exponential : .polynomial(degree: degree))
    }

    /// The rule of a name: `hebb` (or `hebbian`), `storkey`, `pseudoinverse` (or `pinv`,
    /// `projection`), `modern`, `dense` with a degree (polynomial; 0 means exponential), `dense-exp`, or
    /// `dense-polyN` with N ≥ 2 — every spelling `name` prints, and the memory file stores.
    public static func named(_ name: String, degree: Int = 3) -> LearningRule? {
        switch name.lowercased() {
        case "hebb", "hebbian": return .hebbian
        case "storkey": return .storkey
        case "pseudoinverse", "pinv", "projection": return .pseudoinverse
        case "dense": return .dense(degree: degree)
        case "dense-exp": return .dense(.exponential)
        case "modern": return .modern
        default:
            if name.hasPrefix("dense-poly"), let n = Int(name.dropFirst("dense-poly".count)), n >= 2 {
                return .dense(.polynomial(degree: n))
            }
            return nil
        }
    }

    /// Refuses a rule that cannot be run: a polynomial dense memory of degree below 2.
    ///
    /// - Throws: `ConfigurationError` naming `degree`; a configuration holding the rule in its field
    ///   `rule` reports `rule.degree`.
    public func validate() throws {
        if case .dense(.polynomial(let n)) = self, n < 2 {
            throw ConfigurationError(field: "degree", "expected a degree of at least 2 (or 0 for the exponential F), got \(n)")
        }
    }
}
