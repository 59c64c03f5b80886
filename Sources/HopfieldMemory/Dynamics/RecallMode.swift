import EnergyCore

/// How the neurons are updated during recall.
public enum RecallMode: Equatable, Sendable, Codable {
    /// One neuron at a time, in a fresh random order each sweep (Hopfield 1982). The energy never
    /// rises, and the network stops at a fixed point.
    case asynchronous
    /// All neurons at once from the previous state (Little 1974). May end in a 2-cycle, which is
    /// detected and reported.
    case synchronous
    /// Glauber dynamics at temperature T (Glauber 1963): neuron i is set to +1 with probability
    /// 1 / (1 + exp(−2 drive_i / T)), T following the annealing schedule (`iters_fixed_T` sweeps per
    /// temperature), then a zero-temperature asynchronous quench to a fixed point. Thermal noise lets
    /// recall escape shallow spurious minima (Amit, Gutfreund & Sompolinsky 1985).
    case stochastic(AnnealingSchedule)

    /// The mode's name as the command line spells it.
    public var name: String {
        switch self {
        case .asynchronous: return "async"
        case .synchronous: return "sync"
        case .stochastic: return "stochastic"
        }
    }

    /// The mode of a name: `async` (or `asynchronous`), `sync` (or `synchronous`), or `stochastic`
    /// (or `glauber`), which anneals along `schedule`.
    public static func named(_ name: String, schedule: AnnealingSchedule = defaultSchedule) -> RecallMode? {
        switch name {
        case "async", "asynchronous": return .asynchronous
        case "sync", "synchronous": return .synchronous
        case "stochastic", "glauber": return .stochastic(schedule)
        default: return nil
        }
    }

    /// The annealing schedule of stochastic recall; nil for the deterministic modes.
    public var schedule: AnnealingSchedule? {
        if case .stochastic(let schedule) = self { return schedule }
        return nil
    }

    /// The default schedule for stochastic recall: T from 1.0 down to 0.05, ×0.8 per stage, 2 sweeps each.
    public static let defaultSchedule = AnnealingSchedule(initialTemperature: 1.0, coolingFactor: 1.25,
                                                          minimumTemperature: 0.05, iterationsPerTemperature: 2)

    /// Refuses a stochastic mode whose schedule would not end or make sense.
    ///
    /// - Throws: `ConfigurationError` naming `schedule.initialTemperature`, `schedule.coolingFactor`, …
    public func validate() throws {
        try ConfigurationError.nesting("schedule") { try schedule?.validate() }
    }
}
