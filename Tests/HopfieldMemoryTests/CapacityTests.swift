import EnergyCore
import HopfieldMemory
import Testing

@Suite("Capacity")
struct CapacityTests {
    @Test("the critical load interpolates where success falls through one half")
    func critical() {
        func curve(_ points: (Double, Double)...) -> CapacityCurve {
            CapacityCurve(points: points.map { CapacityPoint(load: $0.0, patterns: 0, success: $0.1, meanOverlap: 0, probes: 0) })
        }
        #expect(curve((0.1, 1), (0.12, 0.9), (0.14, 0.3)).criticalLoad == 0.12 + 0.4 / 0.6 * 0.02)
        #expect(curve((0.1, 1), (0.2, 0.8)).criticalLoad == nil)
        #expect(curve((0.1, 0.2)).criticalLoad == nil)
        #expect(curve().criticalLoad == nil)
    }

    @Test("a small Hebbian scan succeeds at low load and fails well above 0.14")
    func smallScan() throws {
        let e = try CapacityExperiment(configuration: .init(neurons: 200, rule: .hebbian, noise: 0.1, trials: 2, probesPerNetwork: 40,
                                                             loads: [0.03, 0.3], seed: 1))
        let points = try e.run(threads: 2).points
        #expect(points[0].success >= 0.95)
        #expect(points[1].success <= 0.3)
        #expect(points[0].patterns == 6 && points[1].patterns == 60)
    }
}
