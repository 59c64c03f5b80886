import EnergyCore
import Foundation

/// One temperature of an annealing run: what a trace of the run shows.
public struct AnnealingStep: Codable, Equatable, Sendable {
    /// The temperature T.
    public var temperature: Double
    /// The energy E(V) at the end of the temperature.
    public var energy: Double
    /// Neurons with V > 0.5.
    public var active: Int
    /// Mean |ΔV| over the neurons in the last sweep.
    public var meanChange: Double
    /// Sweeps made at this temperature.
    public var sweeps: Int

    public init(temperature: Double, energy: Double, active: Int, meanChange: Double, sweeps: Int) {
        self.temperature = temperature
        self.energy = energy
        self.active = active
        self.meanChange = meanChange
        self.sweeps = sweeps
    }
}

/// Mean-field annealing of the segment network (Peterson & Anderson 1987; Denby 1988;
/// Peterson 1989).
///
/// Each neuron follows its mean-field equation V_a = ½ (1 + tanh(H_a / T)), H_a = −∂E/∂V_a, while
/// T falls by the `AnnealingSchedule`: `iters_fixed_T` sweeps at most per temperature (fewer once a
/// sweep changes no V by more than `tolerance`), then T ← T / `mu_t`, down to `t_min`. The run stops
/// early once a sweep changes no V by more than `tolerance` and every neuron has decided
/// (V < 0.1 or V > 0.9).
///
/// The settings are a `Configuration`; the solver runs them on a network.
public struct MeanFieldAnnealing: Sendable {
    /// How the neurons are updated within a sweep.
    public enum Update: String, Codable, CaseIterable, Sendable {
        /// One neuron at a time, in a fresh GSL-random order each sweep, each seeing the latest V.
        case asynchronous
        /// All neurons from the previous sweep's V, damped: V ← d V_old + (1 − d) V_new.
        case synchronous
    }

    /// The settings of a mean-field run.
    public struct Configuration: Codable, Equatable, Sendable {
        /// The temperatures. Default T from 1 to 0.2, ÷1.3 per step (7 temperatures), at most 2
        /// sweeps each: the network orders between T ≈ 0.7 and 0.4 and is frozen below 0.3.
        public var schedule: AnnealingSchedule
        /// The update order. Default asynchronous.
        public var update: Update
        /// The damping d of synchronous updates. Default 0.5.
        public var damping: Double
        /// The convergence threshold ε on max |ΔV|. Default 0.01.
        public var tolerance: Double

        /// The default schedule: T from 1 to 0.2, ÷1.3 per step, at most 2 sweeps each.
        public static let defaultSchedule = AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.3, minimumTemperature: 0.2,
                                                              iterationsPerTemperature: 2)

        /// Settings with the defaults above, or the values given.
        public init(schedule: AnnealingSchedule = defaultSchedule, update: Update = .asynchronous, damping: Double = 0.5,
                    tolerance: Double = 0.01) {
            self.schedule = schedule
            self.update = update
            self.damping = damping
            self.tolerance = tolerance
        }

        /// Throws unless the settings are usable.
        ///
        /// - Throws: `ConfigurationError` naming the field, e.g. `damping` or `schedule.coolingFactor`.
        public func validate() throws {
            try ConfigurationError.nesting("schedule") { try schedule.validate() }
            guard damping >= 0, damping < 1 else { throw ConfigurationError(field: "damping", "expected a damping in [0, 1), found \(damping)") }
            guard tolerance > 0, tolerance.isFinite else { throw ConfigurationError(field: "tolerance", "expected ε > 0, found \(tolerance)") }
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

    /// Anneals `network` from V ≈ ½ (with a little noise from `random` to break ties) and returns
    /// the final activations and the trace. `observe` sees the state after every temperature.
    public func run(_ network: SegmentNetwork, random: RandomSource,
                    observe: ((Int, AnnealingStep, [Double]) -> Void)? = nil) -> (state: [Double], trace: [AnnealingStep]) {
        let n = network.count
        var v = (0..<n).map { _ in 0.5 + random.uniform(-0.01, 0.01) }
        var trace: [AnnealingStep] = []
        guard n > 0 else { return (v, trace) }
        var order = (0..<n).map(Int32.init)
        var next = [Double](repeating: 0, count: n)
        var sum = v.reduce(0, +)
        var (outgoing, incoming) = network.hitSums(v)
        let ends = (from: network.segments.map { Int($0.from) }, to: network.segments.map { Int($0.to) })
        var strips = network.stripSums(v)
        let stripEnds = (from: network.stripFrom.map { Int($0) }, to: network.stripTo.map { Int($0) })
        let packed = configuration.update == .asynchronous ? PackedNetwork(network) : nil
        let schedule = configuration.schedule, tolerance = configuration.tolerance
        for (index, t) in schedule.temperatures.enumerated() {
            var sweeps = 0, change = (largest: 0.0, total: 0.0)
            for _ in 0..<max(1, schedule.iterationsPerTemperature) {
                if configuration.update == .asynchronous { random.shuffle(&order) }
                change = v.withUnsafeMutableBufferPointer { pv in
                    outgoing.withUnsafeMutableBufferPointer { po in
                        incoming.withUnsafeMutableBufferPointer { pi in
                            strips.outgoing.withUnsafeMutableBufferPointer { pso in
                                strips.incoming.withUnsafeMutableBufferPointer { psi in
                                    let strip = StripSums(outgoing: pso, incoming: psi, ends: stripEnds)
                                    if let packed {
                                        return packed.sweep(at: t, v: pv, outgoing: po, incoming: pi, sum: &sum, order: order, strips: strip)
                                    } else {
                                        return synchronousSweep(network, at: t, v: pv, outgoing: po, incoming: pi, sum: &sum, next: &next,
                                                                ends: ends, strips: strip)
                                    }
                                }
                            }
                        }
                    }
                }
                sweeps += 1
                if change.largest < tolerance { break }
            }
            let step = AnnealingStep(temperature: t, energy: network.energy(v), active: v.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) },
                                     meanChange: change.total / Double(n), sweeps: sweeps)
            trace.append(step)
            observe?(index, step, v)
            if sweeps == 1, change.largest < tolerance, v.allSatisfy({ $0 < 0.1 || $0 > 0.9 }) { break }
        }
        return (v, trace)
    }

    /// The per-strip sums of the strip-exclusion term (`SegmentNetwork.stripSums`) and each neuron's
    /// strips, kept in step with V during a sweep.
    struct StripSums {
        let outgoing: UnsafeMutableBufferPointer<Double>, incoming: UnsafeMutableBufferPointer<Double>
        let ends: (from: [Int], to: [Int])

        /// Adds neuron a's change d to its strips' sums.
        @inline(__always) func add(_ d: Double, _ a: Int) {
            outgoing[ends.from[a]] += d
            incoming[ends.to[a]] += d
        }
    }

    /// The network's rows laid out for asynchronous sweeps in random order: each neuron's row start,
    /// length and hits in one record, and each connection's neighbour and weight side by side, so
    /// that an update touches few cache lines. The arithmetic is `SegmentNetwork.field`'s, term for
    /// term and in the same order, so the run is the same.
    struct PackedNetwork {
        struct Neuron { var start: Int, count: Int32, from: Int32, to: Int32 }
        struct Edge { var weight: Double, neighbour: Int }
        let neurons: [Neuron]
        let edges: [Edge]
        let alpha: Double, beta: Double, target: Double, gamma: Double
        let weight: [Double]

        init(_ network: SegmentNetwork) {
            var neurons: [Neuron] = []
            neurons.reserveCapacity(network.count)
            for a in network.segments.indices {
                neurons.append(Neuron(start: network.rowStart[a], count: Int32(network.rowStart[a + 1] - network.rowStart[a]),
                                      from: network.segments[a].from, to: network.segments[a].to))
            }
            self.neurons = neurons
            edges = zip(network.weights, network.neighbours).map { Edge(weight: $0, neighbour: Int($1)) }
            alpha = network.alpha
            gamma = network.stripPenalty
            weight = network.stripWeight
            beta = network.beta
            target = network.target
        }

        /// One asynchronous sweep in `order`; returns the largest and the total |ΔV|.
        func sweep(at t: Double, v: UnsafeMutableBufferPointer<Double>, outgoing o: UnsafeMutableBufferPointer<Double>,
                   incoming i: UnsafeMutableBufferPointer<Double>, sum: inout Double, order: [Int32],
                   strips: StripSums) -> (largest: Double, total: Double) {
            guard let p = v.baseAddress, let po = o.baseAddress, let pi = i.baseAddress else { return (0, 0) }
            let gamma = self.gamma
            var largest = 0.0, total = 0.0
            neurons.withUnsafeBufferPointer { nb in
                edges.withUnsafeBufferPointer { eb in
                    order.withUnsafeBufferPointer { ob in
                        guard let pn = nb.baseAddress, let pe = eb.baseAddress else { return }
                        for a32 in ob {
                            let a = Int(a32)
                            let n = pn[a]
                            var h = 0.0
                            var e = pe + n.start
                            for _ in 0..<Int(n.count) { h += e.pointee.weight * p[e.pointee.neighbour]; e += 1 }
                            let from = Int(n.from), to = Int(n.to)
                            var field = h - alpha * (po[from] + pi[to] - 2 * p[a]) - beta * (sum - target)
                            if gamma > 0 {
                                let sf = strips.ends.from[a], st = strips.ends.to[a]
                                field -= weight[sf] * (strips.outgoing[sf] - po[from]) + weight[st] * (strips.incoming[st] - pi[to])
                            }
                            let new = 0.5 * (1 + tanh(field / t))
                            let d = new - p[a]
                            sum += d
                            po[from] += d
                            pi[to] += d
                            if gamma > 0 { strips.add(d, a) }
                            p[a] = new
                            largest = max(largest, abs(d))
                            total += abs(d)
                        }
                    }
                }
            }
            return (largest, total)
        }
    }

    /// One synchronous sweep at temperature `t`: every neuron's new value from the previous V,
    /// damped, keeping Σ V (`sum`) and the per-hit and per-strip sums in step with V (asynchronous
    /// sweeps run on `PackedNetwork`). Returns the largest and the total |ΔV|.
    private func synchronousSweep(_ network: SegmentNetwork, at t: Double, v: UnsafeMutableBufferPointer<Double>,
                                  outgoing o: UnsafeMutableBufferPointer<Double>, incoming i: UnsafeMutableBufferPointer<Double>,
                                  sum: inout Double, next: inout [Double],
                                  ends: (from: [Int], to: [Int]), strips: StripSums) -> (largest: Double, total: Double) {
        guard let p = v.baseAddress, let po = o.baseAddress, let pi = i.baseAddress else { return (0, 0) }
        let pso = UnsafePointer(strips.outgoing.baseAddress), psi = UnsafePointer(strips.incoming.baseAddress)
        var largest = 0.0, total = 0.0
        let damping = configuration.damping
        for a in 0..<v.count {
            next[a] = 0.5 * (1 + tanh(network.field(a, p, outgoing: po, incoming: pi, sum: sum, stripOutgoing: pso, stripIncoming: psi) / t))
        }
        sum = 0
        for a in 0..<v.count {
            let new = damping * p[a] + (1 - damping) * next[a]
            let d = new - p[a]
            p[a] = new
            sum += new
            po[ends.from[a]] += d
            pi[ends.to[a]] += d
            strips.add(d, a)
            largest = max(largest, abs(d))
            total += abs(d)
        }
        return (largest, total)
    }
}


extension MeanFieldAnnealing.Configuration: DecodableOverDefaults {
    /// Decodes a document in which every field is optional: missing fields take the defaults of
    /// `init()` (old files and short hand-written ones decode); unknown fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: MeanFieldAnnealing.Configuration()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: MeanFieldAnnealing.Configuration) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schedule = try c.decode(forKey: .schedule, over: defaults.schedule)
        update = try c.decode(forKey: .update, over: defaults.update)
        damping = try c.decode(forKey: .damping, over: defaults.damping)
        tolerance = try c.decode(forKey: .tolerance, over: defaults.tolerance)
    }
}
