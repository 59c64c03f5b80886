import EnergyCore

/// The second solver: binary neurons s_a ∈ {0, 1} minimising the same Denby–Peterson energy by
/// Metropolis simulated annealing through GSL's `gsl_siman_solve` (Kirkpatrick, Gelatt & Vecchi
/// 1983). A move flips one neuron drawn uniformly; its energy change is computed locally,
///
///     ΔE = −δ [Σ_b T_ab s_b − α (O_i − s_a + I_j − s_a)] + (β/2) (2δ (Σ s − N) + 1),   δ = ±1,
///
/// with the fork/join part of the field from the per-hit counts (see `SegmentNetwork`), so a step
/// costs the neuron's chain degree plus GSL's copy of the state.
///
/// The settings are a `Configuration`; the solver runs them on a network.
public struct BinaryAnnealing: Sendable {
    /// The settings of a simulated-annealing run.
    public struct Configuration: Codable, Equatable, Sendable {
        /// The schedule. `iters_fixed_T` counts single flips; the default gives every neuron of a
        /// 1000-neuron event about 20 tries per temperature. Default T from 1 to 0.01, ÷1.2 per step.
        public var schedule: AnnealingSchedule

        /// The default schedule: T from 1 to 0.01, ÷1.2 per step, 20,000 flips each.
        public static let defaultSchedule = AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.2, minimumTemperature: 0.01,
                                                              iterationsPerTemperature: 20_000)

        /// Settings with the default schedule, or the one given.
        public init(schedule: AnnealingSchedule = defaultSchedule) {
            self.schedule = schedule
        }

        /// Throws unless the schedule is usable.
        ///
        /// - Throws: `ConfigurationError` naming the field, e.g. `schedule.coolingFactor`.
        public func validate() throws {
            try ConfigurationError.nesting("schedule") { try schedule.validate() }
        }
    }

    /// The settings this solver runs.
    public let configuration: Configuration

    /// A solver for `configuration`.
    ///
    /// - Throws: `ConfigurationError` for unusable settings.
    public init(_ configuration: Configuration = Configuration()) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// A binary state with its cached energy.
    public struct State {
        public var spins: [UInt8]
        /// Per hit: segments on leaving it, and reaching it.
        public var outgoing: [Int32], incoming: [Int32]
        /// Per strip (at its representative hit, `SegmentNetwork.stripFrom`): segments on leaving, and reaching, its hits.
        public var stripOutgoing: [Int32], stripIncoming: [Int32]
        public var sum: Int
        public var energy: Double
    }

    struct Problem: AnnealingProblem {
        let network: SegmentNetwork
        func energy(of state: State) -> Double { state.energy }
        func move(_ state: inout State, stepSize: Double, random: RandomSource) {
            let n = state.spins.count
            guard n > 0 else { return }
            let a = random.integer(below: n)
            var h = 0.0
            for e in network.rowStart[a]..<network.rowStart[a + 1] {
                h += network.weights[e] * Double(state.spins[Int(network.neighbours[e])])
            }
            let s = network.segments[a], i = Int(s.from), j = Int(s.to)
            let on = Int32(state.spins[a])
            h -= network.alpha * Double(state.outgoing[i] - on + state.incoming[j] - on)
            let si = Int(network.stripFrom[a]), sj = Int(network.stripTo[a])
            h -= network.stripWeight[si] * Double(state.stripOutgoing[si] - state.outgoing[i])
                + network.stripWeight[sj] * Double(state.stripIncoming[sj] - state.incoming[j])
            let delta: Double = on == 0 ? 1 : -1
            state.energy += -delta * h + 0.5 * network.beta * (2 * delta * (Double(state.sum) - network.target) + 1)
            state.spins[a] = on == 0 ? 1 : 0
            state.sum += Int(delta)
            state.outgoing[i] += Int32(delta)
            state.incoming[j] += Int32(delta)
            state.stripOutgoing[si] += Int32(delta)
            state.stripIncoming[sj] += Int32(delta)
        }
    }

    /// Anneals from all neurons off and returns the best state's activations (0 or 1).
    public func run(_ network: SegmentNetwork, random: RandomSource) throws -> (state: [Double], energy: Double) {
        let zero = Array(repeating: 0.0, count: network.count)
        let none = [Int32](repeating: 0, count: network.hitCount)
        let start = State(spins: Array(repeating: 0, count: network.count), outgoing: none, incoming: none, stripOutgoing: none, stripIncoming: none, sum: 0, energy: network.energy(zero))
        let result = try SimulatedAnnealing.minimize(Problem(network: network), from: start, schedule: configuration.schedule, random: random)
        return (result.state.spins.map(Double.init), result.energy)
    }
}


extension BinaryAnnealing.Configuration: DecodableOverDefaults {
    /// Decodes a document in which every field is optional: missing fields take the defaults of
    /// `init()` (old files and short hand-written ones decode); unknown fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: BinaryAnnealing.Configuration()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: BinaryAnnealing.Configuration) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schedule = try c.decode(forKey: .schedule, over: defaults.schedule)
    }
}
