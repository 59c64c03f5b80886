/// How a batch of recalls went, against the stored pattern each probe was made from.
///
/// Every probe ends in exactly one of three ways: on its own pattern (`recalled`), on another stored
/// pattern (`wrongPattern`), or on a state that is no stored pattern (`spurious`: a mixture or
/// spin-glass state, a negation, or an unfinished recall).
public struct RecallScore: Equatable, Sendable {
    /// Probes scored.
    public var probes: Int
    /// Probes whose recall ended exactly on the pattern they were made from.
    public var recalled: Int
    /// Probes whose recall ended exactly on another stored pattern.
    public var wrongPattern: Int
    /// Probes whose recall ended on no stored pattern.
    public var spurious: Int
    /// The mean number of sweeps per probe.
    public var meanSweeps: Double

    /// Scores `results` against `targets`: probe k was made from stored pattern `targets[k]`.
    public init(_ results: [RecallResult], targets: [Int]) {
        probes = results.count
        recalled = zip(results, targets).filter { $0.outcome == .stored && $0.nearest == $1 }.count
        wrongPattern = zip(results, targets).filter { $0.outcome == .stored && $0.nearest != $1 }.count
        spurious = results.filter { $0.outcome != .stored }.count
        meanSweeps = Double(results.map(\.sweeps).reduce(0, +)) / Double(results.count)
    }
}
