/// What a recalled state is, relative to the stored patterns.
public enum RecallOutcome: String, Sendable {
    /// Exactly a stored pattern.
    case stored
    /// Exactly the negation of a stored pattern (also a minimum of the pairwise energy).
    case negation
    /// Neither: a spurious state (a mixture, a spin-glass state, or an unfinished recall).
    case spurious
}

/// The result of recalling one probe.
public struct RecallResult: Sendable {
    /// The final state, ±1.
    public var state: [Float]
    /// The energy before the first sweep and after each sweep.
    public var energies: [Double]
    /// Sweeps run (a synchronous step counts as one sweep).
    public var sweeps: Int
    /// Whether a fixed point was reached (a sweep with no flips).
    public var converged: Bool
    /// Whether synchronous dynamics ended in a 2-cycle.
    public var cycle: Bool
    /// The stored pattern with the largest |overlap| to the final state.
    public var nearest: Int
    /// The overlap m = (1/N) ξ^nearest · z, in [−1, 1]; negative when nearer the negation.
    public var overlap: Double
    /// The Hamming distance to the nearest pattern, or to its negation when `overlap` < 0.
    public var hamming: Int
    /// Whether the final state is a stored pattern, a negation, or spurious.
    public var outcome: RecallOutcome

    /// The final energy.
    public var energy: Double { energies.last ?? 0 }
}
