import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory
import Testing
import TestSupport

/// The library's workflows do what the same steps done by hand do.
@Suite("Hopfield workflows")
struct WorkflowTests {
    let dir = TemporaryFolder()

    @Test("the capacity experiment is the trials done by hand from one stream seeded by the configuration")
    func capacityByHand() throws {
        let settings = CapacityExperiment.Configuration(neurons: 60, rule: .hebbian, noise: 0.1, trials: 2, probesPerNetwork: 4,
                                                        loads: [0.05, 0.2], seed: 11)
        let curve = try CapacityExperiment(configuration: settings).run(threads: 2)
        let random = RandomSource(seed: 11)
        for (alpha, point) in zip(settings.scannedLoads, curve.points) {
            let p = Int((alpha * 60).rounded())
            var overlaps: [Double] = []
            for _ in 0..<2 {
                let stored = PatternSet.random(count: p, neurons: 60, random: random)
                var memory = AssociativeMemory(neurons: 60, rule: .hebbian)
                try memory.store(stored)
                let originals = PatternSet(stored.values.rows(0..<min(p, 4)))
                let results = try memory.recall(originals.corrupted(fraction: 0.1, random: random), random: random, threads: 1)
                overlaps += results.enumerated().map { Double($0.element.state.dot(originals.pattern($0.offset))) / 60 }
            }
            #expect(point.patterns == p && point.probes == overlaps.count)
            #expect(point.success == Double(overlaps.filter { $0 >= CapacityExperiment.successOverlap }.count) / Double(overlaps.count))
            #expect(point.meanOverlap == overlaps.reduce(0, +) / Double(overlaps.count))
        }
        // The seed lives in the configuration: the same configuration gives the same curve.
        #expect(try CapacityExperiment(configuration: settings).run(threads: 1) == curve)
    }

    @Test("the recall benchmark scores the recalls of the probes it made")
    func benchmark() throws {
        let settings = RecallBenchmark.Configuration(neurons: 50, patterns: 3, probes: 7, noise: 0.1, repeats: 2, seed: 4)
        let report = try RecallBenchmark(configuration: settings).run(threads: 2)
        let random = RandomSource(seed: 4)
        let stored = PatternSet.random(count: 3, neurons: 50, random: random)
        var memory = AssociativeMemory(neurons: 50, rule: .hebbian)
        try memory.store(stored)
        let targets = (0..<7).map { $0 % 3 }
        let probes = PatternSet(targets.map { stored.pattern($0) }).corrupted(fraction: 0.1, random: random)
        let results = try memory.recall(probes, random: RandomSource(seed: 4), threads: 1)
        #expect(report.score == RecallScore(results, targets: targets))
        #expect(report.seconds > 0 && report.probesPerSecond > 0)
    }

    @Test("a recall score counts exact recalls, other stored patterns and spurious states")
    func score() throws {
        var memory = AssociativeMemory(neurons: 4, rule: .pseudoinverse)
        try memory.store(PatternSet([[1, 1, -1, -1], [1, -1, 1, -1]]))
        // Probes: pattern 0, pattern 1, and the negation of pattern 0.
        let results = try memory.recall(PatternSet([[1, 1, -1, -1], [1, -1, 1, -1], [-1, -1, 1, 1]]), random: RandomSource(seed: 1))
        let score = RecallScore(results, targets: [0, 0, 0])
        #expect(score.probes == 3 && score.recalled == 1 && score.wrongPattern == 1 && score.spurious == 1)
        #expect(score.meanSweeps == Double(results.map(\.sweeps).reduce(0, +)) / 3)
    }
}
