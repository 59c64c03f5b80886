import EnergyCore
import Foundation
import Testing
@testable import TrackFinding

@Suite("Graph segment builder")
struct GraphSegmentBuilderTests {
    /// The segments of one link by trying every pair of its two layers' hits against the cuts of
    /// `GraphSegmentBuilder` (r_b > r_a, Δφ within `maxDeltaPhi`, z₀ within `maxZ0`, at most
    /// one layer crossed with skips and none without), with no window, bound or bin.
    static func allPairs(hits: [Hit], graph: LayerGraph, cuts: SegmentCuts) -> [Segment] {
        let index = graph.layerIndex
        var byLayer = Array(repeating: [Int](), count: graph.layers.count)
        for (i, h) in hits.enumerated() { if let k = index[h.layer] { byLayer[k].append(i) } }
        let maxStep = cuts.skipLayers ? 2 : 1
        var out: [Segment] = []
        for link in graph.links where cuts.skipLayers || link.step == 1 {
            let between = GraphSegmentBuilder.intermediateLayers(link, graph: graph)
            for i in byLayer[link.from] {
                for j in byLayer[link.to] {
                    let a = hits[i], b = hits[j]
                    guard GraphSegmentBuilder.accepts(a, b, cuts) else { continue }
                    let step = 1 + GraphSegmentBuilder.layersCrossed(between: a, b, candidates: between)
                    guard step <= maxStep else { continue }
                    out.append(Segment(from: i, to: j, a, b, fromLayer: link.from, layerStep: step, toLayer: link.to))
                }
            }
        }
        return out
    }

    @Test("the windows, bounds and skipped z ranges lose no segment and add none (full detector with noise)")
    func sameAsAllPairs() throws {
        let graph = try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 0.9))
        let event = fullDetectorEvent(particles: 60, noise: 40, seed: 21)
        for cuts in [SegmentCuts(minPT: 0.9, maxZ0: 150), SegmentCuts(skipLayers: false, minPT: 0.9, maxZ0: 150),
                     SegmentCuts(minPT: 0.3, maxZ0: 300)] {
            let built = GraphSegmentBuilder.segments(hits: event.hits, graph: graph, cuts: cuts, workers: 2)
            let reference = Self.allPairs(hits: event.hits, graph: graph, cuts: cuts)
            #expect(built.count > 300)
            // The same pairs, each with the same fields (rzError aside, which only the builder sets).
            let key = { (s: Segment) in [s.from, s.to] }
            let expected = Dictionary(uniqueKeysWithValues: reference.map { (key($0), $0) })
            #expect(built.count == reference.count)
            for s in built {
                guard var r = expected[key(s)] else { Issue.record("extra segment \(s.from) → \(s.to)"); continue }
                r.rzError = s.rzError
                #expect(r == s)
            }
            // Link by link in the graph's order, by inner hit in hit order.
            let order = Dictionary(graph.links.enumerated().map { ([$0.element.from, $0.element.to], $0.offset) }, uniquingKeysWith: min)
            let ranks = built.map { (order[[$0.fromLayer, $0.toLayer]] ?? -1, Int($0.from)) }
            #expect(zip(ranks, ranks.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }

    @Test("the arcsine-free z₀ bounds agree with the exact z₀ cut wherever they decide")
    func zeroBoundsAgree() {
        let random = RandomSource(seed: 5)
        let cuts = SegmentCuts(minPT: 0.9, maxZ0: 150)
        var decided = 0
        for _ in 0..<200_000 {
            let ra = random.uniform(20, 900), rb = ra + random.uniform(0, 300)
            let pa = random.uniform(-.pi, .pi), pb = pa + random.uniform(-0.3, 0.3)
            let za = random.uniform(-1500, 1500)
            // Outer z near the boundary of the cut half the time.
            let zLine = za + (za - random.uniform(-160, 160)) * (rb - ra) / ra
            let zb = random.uniform() < 0.5 ? zLine : random.uniform(-3000, 3000)
            let (ax, ay, bx, by) = (ra * cos(pa), ra * sin(pa), rb * cos(pb), rb * sin(pb))
            let (rA, rB) = ((ax * ax + ay * ay).squareRoot(), (bx * bx + by * by).squareRoot())
            let exact = GraphSegmentBuilder.zeroWithinBeamSpot(ax, ay, za, bx, by, zb, rA, rB, cuts)
            if let bound = GraphSegmentBuilder.zeroBounds(ax, ay, za, bx, by, zb, rA, rB, cuts) {
                decided += 1
                #expect(bound == exact, "r \(rA) → \(rB), z \(za) → \(zb), φ \(pa) → \(pb)")
            }
        }
        #expect(decided > 80_000)
    }
}
