import EnergyCore
import HopfieldMemory
import Testing

@Suite("Capacity")
struct CapacityTests {
    @Test("the critical load interpolates where success falls through one half")
    func critical() {
        func point(_ a: Double, _ s: Double) -> CapacityPoint { CapacityPoint(load: a, patterns: 0, success: s, meanOverlap: 0, probes: 0) }
        #expect(CapacityExperiment.criticalLoad([point(0.1, 1), point(0.12, 0.9), point(0.14, 0.3)])! == 0.12 + 0.4 / 0.6 * 0.02)
        #expect(CapacityExperiment.criticalLoad([point(0.1, 1), point(0.2, 0.8)]) == nil)
        #expect(CapacityExperiment.criticalLoad([point(0.1, 0.2)]) == nil)
    }

    @Test("a small Hebbian scan succeeds at low load and fails well above 0.14")
    func smallScan() throws {
        let e = CapacityExperiment(neurons: 200, rule: .hebbian, noise: 0.1, trials: 2, probesPerNetwork: 40)
        let points = try e.run(loads: [0.03, 0.3], random: RandomSource(seed: 1), threads: 2)
        #expect(points[0].success >= 0.95)
        #expect(points[1].success <= 0.3)
        #expect(points[0].patterns == 6 && points[1].patterns == 60)
    }
}
