import Dispatch
import EnergyCore
import Foundation

/// The speed of batch recall: stores random patterns, recalls many corrupted copies of them, and
/// times the recall (`ebm bench hopfield`).
public struct RecallBenchmark: Sendable {
    /// The memory, the probes and the recall to time.
    public struct Configuration: Equatable, Sendable, Codable {
        /// Number of neurons N.
        public var neurons: Int
        /// Stored random patterns P.
        public var patterns: Int
        /// Probes recalled: the stored patterns in turn, each with `noise` of its bits flipped.
        public var probes: Int
        /// Fraction of bits flipped in each probe, in [0, 1].
        public var noise: Double
        public var rule: LearningRule
        public var mode: RecallMode
        public var maxSweeps: Int
        /// Timed recalls of the whole batch; the fastest is reported.
        public var repeats: Int
        /// Seeds the stream that draws the patterns and the probes, and (afresh for each repeat) the recall's.
        public var seed: UInt64

        public init(neurons: Int = 1000, patterns: Int = 100, probes: Int = 10_000, noise: Double = 0.1,
                    rule: LearningRule = .hebbian, mode: RecallMode = .asynchronous, maxSweeps: Int = 100,
                    repeats: Int = 3, seed: UInt64 = 1) {
            self.neurons = neurons
            self.patterns = patterns
            self.probes = probes
            self.noise = noise
            self.rule = rule
            self.mode = mode
            self.maxSweeps = maxSweeps
            self.repeats = repeats
            self.seed = seed
        }

        /// Refuses settings the benchmark cannot run.
        ///
        /// - Throws: `ConfigurationError` naming the field: `neurons`, `patterns`, `probes`, `noise`,
        ///   `rule` (the modern rule), `rule.degree`, `mode.schedule.…`, `maxSweeps` or `repeats`.
        public func validate() throws {
            for (field, value) in [("neurons", neurons), ("patterns", patterns), ("probes", probes), ("repeats", repeats)] where value < 1 {
                throw ConfigurationError(field: field, "expected at least 1, got \(value)")
            }
            guard rule != .modern else {
                throw ConfigurationError(field: "rule", "the recall benchmark times the classical dynamics; the modern rule's one-update recall is timed from files (docs/benchmarks.md)")
            }
            guard noise.isFinite, noise >= 0, noise <= 1 else {
                throw ConfigurationError(field: "noise", "expected a fraction of flipped bits in [0, 1], got \(noise)")
            }
            try ConfigurationError.nesting("rule") { try rule.validate() }
            try AssociativeMemory.validateRecall(mode: mode, maxSweeps: maxSweeps)
        }
    }

    /// What one benchmark measured.
    public struct Report: Sendable {
        /// The fastest recall of the whole batch, in seconds.
        public var seconds: Double
        /// How the recalls went, against the pattern each probe was made from.
        public var score: RecallScore
        /// Probes recalled per second, at the fastest.
        public var probesPerSecond: Double { Double(score.probes) / seconds }
    }

    public let configuration: Configuration

    /// A benchmark that runs `configuration`.
    ///
    /// - Throws: `ConfigurationError` naming the field when the configuration is invalid.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Builds the memory and the probes, then times `repeats` recalls of the batch on `threads` workers.
    public func run(threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Report {
        let c = configuration
        let random = RandomSource(seed: c.seed)
        let stored = PatternSet.random(count: c.patterns, neurons: c.neurons, random: random)
        var memory = AssociativeMemory(neurons: c.neurons, rule: c.rule)
        try memory.store(stored)
        let targets = (0..<c.probes).map { $0 % c.patterns }
        var picks = [Float]()
        picks.reserveCapacity(c.probes * c.neurons)
        for k in targets { picks += stored.pattern(k) }
        let probes = PatternSet(Matrix(rows: c.probes, columns: c.neurons, storage: picks)).corrupted(fraction: c.noise, random: random)
        var best = Double.infinity
        var results: [RecallResult] = []
        for _ in 0..<c.repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            results = try memory.recall(probes, mode: c.mode, maxSweeps: c.maxSweeps, random: RandomSource(seed: c.seed), threads: threads)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return Report(seconds: best, score: RecallScore(results, targets: targets))
    }
}
