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

    /// The hits of `event` with, for every third hit on a cylinder, a second hit 4 mm further out
    /// (an overlapping module, as the collision generator makes them: outside the layer's radius).
    static func withOverlaps(_ hits: [Hit]) -> [Hit] {
        let cylinders = Set(DetectorDescription.trackMLFull.layers.filter { $0.shape == .cylinder }.map(\.id))
        var out = hits
        for (k, h) in hits.enumerated() where k % 3 == 0 && cylinders.contains(h.layer) {
            let scale = (h.r + 4) / h.r
            out.append(Hit(id: out.count + 1, x: h.x * scale, y: h.y * scale, z: h.z, layer: h.layer))
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

    @Test("the segments of a subset of the hits are those of all hits restricted to it, in their order, with or without a pair selection")
    func restrictedIsSubsetSearch() throws {
        let graph = try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 0.9))
        let hits = Self.withOverlaps(fullDetectorEvent(particles: 150, noise: 150, seed: 23).hits)
        let random = RandomSource(seed: 4)
        for cuts in [SegmentCuts(skipLayers: false, minPT: 0.9, maxZ0: 150), SegmentCuts(minPT: 0.9, maxZ0: 150)] {
            let all = GraphSegmentBuilder.segments(hits: hits, graph: graph, cuts: cuts, workers: 2)
            // Subsets of about 90% and 30% of the hits: the layers are binned otherwise than all hits'.
            for share in [0.9, 0.3] {
                let subset = hits.indices.filter { _ in random.uniform() < share }
                let own = GraphSegmentBuilder.segments(hits: subset.map { hits[$0] }, graph: graph, cuts: cuts, workers: 1)
                let restricted = GraphSegmentBuilder.restricted(all, to: subset, hitCount: hits.count)
                #expect(own.count > 200)
                #expect(Self.sameSegments(restricted, own))
                #expect(Self.inOrderOf(restricted, all, subset: subset))
                let n = subset.count
                let selection = GraphSegmentBuilder.PairSelection(sendsToAll: (0..<n).map { $0 % 7 == 0 }, group: (0..<n).map { $0 % 3 == 0 },
                                                                   receivesFromAll: (0..<n).map { $0 % 5 == 0 })
                let ownSelected = GraphSegmentBuilder.segments(hits: subset.map { hits[$0] }, graph: graph, cuts: cuts, workers: 2,
                                                               selection: selection)
                #expect(ownSelected.count > 20 && ownSelected.count < own.count)
                let restrictedSelected = GraphSegmentBuilder.restricted(all, to: subset, hitCount: hits.count, selection: selection)
                #expect(Self.sameSegments(restrictedSelected, ownSelected))
                #expect(Self.inOrderOf(restrictedSelected, all, subset: subset))
            }
        }
    }

    @Test("a second network with the first one's segment cuts gets the candidates a search on the hits it is left would find")
    func secondPassReusesCandidates() throws {
        let graph = try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 0.9))
        let hits = Self.withOverlaps(fullDetectorEvent(particles: 150, noise: 150, seed: 29).hits)
        let cuts = SegmentCuts(skipLayers: false, minPT: 0.9, maxZ0: 150)
        let first = TrackFinderConfiguration(cuts: cuts, energy: EnergyParameters(maxAngle: 0.007, rzResolution: 0.003), layerGraph: graph)
        var both = first
        both.secondPass = SecondPass(minConfidentHits: 8, skipLayers: false, maxAngle: 0.012, minChainHits: 4)
        let r = try TrackFinder(both).reconstruct(hits, random: RandomSource(seed: 3))
        // The first network alone, with the same stream, and the hits its confident tracks leave.
        let alone = try TrackFinder(first).reconstruct(hits, random: RandomSource(seed: 3))
        var used = [Bool](repeating: false, count: hits.count)
        for track in alone.tracks where track.count >= 8 { for h in track { used[h] = true } }
        let rest = hits.indices.filter { !used[$0] }
        #expect(rest.count < hits.count && rest.count > hits.count / 2)
        let searched = GraphSegmentBuilder.segments(hits: hits, graph: graph, cuts: cuts).count
            + GraphSegmentBuilder.segments(hits: rest.map { hits[$0] }, graph: graph, cuts: cuts).count
        #expect(alone.candidateSegments > 500)
        #expect(r.candidateSegments == searched)
    }

    /// Whether `a` and `b` hold the same segments (each hit pair once, with equal fields), in any order.
    static func sameSegments(_ a: [Segment], _ b: [Segment]) -> Bool {
        let key = { (s: Segment) in Int64(s.from) << 32 | Int64(s.to) }
        let byKey = Dictionary(b.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        return a.count == b.count && byKey.count == b.count && a.allSatisfy { byKey[key($0)] == $0 }
    }

    /// Whether `restricted` (numbered in `subset`) lists its segments in the order they have in `all`.
    static func inOrderOf(_ restricted: [Segment], _ all: [Segment], subset: [Int]) -> Bool {
        var position: [Int64: Int] = [:]
        for (k, s) in all.enumerated() { position[Int64(s.from) << 32 | Int64(s.to)] = k }
        let ranks = restricted.map { position[Int64(subset[Int($0.from)]) << 32 | Int64(subset[Int($0.to)])] ?? -1 }
        return !ranks.contains(-1) && zip(ranks, ranks.dropFirst()).allSatisfy { $0 < $1 }
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
