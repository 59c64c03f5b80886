import EnergyCore
import Foundation

/// One point of a capacity curve.
public struct CapacityPoint: Equatable, Sendable, Codable {
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

/// A capacity curve: recall success against the load α = P/N, with the critical load where it
/// falls through ½.
public struct CapacityCurve: Equatable, Sendable, Codable {
    /// The points, in the order of the loads scanned.
    public var points: [CapacityPoint]

    public init(points: [CapacityPoint]) { self.points = points }

    /// The critical load α_c: where the success rate falls through ½, interpolated linearly between
    /// the last load at or above ½ and the next one below. Nil when it never falls below ½ (the
    /// capacity lies beyond the loads scanned) or starts below ½.
    public var criticalLoad: Double? {
        guard let first = points.first, first.success >= 0.5 else { return nil }
        for k in 1..<max(points.count, 1) where points[k].success < 0.5 {
            let a = points[k - 1], b = points[k]
            return a.load + (a.success - 0.5) / (a.success - b.success) * (b.load - a.load)
        }
        return nil
    }
}

/// The capacity experiment: store P random patterns in N neurons, recall each from a copy with a
/// fraction of its bits flipped, and measure how often recall succeeds as the load α = P/N grows.
///
/// For Hebb's rule the retrieval phase ends near α_c ≈ 0.138 (Amit, Gutfreund & Sompolinsky 1985).
/// The modern rule recalls in one update at the configuration's β, and its final state's sign is
/// compared with the original.
public struct CapacityExperiment: Sendable {
    /// A recall succeeds when its final overlap with the original pattern is at least this.
    public static let successOverlap = 0.98

    /// What the experiment stores, how it probes and recalls, and which loads it scans.
    public struct Configuration: Equatable, Sendable, Codable {
        /// Number of neurons N.
        public var neurons: Int
        public var rule: LearningRule
        /// Fraction of bits flipped in each probe, in [0, ½).
        public var noise: Double
        /// Independent networks per load.
        public var trials: Int
        /// At most this many stored patterns are probed per network (all when P is smaller).
        public var probesPerNetwork: Int
        public var mode: RecallMode
        public var maxSweeps: Int
        /// The loads α = P/N to scan (P = round(αN), at least 1); nil for the rule's default range,
        /// `CapacityExperiment.defaultLoads(for:)`.
        public var loads: [Double]?
        /// Seeds the one random stream that draws the patterns, the probes and the recall.
        public var seed: UInt64
        /// The inverse temperature β of the modern rule's one-step recall (`ModernRecallConfiguration`);
        /// `mode` and `maxSweeps` apply to the other rules.
        public var beta: Double

        public init(neurons: Int = 1000, rule: LearningRule = .hebbian, noise: Double = 0.1, trials: Int = 5,
                    probesPerNetwork: Int = 100, mode: RecallMode = .asynchronous, maxSweeps: Int = 100,
                    loads: [Double]? = nil, seed: UInt64 = 1, beta: Double = 1) {
            self.beta = beta
            self.neurons = neurons
            self.rule = rule
            self.noise = noise
            self.trials = trials
            self.probesPerNetwork = probesPerNetwork
            self.mode = mode
            self.maxSweeps = maxSweeps
            self.loads = loads
            self.seed = seed
        }

        /// The loads scanned: `loads`, or the rule's default range.
        public var scannedLoads: [Double] { loads ?? CapacityExperiment.defaultLoads(for: rule) }

        /// Refuses settings the experiment cannot run.
        ///
        /// - Throws: `ConfigurationError` naming the field: `neurons`, `rule.degree`, `noise`, `trials`,
        ///   `probesPerNetwork`, `mode.schedule.…`, `maxSweeps`, `beta` or `loads`.
        public func validate() throws {
            guard neurons >= 2 else { throw ConfigurationError(field: "neurons", "expected at least 2 neurons, got \(neurons)") }
            try ConfigurationError.nesting("rule") { try rule.validate() }
            guard noise.isFinite, noise >= 0, noise < 0.5 else {
                throw ConfigurationError(field: "noise", "expected a fraction of flipped bits in [0, 0.5), got \(noise)")
            }
            guard trials >= 1 else { throw ConfigurationError(field: "trials", "expected at least 1 network per load, got \(trials)") }
            guard probesPerNetwork >= 1 else {
                throw ConfigurationError(field: "probesPerNetwork", "expected at least 1 probe per network, got \(probesPerNetwork)")
            }
            try AssociativeMemory.validateRecall(mode: mode, maxSweeps: maxSweeps)
            try ModernRecallConfiguration(beta: beta).validate()
            let scan = scannedLoads
            guard !scan.isEmpty else { throw ConfigurationError(field: "loads", "expected at least one load") }
            if let bad = scan.first(where: { !($0 > 0 && $0 * Double(neurons) <= Self.maximumPatterns) }) {
                throw ConfigurationError(field: "loads", "expected loads α > 0 with αN at most \(Int(Self.maximumPatterns)) patterns, got \(bad)")
            }
        }

        /// The most patterns one network of the experiment may store.
        static let maximumPatterns = 10_000_000.0
    }

    public let configuration: Configuration

    /// An experiment that runs `configuration`.
    ///
    /// - Throws: `ConfigurationError` naming the field when the configuration is invalid.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The default loads to scan for a rule: up to about twice its expected capacity.
    public static func defaultLoads(for rule: LearningRule) -> [Double] {
        switch rule {
        case .hebbian: return stride(from: 0.02, through: 0.26, by: 0.02).map { $0 }
        case .storkey: return stride(from: 0.05, through: 0.60, by: 0.05).map { $0 }
        case .pseudoinverse: return stride(from: 0.05, through: 0.95, by: 0.05).map { $0 }
        case .dense: return stride(from: 0.5, through: 4.0, by: 0.5).map { $0 }
        case .modern: return [1, 2, 5, 10, 20, 50, 100]
        }
    }

    /// Measures the curve at each load, `trials` networks per load, drawing everything from one
    /// stream seeded with `configuration.seed`.
    ///
    /// - Parameters:
    ///   - threads: workers of each batch recall; the curve does not depend on them.
    ///   - progress: told of each network trained and recalled.
    public func run(threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (any ProgressObserver)? = nil) throws -> CapacityCurve {
        let c = configuration
        let loads = c.scannedLoads
        let random = RandomSource(seed: c.seed)
        progress?.begin("\(c.rule.name) capacity", total: loads.count * c.trials)
        defer { progress?.end() }
        var points: [CapacityPoint] = []
        for alpha in loads {
            let p = max(1, Int((alpha * Double(c.neurons)).rounded()))
            var successes = 0, probes = 0
            var overlapSum = 0.0
            for _ in 0..<c.trials {
                let overlaps = try trial(patterns: p, random: random, threads: threads)
                for m in overlaps {  // summed in probe order, one at a time
                    overlapSum += m
                    if m >= Self.successOverlap { successes += 1 }
                }
                probes += overlaps.count
                progress?.advance(by: 1)
            }
            points.append(CapacityPoint(load: Double(p) / Double(c.neurons), patterns: p,
                                        success: Double(successes) / Double(probes),
                                        meanOverlap: overlapSum / Double(probes), probes: probes))
        }
        return CapacityCurve(points: points)
    }

    /// One network: stores `p` random patterns, recalls up to `probesPerNetwork` of them from noisy
    /// copies, and returns the final overlap of each recall with its original pattern.
    private func trial(patterns p: Int, random: RandomSource, threads: Int) throws -> [Double] {
        let c = configuration
        let stored = PatternSet.random(count: p, neurons: c.neurons, random: random)
        var memory = AssociativeMemory(neurons: c.neurons, rule: c.rule)
        try memory.store(stored)
        let originals = PatternSet(stored.values.rows(0..<min(p, c.probesPerNetwork)))
        let noisy = originals.corrupted(fraction: c.noise, random: random)
        if memory.isModern {
            let results = try memory.recallModern(noisy.values, configuration: ModernRecallConfiguration(beta: c.beta), threads: threads)
            return results.enumerated().map { r, result in Double(result.pattern.dot(originals.pattern(r))) / Double(c.neurons) }
        }
        let results = try memory.recall(noisy, mode: c.mode, maxSweeps: c.maxSweeps, random: random, threads: threads)
        return results.enumerated().map { r, result in Double(result.state.dot(originals.pattern(r))) / Double(c.neurons) }
    }
}
