import EnergyCore
import Foundation

/// One temperature of an annealing run, as `--verbose` prints it.
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
}

/// Mean-field annealing of the segment network (Peterson & Anderson 1987; Denby 1988;
/// Peterson 1989).
///
/// Each neuron follows its mean-field equation V_a = ½ (1 + tanh(H_a / T)), H_a = −∂E/∂V_a, while
/// T falls by the `AnnealingSchedule`: `iters_fixed_T` sweeps at most per temperature (fewer once a
/// sweep changes no V by more than `tolerance`), then T ← T / `mu_t`, down to `t_min`. The run stops
/// early once a sweep changes no V by more than `tolerance` and every neuron has decided
/// (V < 0.1 or V > 0.9).
public struct MeanFieldAnnealing: Codable, Equatable, Sendable {
    /// How the neurons are updated within a sweep.
    public enum Update: String, Codable, CaseIterable, Sendable {
        /// One neuron at a time, in a fresh GSL-random order each sweep, each seeing the latest V.
        case asynchronous
        /// All neurons from the previous sweep's V, damped: V ← d V_old + (1 − d) V_new.
        case synchronous
    }

    /// The temperatures. Default T from 1 to 0.2, ÷1.3 per step (7 temperatures), at most 2
    /// sweeps each: the network orders between T ≈ 0.7 and 0.4 and is frozen below 0.3.
    public var schedule = AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.3, minimumTemperature: 0.2,
                                            iterationsPerTemperature: 2)
    /// The update order. Default asynchronous.
    public var update = Update.asynchronous
    /// The damping d of synchronous updates. Default 0.5.
    public var damping = 0.5
    /// The convergence threshold ε on max |ΔV|. Default 0.01.
    public var tolerance = 0.01

    public init() {}

    /// Throws unless the settings are usable.
    public func validate() throws {
        try schedule.validate()
        guard damping >= 0, damping < 1 else { throw InputError(file: "--damping", "expected a damping in [0, 1), found \(damping)") }
        guard tolerance > 0, tolerance.isFinite else { throw InputError(file: "--tolerance", "expected ε > 0, found \(tolerance)") }
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
        let from = network.segments.map { Int($0.from) }, to = network.segments.map { Int($0.to) }
        for (index, t) in schedule.temperatures.enumerated() {
            var sweeps = 0, maxChange = 0.0, totalChange = 0.0
            for _ in 0..<max(1, schedule.iterationsPerTemperature) {
                maxChange = 0
                totalChange = 0
                v.withUnsafeMutableBufferPointer { pv in
                outgoing.withUnsafeMutableBufferPointer { po in
                incoming.withUnsafeMutableBufferPointer { pi in
                    let p = pv.baseAddress!, o = po.baseAddress!, i = pi.baseAddress!
                    switch update {
                    case .asynchronous:
                        random.shuffle(&order)
                        for a32 in order {
                            let a = Int(a32)
                            let new = 0.5 * (1 + tanh(network.field(a, p, outgoing: o, incoming: i, sum: sum) / t))
                            let d = new - p[a]
                            sum += d
                            o[from[a]] += d
                            i[to[a]] += d
                            p[a] = new
                            maxChange = max(maxChange, abs(d))
                            totalChange += abs(d)
                        }
                    case .synchronous:
                        for a in 0..<n { next[a] = 0.5 * (1 + tanh(network.field(a, p, outgoing: o, incoming: i, sum: sum) / t)) }
                        sum = 0
                        for a in 0..<n {
                            let new = damping * p[a] + (1 - damping) * next[a]
                            let d = new - p[a]
                            p[a] = new
                            sum += new
                            o[from[a]] += d
                            i[to[a]] += d
                            maxChange = max(maxChange, abs(d))
                            totalChange += abs(d)
                        }
                    }
                }}}
                sweeps += 1
                if maxChange < tolerance { break }
            }
            let step = AnnealingStep(temperature: t, energy: network.energy(v), active: v.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) },
                                     meanChange: totalChange / Double(n), sweeps: sweeps)
            trace.append(step)
            observe?(index, step, v)
            if sweeps == 1, maxChange < tolerance, v.allSatisfy({ $0 < 0.1 || $0 > 0.9 }) { break }
        }
        return (v, trace)
    }
}
