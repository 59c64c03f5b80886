import EnergyCore
import Foundation
import Testing
import TrackFinding

@Suite("Segment cuts")
struct SegmentCutsTests {
    @Test("the Δφ window is monotone in p_T: a looser cut never narrows it, even past r = 2R_min")
    func monotoneWindow() {
        let radii: [Double] = [32, 72, 116, 172, 260, 360, 500, 660, 820, 1020]
        let cuts = [5.0, 2, 1, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.03].map { SegmentCuts(minPT: $0, magneticField: 2) }
        for (r1, r2) in Array(zip(radii, radii.dropFirst())) + Array(zip(radii, radii.dropFirst(2))) {
            let windows = cuts.map { $0.maxDeltaPhi(r1, r2) }
            for (tight, loose) in zip(windows, windows.dropFirst()) { #expect(loose >= tight, "r \(r1) → \(r2): \(windows)") }
        }
        // At 0.1 GeV in 2 T (2R = 333 mm) a track reaching 660 mm from 500 mm turns by π/2 − asin(500/660), not by 0.
        let low = SegmentCuts(minPT: 0.1, magneticField: 2)
        let expected: Double = Double.pi / 2 - asin(500.0 / 660) + 0.002
        #expect(abs(low.maxDeltaPhi(500, 660) - expected) < 1e-12)
    }

    @Test("a looser p_T cut keeps every segment a tighter one keeps (barrel event)")
    func looserCutKeepsSegments() throws {
        let event = try EventGenerator(.init(detector: .barrel, tracks: 60, noise: 0.1, minPT: 0.1)).generate(random: RandomSource(seed: 4))
        let layout = LayerLayout(hits: event.hits, geometry: .barrel)
        var previous: Set<[Int32]> = []
        for pT in [1.0, 0.4, 0.2, 0.1] {
            let s = Set(SegmentBuilder.segments(hits: event.hits, layout: layout, cuts: SegmentCuts(minPT: pT)).map { [$0.from, $0.to] })
            #expect(s.isSuperset(of: previous), "min-pt \(pT) lost \(previous.subtracting(s).count) segments")
            previous = s
        }
        let graph = try LayerGraph(detector: .trackMLBarrel, propagation: .init(minPT: 0.1))
        previous = []
        for pT in [1.0, 0.4, 0.2, 0.1] {
            let s = Set(GraphSegmentBuilder.segments(hits: event.hits, graph: graph, cuts: SegmentCuts(minPT: pT)).map { [$0.from, $0.to] })
            #expect(s.isSuperset(of: previous), "graph, min-pt \(pT) lost \(previous.subtracting(s).count) segments")
            previous = s
        }
    }
}
