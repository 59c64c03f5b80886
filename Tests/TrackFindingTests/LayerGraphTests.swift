import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

/// A small event in the full TrackML-like detector made by hand: ideal helices of p_T in
/// [minPT, 10] GeV, |η| ≤ maxEta, vertices with σ_z = 30 mm, each hit at the helix's crossing
/// with a layer, smeared by 20 µm across and along; plus `noise` uniform hits per layer.
func fullDetectorEvent(particles: Int, minPT: Double = 1, maxEta: Double = 3.5, noise: Int = 0, seed: UInt64)
    -> (hits: [Hit], truth: [TruthHit]) {
    let random = RandomSource(seed: seed)
    let detector = DetectorDescription.trackMLFull
    var hits: [Hit] = [], truth: [TruthHit] = []
    for p in 1...particles {
        let helix = HelixPath(pT: random.uniform(minPT, 10), charge: random.uniform() < 0.5 ? -1 : 1, eta: random.uniform(-maxEta, maxEta),
                              phi0: random.uniform(-.pi, .pi), z0: random.gaussian(sigma: 30), magneticField: detector.magneticField)
        for c in helix.crossings(detector) {
            let id = hits.count + 1
            hits.append(Hit(id: id, x: c.x + random.gaussian(sigma: 0.02), y: c.y + random.gaussian(sigma: 0.02),
                            z: c.z + random.gaussian(sigma: 0.02), layer: c.layer))
            truth.append(TruthHit(hitID: id, particleID: p, tx: c.x, ty: c.y, tz: c.z, tpx: helix.pT, weight: 1))
        }
    }
    for layer in detector.layers {
        for _ in 0..<noise {
            let phi = random.uniform(-.pi, .pi), along = random.uniform(layer.lower, layer.upper)
            let (r, z) = layer.shape == .cylinder ? (layer.position, along) : (along, layer.position)
            let id = hits.count + 1
            hits.append(Hit(id: id, x: r * cos(phi), y: r * sin(phi), z: z, layer: layer.id))
            truth.append(TruthHit(hitID: id, particleID: 0, weight: 0))
        }
    }
    let total = truth.reduce(0) { $0 + $1.weight }
    return (hits, truth.map { var t = $0; t.weight /= total; return t })
}

@Suite("Layer graph")
struct LayerGraphTests {
    let geometric: LayerGraph

    init() throws {
        geometric = try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 1))
    }

    @Test("the full detector's graph links barrel to barrel, barrel to disk and disk to disk, and skips one layer")
    func fullDetectorLinks() throws {
        let g = geometric
        try g.validate()
        let shape = Dictionary(uniqueKeysWithValues: g.layers.map { ($0.id, $0.shape) })
        let pairs = g.linkedPairs
        func has(_ a: (Int, Int), _ b: (Int, Int)) -> Bool { g.links(LayerID(volume: a.0, layer: a.1), to: LayerID(volume: b.0, layer: b.1)) }
        #expect(has((8, 2), (8, 4)))                 // pixel barrel → pixel barrel
        #expect(has((8, 8), (13, 2)))                // pixel barrel → strip barrel
        #expect(has((9, 2), (9, 4)))                 // pixel disk → next pixel disk (+z)
        #expect(has((7, 14), (7, 12)))               // and on −z, where layer ids fall outwards
        #expect(has((13, 8), (14, 2)) || has((13, 6), (14, 2)))   // strip barrel → strip disk
        #expect(pairs.keys.contains { shape[$0.from] == .cylinder && shape[$0.to] == .disk })
        #expect(pairs.keys.contains { shape[$0.from] == .disk && shape[$0.to] == .disk })
        #expect(pairs.keys.contains { $0.from.volume == 8 && [7, 9].contains($0.to.volume) })
        #expect(has((8, 2), (8, 6)) && pairs[LinkedPairKey.make((8, 2), (8, 6))] == 2)
        #expect(g.links.contains { $0.step == 2 && shape[g.layers[$0.from].id] == .disk })
        // No link goes backwards across the beam: +z disks never lead to −z disks.
        #expect(!pairs.keys.contains { [9, 14, 18].contains($0.from.volume) && [7, 12, 16].contains($0.to.volume) })
    }

    @Test("the map survives its JSON file, and a broken one is refused naming the field")
    func file() throws {
        let dir = TemporaryFolder()
        let path = dir.file("map.json")
        try geometric.write(to: path)
        #expect(try LayerGraph.read(path) == geometric)
        var broken = geometric
        broken.links[2].step = 3
        try broken.write(to: path)
        let error = #expect(throws: InputError.self) { try LayerGraph.read(path) }
        #expect(error?.description.contains("links.2.step") == true)
    }

    @Test("a map learned from truth uses only links the geometric map has")
    func truthWithinGeometry() {
        let event = fullDetectorEvent(particles: 400, maxEta: 4, seed: 7)
        let learned = LayerGraph(truth: [event], minPT: 1, source: "test")
        let geometric = Set(geometric.linkedPairs.keys)
        let used = Set(learned.linkedPairs.keys)
        #expect(used.count > 50)
        #expect(used.subtracting(geometric).isEmpty, "\(used.subtracting(geometric))")
        // The layers learned from hits have the detector's shapes.
        let shapes = Dictionary(uniqueKeysWithValues: DetectorDescription.trackMLFull.layers.map { ($0.id, $0.shape) })
        #expect(learned.layers.allSatisfy { shapes[$0.id] == $0.shape })
    }

    @Test("a full-detector event with endcap tracks is reconstructed along the map")
    func fullDetectorEventReconstructed() throws {
        let event = fullDetectorEvent(particles: 60, noise: 5, seed: 3)
        let endcapHits = zip(event.hits, event.truth).filter { $0.1.particleID != 0 && [7, 9, 12, 14, 16, 18].contains($0.0.layer.volume) }
        #expect(endcapHits.count > 100)
        let finder = try TrackFinder(TrackFinderConfiguration(cuts: SegmentCuts(minPT: 1), layerGraph: geometric, workers: 2))
        let r = try finder.reconstruct(event.hits, random: RandomSource(seed: 1))
        let score = TrackingScore.evaluate(hits: event.hits, truth: event.truth, trackIDs: r.trackIDs(hitCount: event.hits.count))
        #expect(score.score >= 0.95, "\(score)")
        // The same event without the map cannot follow the disks.
        let plain = try TrackFinder(TrackFinderConfiguration(cuts: SegmentCuts(minPT: 1))).reconstruct(event.hits, random: RandomSource(seed: 1))
        let plainScore = TrackingScore.evaluate(hits: event.hits, truth: event.truth, trackIDs: plain.trackIDs(hitCount: event.hits.count))
        #expect(plainScore.score < score.score)
    }

    @Test("segments do not depend on the number of threads")
    func threads() throws {
        let event = fullDetectorEvent(particles: 50, noise: 20, seed: 5)
        let one = GraphSegmentBuilder.segments(hits: event.hits, graph: geometric, cuts: SegmentCuts(minPT: 1), workers: 1)
        let two = GraphSegmentBuilder.segments(hits: event.hits, graph: geometric, cuts: SegmentCuts(minPT: 1), workers: 2)
        #expect(one == two)
        #expect(!one.isEmpty)
    }
}

/// A `LayerGraph.LinkedPair` from (volume, layer) pairs.
enum LinkedPairKey {
    static func make(_ a: (Int, Int), _ b: (Int, Int)) -> LayerGraph.LinkedPair {
        LayerGraph.LinkedPair(from: LayerID(volume: a.0, layer: a.1), to: LayerID(volume: b.0, layer: b.1))
    }
}
