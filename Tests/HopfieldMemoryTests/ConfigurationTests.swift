import EnergyCore
import HopfieldMemory
import Testing

/// Every setting HopfieldMemory refuses is reported as a `ConfigurationError` naming the Swift field
/// that holds it, never a command-line flag.
@Suite("Hopfield configuration errors")
struct ConfigurationTests {
    static let badSchedule = AnnealingSchedule(initialTemperature: 1, coolingFactor: 0.5, minimumTemperature: 0.1, iterationsPerTemperature: 1)

    @Test("the capacity experiment names the field of each bad setting",
          arguments: [
              (CapacityExperiment.Configuration(neurons: 1), "neurons"),
              (CapacityExperiment.Configuration(rule: .dense(.polynomial(degree: 1))), "rule.degree"),
              (CapacityExperiment.Configuration(noise: 0.5), "noise"),
              (CapacityExperiment.Configuration(noise: .nan), "noise"),
              (CapacityExperiment.Configuration(trials: 0), "trials"),
              (CapacityExperiment.Configuration(probesPerNetwork: 0), "probesPerNetwork"),
              (CapacityExperiment.Configuration(mode: .stochastic(badSchedule)), "mode.schedule.coolingFactor"),
              (CapacityExperiment.Configuration(maxSweeps: 0), "maxSweeps"),
              (CapacityExperiment.Configuration(loads: []), "loads"),
              (CapacityExperiment.Configuration(loads: [0.1, -0.2]), "loads"),
              (CapacityExperiment.Configuration(loads: [.infinity]), "loads"),
          ])
    func capacity(_ configuration: CapacityExperiment.Configuration, _ field: String) {
        #expect(fieldOfError { try CapacityExperiment(configuration: configuration) } == field)
    }

    @Test("the recall benchmark names the field of each bad setting",
          arguments: [
              (RecallBenchmark.Configuration(neurons: 0), "neurons"),
              (RecallBenchmark.Configuration(patterns: 0), "patterns"),
              (RecallBenchmark.Configuration(probes: 0), "probes"),
              (RecallBenchmark.Configuration(noise: .nan), "noise"),
              (RecallBenchmark.Configuration(noise: 1.5), "noise"),
              (RecallBenchmark.Configuration(rule: .dense(.polynomial(degree: -2))), "rule.degree"),
              (RecallBenchmark.Configuration(mode: .stochastic(badSchedule)), "mode.schedule.coolingFactor"),
              (RecallBenchmark.Configuration(repeats: 0), "repeats"),
          ])
    func benchmark(_ configuration: RecallBenchmark.Configuration, _ field: String) {
        #expect(fieldOfError { try RecallBenchmark(configuration: configuration) } == field)
    }

    @Test("the defaults are valid")
    func defaults() throws {
        try CapacityExperiment.Configuration().validate()
        try RecallBenchmark.Configuration().validate()
        #expect(CapacityExperiment.Configuration().scannedLoads == CapacityExperiment.defaultLoads(for: .hebbian))
    }

    @Test("recall and store name the argument or the field at fault")
    func recallAndStore() throws {
        var memory = AssociativeMemory(neurons: 3, rule: .hebbian)
        try memory.store(PatternSet([[1, 1, -1]]))
        let probe = PatternSet([[1, 1, 1]])
        #expect(fieldOfError { try memory.recall(probe, mode: .stochastic(Self.badSchedule), random: RandomSource(seed: 1)) }
                == "mode.schedule.coolingFactor")
        #expect(fieldOfError { try memory.recall(probe, maxSweeps: 0, random: RandomSource(seed: 1)) } == "maxSweeps")
        #expect(throws: ConfigurationError(field: "input", "expected 3 values, one per neuron, got 2")) {
            try memory.recall(probe, random: RandomSource(seed: 1), input: [1, 1])
        }
        var dense = AssociativeMemory(neurons: 3, rule: .dense(.polynomial(degree: 1)))
        #expect(throws: ConfigurationError(field: "rule.degree", "expected a degree of at least 2 (or 0 for the exponential F), got 1")) {
            try dense.store(PatternSet([[1, 1, -1]]))
        }
        #expect(fieldOfError { try HopfieldModelFile.store(patternsFrom: "unread.txt", rule: .dense(.polynomial(degree: 0)), to: "unwritten.npz") }
                == "rule.degree")
        #expect(fieldOfError { try HopfieldModelFile.recall(probesFrom: "unread.txt", memory: "unread.npz", maxSweeps: -1, to: "unwritten.txt") }
                == "maxSweeps")
    }

    @Test("rule and mode names parse every spelling and print one")
    func names() throws {
        for name in ["hebb", "Hebbian", "storkey", "pseudoinverse", "pinv", "projection", "dense", "dense-exp", "dense-poly4"] {
            let rule = try #require(LearningRule.named(name), "\(name)")
            #expect(LearningRule.named(rule.name) == rule, "\(name)")
        }
        #expect(LearningRule.dense(degree: 0) == .dense(.exponential) && LearningRule.dense(degree: 5) == .dense(.polynomial(degree: 5)))
        #expect(LearningRule.named("dense-poly1") == nil)
        for (name, mode) in [("async", RecallMode.asynchronous), ("asynchronous", .asynchronous), ("sync", .synchronous),
                             ("synchronous", .synchronous), ("stochastic", .stochastic(RecallMode.defaultSchedule)),
                             ("glauber", .stochastic(RecallMode.defaultSchedule))] {
            #expect(RecallMode.named(name) == mode, "\(name)")
            #expect(RecallMode.named(mode.name) == mode)
        }
        #expect(RecallMode.named("random") == nil)
        #expect(RecallMode.named("glauber", schedule: Self.badSchedule)?.schedule == Self.badSchedule)
    }
}

/// The field of the `ConfigurationError` `body` throws; nil when it throws none (or another error).
func fieldOfError<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as ConfigurationError {
        return error.field
    } catch {
        return nil
    }
}
