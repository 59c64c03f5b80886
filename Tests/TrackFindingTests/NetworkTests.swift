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
    @Test("the field is −∂E/∂V: it matches central finite differences of the energy")
    func gradient() throws {
        var g = EventGenerator(detector: .planar, tracks: 6, noise: 0.3)
        g.inefficiency = 0.1
        let event = try g.generate(random: RandomSource(seed: 3))
        var p = EnergyParameters()
        p.beta = 0.05
        p.maxAngle = 0.2
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
        var c = TrackFinderConfiguration()
        c.solver = solver
        let r = try TrackFinder(c).reconstruct(hits, random: RandomSource(seed: 1))
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
        var noSkip = TrackFinderConfiguration()
        noSkip.cuts.skipLayers = false
        let split = try TrackFinder(noSkip).reconstruct(hits, random: RandomSource(seed: 1))
        #expect(!trackSets(hits, split).contains(Set(1...5)))
    }

    @Test("generated barrel and planar events are reconstructed with a TrackML score above 0.95")
    func generatedEvents() throws {
        for (detector, tracks) in [(EventGenerator.Detector.planar, 20), (.barrel, 100)] {
            var g = EventGenerator(detector: detector, tracks: tracks, noise: 0.1)
            g.minPT = 1
            let event = try g.generate(random: RandomSource(seed: 11))
            let r = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 1))
            #expect(r.layout.geometry == (detector == .planar ? .forward : .barrel))
            let score = TrackingScore.evaluate(hits: event.hits, truth: event.truth, trackIDs: r.trackIDs(hitCount: event.hits.count))
            #expect(score.score > 0.95, "\(detector): \(score)")
        }
    }

    @Test("the same seed gives identical output; another seed starts elsewhere")
    func reproducible() throws {
        let event = try EventGenerator(detector: .barrel, tracks: 30, noise: 0.1).generate(random: RandomSource(seed: 5))
        let a = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 9))
        let b = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 9))
        let c = try TrackFinder().reconstruct(event.hits, random: RandomSource(seed: 10))
        #expect(a.activations == b.activations && a.tracks == b.tracks)
        #expect(a.activations != c.activations)
    }

    @Test("mean-field annealing ends in a lower-energy state than it starts from")
    func descent() throws {
        let event = try EventGenerator(detector: .planar, tracks: 10, noise: 0.2).generate(random: RandomSource(seed: 2))
        let layout = LayerLayout(hits: event.hits, geometry: .auto)
        let net = SegmentNetwork(hits: event.hits, segments: SegmentBuilder.segments(hits: event.hits, layout: layout, cuts: SegmentCuts()),
                                 parameters: EnergyParameters())
        var m = MeanFieldAnnealing()
        m.schedule = AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.5, minimumTemperature: 0.05, iterationsPerTemperature: 3)
        let (_, trace) = m.run(net, random: RandomSource(seed: 1))
        // Mean-field descends the free energy at each T; as T falls the energy settles, and at the end
        // the state is a near-binary low-energy configuration.
        #expect(trace.count >= 3)
        #expect(trace.last!.energy < trace.first!.energy)
    }
}
