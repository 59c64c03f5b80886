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

    @Test("store from files writes the memory that storing by hand writes, and adds to an existing one")
    func store() throws {
        let first = dir.write("a.txt", "#..#\n.##.\n\n####\n....\n")
        let second = dir.write("b.txt", "#.#.\n.#.#\n")
        let (memory, added) = try HopfieldModelFile.store(patternsFrom: first, rule: .storkey, to: dir.file("m.npz"))
        var byHand = AssociativeMemory(neurons: 8, rule: .storkey)
        try byHand.store(PatternFile.read(first))
        try HopfieldModelFile.write(byHand, to: dir.file("hand.npz"))
        #expect(added == 2 && memory.patterns == byHand.patterns && memory.weights == byHand.weights)
        #expect(try AtomicFile.read(dir.file("m.npz")) == AtomicFile.read(dir.file("hand.npz")))

        let (more, addedMore) = try HopfieldModelFile.store(patternsFrom: second, into: dir.file("m.npz"), to: dir.file("m2.npz"))
        try byHand.store(PatternFile.read(second))
        #expect(addedMore == 1 && more.rule == .storkey && more.patterns.count == 3 && more.weights == byHand.weights)
        #expect(throws: InputError(file: dir.file("m.npz"), "the memory uses the storkey rule, not the hebb rule asked for")) {
            try HopfieldModelFile.store(patternsFrom: second, rule: .hebbian, into: dir.file("m.npz"), to: dir.file("m3.npz"))
        }
    }

    @Test("store never writes over its input memory or pattern file")
    func storeOverInput() throws {
        let patterns = dir.write("p.txt", "#..#\n.##.\n")
        try HopfieldModelFile.store(patternsFrom: patterns, to: dir.file("m.npz"))
        let before = try AtomicFile.read(dir.file("m.npz"))
        #expect(throws: InputError(file: dir.file("m.npz"), "is also an input ('\(dir.file("m.npz"))'); choose another output path")) {
            try HopfieldModelFile.store(patternsFrom: patterns, into: dir.file("m.npz"), to: dir.file("m.npz"))
        }
        #expect(try AtomicFile.read(dir.file("m.npz")) == before)
        #expect(throws: InputError.self) { try HopfieldModelFile.store(patternsFrom: patterns, to: patterns) }
        #expect(try String(contentsOfFile: patterns, encoding: .utf8) == "#..#\n.##.\n")
    }

    @Test("recall from files gives the results of recall by hand and writes the states in the probes' format")
    func recall() throws {
        let random = RandomSource(seed: 5)
        var memory = AssociativeMemory(neurons: 40, rule: .hebbian)
        let stored = PatternSet.random(count: 3, neurons: 40, random: random)
        try memory.store(stored)
        try HopfieldModelFile.write(memory, to: dir.file("m.npz"))
        let probes = stored.corrupted(fraction: 0.1, random: random)
        try PatternFile.write(probes, to: dir.file("q.csv"), binary: true)
        let mode = RecallMode.stochastic(RecallMode.defaultSchedule)
        let run = try HopfieldModelFile.recall(probesFrom: dir.file("q.csv"), binary: true, memory: dir.file("m.npz"), mode: mode,
                                               maxSweeps: 7, seed: 9, threads: 2, to: dir.file("r.csv"))
        let byHand = try memory.recall(probes, mode: mode, maxSweeps: 7, random: RandomSource(seed: 9), threads: 1)
        #expect(run.probes == probes && run.memory.weights == memory.weights)
        #expect(run.results.map(\.state) == byHand.map(\.state) && run.results.map(\.energies) == byHand.map(\.energies))
        let written = try PatternFile.read(dir.file("r.csv"), binary: true)
        #expect(written.values == Matrix(rows: 3, columns: 40, storage: byHand.flatMap(\.state)))
        #expect(throws: InputError.self) {
            try HopfieldModelFile.recall(probesFrom: dir.file("q.csv"), memory: dir.file("m.npz"), to: dir.file("m.npz"))
        }
    }

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
