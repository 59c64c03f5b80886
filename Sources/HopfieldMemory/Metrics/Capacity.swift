import EnergyCore
import Foundation

/// One point of a capacity curve.
public struct CapacityPoint: Sendable {
    /// The load α = P / N.
    public var load: Double
    /// The number of stored patterns P.
    public var patterns: Int
    /// The fraction of probes whose recall ends with overlap ≥ `CapacityExperiment.successOverlap`
    /// with the pattern they were made from.
    public var success: Double
    /// The mean final overlap with that pattern.
    public var meanOverlap: Double
    /// Number of probes recalled at this load.
    public var probes: Int

    public init(load: Double, patterns: Int, success: Double, meanOverlap: Double, probes: Int) {
        self.load = load
        self.patterns = patterns
        self.success = success
        self.meanOverlap = meanOverlap
        self.probes = probes
    }
}

/// The capacity experiment: store P random patterns in N neurons, recall each from a copy with a
/// fraction of its bits flipped, and measure how often recall succeeds as the load α = P/N grows.
///
/// For Hebb's rule the retrieval phase ends near α_c ≈ 0.138 (Amit, Gutfreund & Sompolinsky 1985).
public struct CapacityExperiment: Sendable {
    /// A recall succeeds when its final overlap with the original pattern is at least this.
    public static let successOverlap = 0.98

    public var neurons: Int
    public var rule: LearningRule
    /// Fraction of bits flipped in each probe.
    public var noise: Double
    /// Independent networks per load.
    public var trials: Int
    /// At most this many stored patterns are probed per network (all when P is smaller).
    public var probesPerNetwork: Int
    public var mode: RecallMode
    public var maxSweeps: Int

    public init(neurons: Int, rule: LearningRule, noise: Double = 0.1, trials: Int = 5, probesPerNetwork: Int = 100,
                mode: RecallMode = .asynchronous, maxSweeps: Int = 100) {
        self.neurons = neurons
        self.rule = rule
        self.noise = noise
        self.trials = trials
        self.probesPerNetwork = probesPerNetwork
        self.mode = mode
        self.maxSweeps = maxSweeps
    }

    /// The default loads to scan for a rule: up to about twice its expected capacity.
    public func defaultLoads() -> [Double] {
        switch rule {
        case .hebbian: return stride(from: 0.02, through: 0.26, by: 0.02).map { $0 }
        case .storkey: return stride(from: 0.05, through: 0.60, by: 0.05).map { $0 }
        case .pseudoinverse: return stride(from: 0.05, through: 0.95, by: 0.05).map { $0 }
        case .dense: return stride(from: 0.5, through: 4.0, by: 0.5).map { $0 }
        }
    }

    /// Measures the curve at each load.
    public func run(loads: [Double], random: RandomSource, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (any ProgressObserver)? = nil) throws -> [CapacityPoint] {
        var points: [CapacityPoint] = []
        progress?.begin("\(rule.name) capacity", total: loads.count * trials)
        defer { progress?.end() }
        for alpha in loads {
            let p = max(1, Int((alpha * Double(neurons)).rounded()))
            var successes = 0, probes = 0
            var overlapSum = 0.0
            for _ in 0..<trials {
                let stored = PatternSet.random(count: p, neurons: neurons, random: random)
                var memory = AssociativeMemory(neurons: neurons, rule: rule)
                try memory.store(stored)
                let tested = min(p, probesPerNetwork)
                let originals = PatternSet(stored.values.rows(0..<tested))
                let noisy = originals.corrupted(fraction: noise, random: random)
                let results = try memory.recall(noisy, mode: mode, maxSweeps: maxSweeps, random: random, threads: threads)
                for (r, result) in results.enumerated() {
                    let m = Double(result.state.dot(originals.pattern(r))) / Double(neurons)
                    overlapSum += m
                    if m >= Self.successOverlap { successes += 1 }
                }
                probes += tested
                progress?.advance(by: 1)
            }
            points.append(CapacityPoint(load: Double(p) / Double(neurons), patterns: p,
                                        success: Double(successes) / Double(probes),
                                        meanOverlap: overlapSum / Double(probes), probes: probes))
        }
        return points
    }

    /// The critical load: where the success rate falls through ½, interpolated linearly between the
    /// last load at or above ½ and the next one below. Nil when it never falls below ½ (the capacity
    /// lies beyond the loads scanned) or starts below ½.
    public static func criticalLoad(_ points: [CapacityPoint]) -> Double? {
        guard let first = points.first, first.success >= 0.5 else { return nil }
        for k in 1..<max(points.count, 1) where points[k].success < 0.5 {
            let a = points[k - 1], b = points[k]
            return a.load + (a.success - 0.5) / (a.success - b.success) * (b.load - a.load)
        }
        return nil
    }
}
