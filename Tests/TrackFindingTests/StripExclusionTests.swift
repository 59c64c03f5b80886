import EnergyCore
import Foundation
import Testing
@testable import TrackFinding

@Suite("Strip exclusion")
struct StripExclusionTests {
    @Test("hits on one layer with the same x (within the tolerance) share a strip; other layers and other x do not")
    func sharedStrips() {
        let l1 = LayerID(volume: 2, layer: 1), l2 = LayerID(volume: 2, layer: 2)
        let hits = [Hit(id: 1, x: 10, y: 0, z: 400, layer: l1), Hit(id: 2, x: 20, y: 5, z: 400, layer: l1),
                    Hit(id: 3, x: 10, y: 7, z: 400, layer: l1), Hit(id: 4, x: 10, y: 0, z: 650, layer: l2),
                    Hit(id: 5, x: 10.0004, y: -3, z: 400, layer: l1), Hit(id: 6, x: 10.01, y: 2, z: 400, layer: l1)]
        #expect(SharedStrips.xStrips(of: hits, tolerance: 0.001) == [0, 1, 0, 3, 0, 5])
        #expect(SharedStrips.xStrips(of: hits, tolerance: 0.1) == [0, 1, 0, 3, 0, 0])
        #expect(SharedStrips.xStrips(of: hits, tolerance: 0) == [0, 1, 2, 3, 4, 5])
    }

    @Test("two segments reaching a real point and its ghost on one x strip cost γ more; the field stays −∂E/∂V")
    func energyTerm() throws {
        // A straight track on six planes (hits 0…5), a ghost of its third point (hit 6: same x, 3 mm
        // off in y) and a stray point on the second plane (hit 7).
        var id = 0
        var hits = planarTrack(id: &id, x0: 0, sx: 0.05, sy: 0.02)
        hits.append(Hit(id: 100, x: hits[2].x, y: hits[2].y + 3, z: hits[2].z, layer: hits[2].layer))
        hits.append(Hit(id: 101, x: hits[1].x + 4, y: hits[1].y + 2, z: hits[1].z, layer: hits[1].layer))
        let layout = LayerLayout(hits: hits, geometry: .forward)
        let segments = SegmentBuilder.segments(hits: hits, layout: layout, cuts: SegmentCuts(magneticField: 0))
        let plain = SegmentNetwork(hits: hits, segments: segments, parameters: EnergyParameters(maxAngle: 0.2))
        let strips = SegmentNetwork(hits: hits, segments: segments, parameters: EnergyParameters(maxAngle: 0.2, stripPenalty: 0.3))
        #expect(plain.stripFrom == plain.segments.map(\.from) && plain.stripTo == plain.segments.map(\.to))
        #expect(strips.hitStrip[6] == strips.hitStrip[2] && strips.stripWeight[Int(strips.hitStrip[2])] == 0.3)
        // 1 → 2 reaches the real point, 7 → 6 the ghost: no shared hit, but one strip.
        guard let real = strips.segments.firstIndex(where: { $0.from == 1 && $0.to == 2 }),
              let ghost = strips.segments.firstIndex(where: { $0.from == 7 && $0.to == 6 }),
              let other = strips.segments.firstIndex(where: { $0.from == 7 && $0.to == 2 })
        else { Issue.record("expected the segments 1 → 2, 7 → 6 and 7 → 2"); return }
        var v = [Double](repeating: 0, count: strips.count)
        v[real] = 1
        v[ghost] = 1
        #expect(abs(plain.energy(v) - 0) < 1e-12)
        #expect(abs(strips.energy(v) - 0.3) < 1e-12)
        // A join at one hit costs α with or without strips.
        v[ghost] = 0
        v[other] = 1
        #expect(abs(plain.energy(v) - plain.alpha) < 1e-12 && abs(strips.energy(v) - strips.alpha) < 1e-12)
        let random = RandomSource(seed: 5)
        let w = (0..<strips.count).map { _ in random.uniform() }
        let fields = strips.fields(w)
        for a in 0..<strips.count {
            var up = w, down = w
            up[a] += 1e-5
            down[a] -= 1e-5
            let numeric = -(strips.energy(up) - strips.energy(down)) / 2e-5
            #expect(abs(numeric - fields[a]) < 1e-6 * max(1, abs(numeric)))
        }
    }

    @Test("on a generated BM@N-like event every ghost shares its x strip with a real point; the field stays −∂E/∂V; the preset finds tracks")
    func generatedEvent() throws {
        let event = try EventGenerator(.init(detector: .bmn, tracks: 10, noise: 0.1)).generate(random: RandomSource(seed: 3))
        let strips = SharedStrips.xStrips(of: event.hits, tolerance: 0.001)
        let truth = Dictionary(uniqueKeysWithValues: event.truth.map { ($0.hitID, $0.particleID) })
        // Every ghost (particle 0, nonzero module) shares its x strip with a particle's own point.
        var ghosts = 0
        for (h, hit) in event.hits.enumerated() where truth[hit.id] == 0 && hit.module != 0 {
            ghosts += 1
            let mates = event.hits.indices.filter { strips[$0] == strips[h] && $0 != h }
            #expect(mates.contains { truth[event.hits[$0].id] != 0 })
        }
        #expect(ghosts > 0)
        guard var configuration = try TrackFinderConfiguration.preset(named: "bmn") else { Issue.record("no bmn preset"); return }
        configuration.energy.stripTolerance = 0.001
        let result = try TrackFinder(configuration).reconstruct(event.hits, random: RandomSource(seed: 1))
        #expect(!result.tracks.isEmpty)
    }
}
