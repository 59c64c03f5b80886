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
}
