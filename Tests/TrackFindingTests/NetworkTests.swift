import EnergyCore
import Foundation
import Testing
@testable import TrackFinding

/// Hits on six planes z = 600…1600 mm along straight lines from the target.
func planarTrack(id: inout Int, x0: Double, sx: Double, y0: Double = 0, sy: Double, skip: Set<Int> = []) -> [Hit] {
    var hits: [Hit] = []
    for (k, z) in [600.0, 800, 1000, 1200, 1400, 1600].enumerated() where !skip.contains(k + 1) {
        id += 1
        hits.append(Hit(id: id, x: x0 + sx * z, y: y0 + sy * z, z: z, layer: LayerID(volume: 1, layer: k + 1)))
    }
    return hits
}

/// The reconstructed tracks as sets of hit ids.
func trackSets(_ hits: [Hit], _ r: Reconstruction) -> Set<Set<Int>> {
    Set(r.tracks.map { Set($0.map { hits[$0].id }) })
}

@Suite("Denby–Peterson network")
struct NetworkTests {
    @Test("chains side by side through two overlap regions in a row are joined; chains whose segments do not cross are not")
    func sideBySide() {
        // Hits 0…7 on layers: A = 0 (L0), 1 (L1), 2 (L2), 3 (L3); B = 4 (L2), 5 (L3), 6 (L4), 7 (L5).
        let layers = [0, 1, 2, 3, 2, 3, 4, 5]
        func seg(_ a: Int, _ b: Int) -> Segment {
            var s = Segment(from: a, to: b, Hit(id: a + 1, x: 0, y: 0, z: 0, layer: LayerID(volume: 8, layer: 2)),
                            Hit(id: b + 1, x: 1, y: 0, z: 0, layer: LayerID(volume: 8, layer: 4)), fromLayer: layers[a], layerStep: 1)
            s.toLayer = layers[b]
            return s
        }
        let chains = [[0, 1, 2, 3], [4, 5, 6, 7]]
        let crossing = [seg(2, 5), seg(4, 3)]
        #expect(TrackFinder.mergedSideBySide(chains, segments: crossing, layers: layers) == [[0, 1, 2, 3, 4, 5, 6, 7]])
        #expect(TrackFinder.mergedSideBySide(chains, segments: [seg(2, 5)], layers: layers) == chains)
        #expect(TrackFinder.mergedSideBySide(chains, segments: crossing, layers: [0, 1, 2, 3, 3, 4, 5, 6]) == chains)
    }

    @Test("a long chain takes an overlap hit from a chain of at most yieldingChainHits hits, which is dropped; with 0 it does not")
    func yieldingChains() {
        // A straight track from the target on planes 1…5 (hits 0…4), a second hit of its crossing of
        // plane 3 a millimetre further (hit 5, on the line), and two stray hits (6, 7) on planes 4, 5.
        var hits: [Hit] = []
        func add(_ x: Double, _ z: Double, plane: Int) {
            hits.append(Hit(id: hits.count + 1, x: x, y: 0.1 * z, z: z, layer: LayerID(volume: 1, layer: plane)))
        }
        for (k, z) in [600.0, 800, 1000, 1200, 1400].enumerated() { add(0.05 * z, z, plane: k + 1) }
        add(0.05 * 1001, 1001, plane: 3)
        add(-60, 1200, plane: 4)
        add(-90, 1400, plane: 5)
        let layout = LayerLayout(hits: hits, geometry: .forward)
        let segments = SegmentBuilder.segments(hits: hits, layout: layout, cuts: SegmentCuts(magneticField: 0))
        let network = SegmentNetwork(hits: hits, segments: segments, parameters: EnergyParameters(), dropIsolated: false, lengthsPerLink: true)
        let chains = [[0, 1, 2, 3, 4], [5, 6, 7]]
        #expect(TrackExtractor.withHeadsAndOverlaps(chains, network: network, hitCount: hits.count, yielding: 3) == [[0, 1, 2, 5, 3, 4]])
        #expect(TrackExtractor.withHeadsAndOverlaps(chains, network: network, hitCount: hits.count, yielding: 2) == chains)
        #expect(TrackExtractor.withHeadsAndOverlaps(chains, network: network, hitCount: hits.count, yielding: 0) == chains)
    }

    @Test("a first-pass short track is restored where later tracks split it, and not where one holds most of it")
    func restoredShortTracks() {
        // Short track [0, 1, 2, 3]; later tracks hold 1 and 2 of its hits in two pieces, with others.
        let split = TrackFinder.restoringShortTracks([[0, 1, 2, 3]], into: [[1, 4, 5], [6, 2, 3, 7]], hitCount: 8, minHits: 3)
        #expect(split == [[0, 1, 2, 3]])
        // A later track holding three of its four hits stays.
        let held = TrackFinder.restoringShortTracks([[0, 1, 2, 3]], into: [[1, 2, 3, 4, 5]], hitCount: 8, minHits: 3)
        #expect(held == [[1, 2, 3, 4, 5]])
        // Tracks that keep at least minHits hits after giving some up stay.
        let kept = TrackFinder.restoringShortTracks([[0, 1, 2]], into: [[1, 4, 5, 6]], hitCount: 8, minHits: 3)
        #expect(kept == [[4, 5, 6], [0, 1, 2]])
    }

    @Test("the field is −∂E/∂V: it matches central finite differences of the energy")
    func gradient() throws {
        let event = try EventGenerator(.init(detector: .planar, tracks: 6, noise: 0.3, inefficiency: 0.1)).generate(random: RandomSource(seed: 3))
        let p = EnergyParameters(maxAngle: 0.2, beta: 0.05)
        let layout = LayerLayout(hits: event.hits, geometry: .auto)
        let net = SegmentNetwork(hits: event.hits, segments: SegmentBuilder.segments(hits: event.hits, layout: layout, cuts: SegmentCuts()),
                                 parameters: p)
        #expect(net.count > 20 && net.chainCount > 10 && net.conflictCount > 10)
        let random = RandomSource(seed: 4)
        let v = (0..<net.count).map { _ in random.uniform() }
        let fields = net.fields(v)
        let h = 1e-5
        for a in stride(from: 0, to: net.count, by: max(1, net.count / 25)) {
            var up = v, down = v
            up[a] += h
            down[a] -= h
            let numeric = -(net.energy(up) - net.energy(down)) / (2 * h)
            #expect(abs(numeric - fields[a]) < 1e-6 * max(1, abs(numeric)), "neuron \(a): \(numeric) vs \(fields[a])")
        }
    }

    @Test("the compressed rows hold exactly the chains of a direct enumeration of segment pairs", arguments: [false, true])
    func chains(dropIsolated: Bool) throws {
        let event = try EventGenerator(.init(detector: .barrel, tracks: 15, noise: 0.3, minPT: 1)).generate(random: RandomSource(seed: 7))
        let layout = LayerLayout(hits: event.hits, geometry: .auto)
        let candidates = SegmentBuilder.segments(hits: event.hits, layout: layout, cuts: SegmentCuts())
        let p = EnergyParameters()
        let net = SegmentNetwork(hits: event.hits, segments: candidates, parameters: p, helix: true, dropIsolated: dropIsolated)
        // Every pair (a ends where b starts) with a positive weight, by brute force over all pairs.
        let lengths = SegmentNetwork.normalisedLengths(candidates)
        var expected: [Int: [Int: Double]] = [:]
        for (a, sa) in candidates.enumerated() {
            for (b, sb) in candidates.enumerated() where sa.to == sb.from {
                let theta = sa.helixKink(with: sb)
                guard theta <= p.maxAngle else { continue }
                let w = p.chainWeight(cosine: cos(theta), lengths[a], lengths[b], minimumCosine: cos(p.maxAngle))
                if w > 0 { expected[a, default: [:]][b] = w; expected[b, default: [:]][a] = w }
            }
        }
        let kept = candidates.indices.filter { !dropIsolated || expected[$0] != nil }
        #expect(net.segments == kept.map { candidates[$0] })
        #expect(net.chainCount * 2 == expected.values.reduce(0) { $0 + $1.count } && net.chainCount > 50)
        for (k, a) in kept.enumerated() {
            var row: [Int: Double] = [:]
            for e in net.rowStart[k]..<net.rowStart[k + 1] { row[kept[Int(net.neighbours[e])]] = net.weights[e] }
            #expect(row == (expected[a] ?? [:]), "neuron \(k)")
        }
        // Fork and join pairs: segments sharing a first hit, or a last hit.
        var pairs = 0
        for a in net.segments.indices {
            for b in net.segments.indices where b > a {
                if net.segments[a].from == net.segments[b].from { pairs += 1 }
                if net.segments[a].to == net.segments[b].to { pairs += 1 }
            }
        }
        #expect(net.conflictCount == pairs)
    }

    @Test("energy of a clean track: the chain terms make the right answer the lowest of the simple candidates")
    func energyOrdering() throws {
        var id = 0
        let hits = planarTrack(id: &id, x0: 0, sx: 0.05, sy: 0.02)
        let layout = LayerLayout(hits: hits, geometry: .forward)
        let net = SegmentNetwork(hits: hits, segments: SegmentBuilder.segments(hits: hits, layout: layout, cuts: SegmentCuts()),
                                 parameters: EnergyParameters())
        let direct = net.segments.map { $0.layerStep == 1 ? 1.0 : 0.0 }
        let skips = net.segments.map { $0.layerStep == 2 ? 1.0 : 0.0 }
        #expect(net.energy(direct) < net.energy(skips))
        #expect(net.energy(direct) < net.energy(Array(repeating: 0, count: net.count)))
    }

    @Test("three straight tracks are reconstructed exactly, by mean field and by simulated annealing", arguments: TrackFinderConfiguration.Solver.allCases)
    func threeTracks(solver: TrackFinderConfiguration.Solver) throws {
        var id = 0
        var hits = planarTrack(id: &id, x0: 1, sx: 0.1, sy: 0.05)
        hits += planarTrack(id: &id, x0: -2, sx: -0.12, sy: 0.1)
        hits += planarTrack(id: &id, x0: 0, sx: 0.01, sy: -0.15)
        let r = try TrackFinder(TrackFinderConfiguration(solver: solver)).reconstruct(hits, random: RandomSource(seed: 1))
        #expect(r.layout.geometry == .forward)
        #expect(trackSets(hits, r) == [Set(1...6), Set(7...12), Set(13...18)])
    }

    @Test("two tracks crossing in the x–z view between chambers are kept apart")
    func crossing() throws {
        var id = 0
        var hits = planarTrack(id: &id, x0: -20, sx: 0.02, sy: 0.010)
        hits += planarTrack(id: &id, x0: 20, sx: -0.02, sy: 0.012)
        let r = try TrackFinder().reconstruct(hits, random: RandomSource(seed: 1))
        #expect(trackSets(hits, r) == [Set(1...6), Set(7...12)])
    }

    @Test("a track with a missing layer is bridged by a segment skipping it")
    func missingLayer() throws {
        var id = 0
        var hits = planarTrack(id: &id, x0: 0, sx: 0.08, sy: 0.03, skip: [3])
        hits += planarTrack(id: &id, x0: 3, sx: -0.1, sy: -0.05)
        let r = try TrackFinder().reconstruct(hits, random: RandomSource(seed: 1))
        #expect(trackSets(hits, r) == [Set(1...5), Set(6...11)])
        let split = try TrackFinder(TrackFinderConfiguration(cuts: SegmentCuts(skipLayers: false))).reconstruct(hits, random: RandomSource(seed: 1))
        #expect(!trackSets(hits, split).contains(Set(1...5)))
    }

    @Test("generated barrel and planar events are reconstructed with a TrackML score above 0.95")
    func generatedEvents() throws {
        for (detector, tracks) in [(EventGenerator.Detector.planar, 20), (.barrel, 100)] {
            let event = try EventGenerator(.init(detector: detector, tracks: tracks, noise: 0.1, minPT: 1)).generate(random: RandomSource(seed: 11))
            let r = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 1))
            #expect(r.layout.geometry == (detector == .planar ? .forward : .barrel))
            let score = TrackingScore.evaluate(hits: event.hits, truth: event.truth, trackIDs: r.trackIDs(hitCount: event.hits.count))
            #expect(score.score > 0.95, "\(detector): \(score)")
        }
    }

    @Test("the same seed gives identical output; another seed starts elsewhere")
    func reproducible() throws {
        let event = try EventGenerator(.init(detector: .barrel, tracks: 30, noise: 0.1)).generate(random: RandomSource(seed: 5))
        let a = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 9))
        let b = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 9))
        let c = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 10))
        #expect(a.activations == b.activations && a.tracks == b.tracks)
        #expect(a.activations != c.activations)
    }

    @Test("mean-field annealing ends in a lower-energy state than it starts from")
    func descent() throws {
        let event = try EventGenerator(.init(detector: .planar, tracks: 10, noise: 0.2)).generate(random: RandomSource(seed: 2))
        let layout = LayerLayout(hits: event.hits, geometry: .auto)
        let net = SegmentNetwork(hits: event.hits, segments: SegmentBuilder.segments(hits: event.hits, layout: layout, cuts: SegmentCuts()),
                                 parameters: EnergyParameters())
        let schedule = AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.5, minimumTemperature: 0.05, iterationsPerTemperature: 3)
        let (_, trace) = try MeanFieldAnnealing(.init(schedule: schedule)).run(net, random: RandomSource(seed: 1))
        // Mean-field descends the free energy at each T; as T falls the energy settles, and at the end
        // the state is a near-binary low-energy configuration.
        #expect(trace.count >= 3)
        #expect(trace.last!.energy < trace.first!.energy)
    }
}
