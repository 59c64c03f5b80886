import EnergyCore
import Foundation
import TestSupport
import Testing
@testable import TrackFinding

@Suite("Full-detector events with pile-up")
struct CollisionSimulationTests {
    func event(pileup: Int, seed: UInt64 = 1, noise: Double = 0.1, focusPT: Double = 0, overlap: Double = 0.08) throws -> GeneratedEvent {
        try EventGenerator(.init(detector: .full, noise: noise, pileup: pileup, overlap: overlap, focusPT: focusPT))
            .generate(random: RandomSource(seed: seed))
    }

    @Test("a μ = 5 event has hits on the barrel and on the disks of both endcaps, with TrackML's volume ids")
    func volumes() throws {
        let e = try event(pileup: 5)
        let volumes = Set(e.hits.map(\.layer.volume))
        #expect(volumes == [7, 8, 9, 12, 13, 14, 16, 17, 18])
        let full = DetectorDescription.trackMLFull
        for h in e.hits {
            let layer = try #require(full.layer(h.layer))
            switch layer.shape {
            case .disk:
                #expect(abs(abs(h.z) - abs(layer.position)) <= CollisionSimulation.overlapOffset + 1e-6)
                #expect((h.z < 0) == [7, 12, 16].contains(h.layer.volume))
            case .cylinder:
                #expect(abs(h.r - layer.position) <= CollisionSimulation.overlapOffset + 1e-6)
            }
            #expect(h.module >= 1)
        }
    }

    @Test("the particle count grows with μ: about 48 charged particles per collision")
    func pileupScaling() throws {
        let small = try event(pileup: 10, noise: 0).particles.count, large = try event(pileup: 40, seed: 2, noise: 0).particles.count
        // Mean 48.96 per collision with 2% secondary pairs; Poisson σ is √N.
        #expect(abs(Double(small) - 489.6) < 5 * 489.6.squareRoot(), "\(small)")
        #expect(abs(Double(large) - 1958.4) < 5 * 1958.4.squareRoot(), "\(large)")
        #expect(Double(large) / Double(small) > 3 && Double(large) / Double(small) < 5.3)
    }

    @Test("the Tsallis spectrum has ⟨p_T⟩ = 2nT/(n−3) = 0.5 GeV and its survival function")
    func spectrum() {
        let s = MinimumBiasSpectrum(), random = RandomSource(seed: 9)
        #expect(abs(s.meanPT - 0.5) < 1e-12)
        var sum = 0.0, above1 = 0
        let n = 200_000
        for _ in 0..<n {
            let pt = s.draw(random)
            sum += pt
            if pt >= 1 { above1 += 1 }
        }
        // σ(p_T) ≈ 0.45 GeV, so the mean of 2·10⁵ draws is within 0.005 of 0.5 at 5σ.
        #expect(abs(sum / Double(n) - 0.5) < 0.005, "\(sum / Double(n))")
        #expect(abs(Double(above1) / Double(n) - s.survival(1)) < 0.005)
        #expect(abs(s.survival(0) - 1) < 1e-12)
    }

    @Test("a 10 GeV particle at η = 2.5 crosses the pixel disks in z order, then the strip disks")
    func diskOrder() throws {
        let configuration = EventGenerator.Configuration(detector: .full, overlap: 0)
        let simulation = CollisionSimulation(configuration)
        var hits: [EventGenerator.RawHit] = [], particles: [Particle] = []
        simulation.track(HelixState(x: 0, y: 0, z: 0, phi: 0.3, pt: 10, cotTheta: sinh(2.5), charge: 1), RandomSource(seed: 4),
                         hits: &hits, particles: &particles)
        let zs = hits.map(\.z)
        #expect(zs == zs.sorted())
        #expect(hits.count >= 8)
        #expect(hits.first?.layer.volume == 8)  // the innermost pixel cylinder first (r = 32 mm at z ≈ 195 mm)
        // Pixel disks at z = 600, 700, 820, 960 mm (r = 99…159 mm); at 1100 mm r = 182 mm is beyond
        // their 175 mm; then the short-strip disks from z = 1500 mm (r = 248 mm) on.
        #expect(hits.filter { $0.layer.volume == 9 }.map(\.layer.layer) == [2, 4, 6, 8])
        #expect(hits.filter { $0.layer.volume == 14 }.map(\.layer.layer) == [4, 6, 8, 10, 12])
        #expect(particles.first?.hitCount == hits.count)
    }

    @Test("a low-p_T looper stops after its first outward half-turn")
    func looper() {
        let simulation = CollisionSimulation(EventGenerator.Configuration(detector: .full, overlap: 0))
        var hits: [EventGenerator.RawHit] = [], particles: [Particle] = []
        // p_T = 0.1 GeV in 2 T: radius 167 mm, so at most r = 333 mm; η = 0 keeps it in the barrel.
        simulation.track(HelixState(x: 0, y: 0, z: 0, phi: 1, pt: 0.1, cotTheta: 0, charge: -1), RandomSource(seed: 2),
                         hits: &hits, particles: &particles)
        #expect(hits.map(\.layer) == [(8, 2), (8, 4), (8, 6), (8, 8), (13, 2)].map { LayerID(volume: $0.0, layer: $0.1) })
    }

    @Test("overlap hits share the particle and the layer, in another module")
    func overlaps() throws {
        let e = try event(pileup: 3, noise: 0, overlap: 0.5)
        var seen: [String: Int] = [:], pairs = 0
        for (k, (h, t)) in zip(e.hits, e.truth).enumerated() {
            let key = "\(t.particleID)-\(h.layer)"
            if let other = seen[key] {
                pairs += 1
                let o = e.hits[other]
                #expect(o.module != h.module)
                let distance = ((o.x - h.x) * (o.x - h.x) + (o.y - h.y) * (o.y - h.y) + (o.z - h.z) * (o.z - h.z)).squareRoot()
                #expect(distance < 60, "\(distance)")
            } else {
                seen[key] = k
            }
        }
        #expect(pairs > 100)
        #expect(try event(pileup: 3, noise: 0, overlap: 0).truth.count < e.truth.count)
    }

    @Test("weights: zero for noise, for particles with 3 hits or fewer and below the focus p_T; they sum to 1")
    func weights() throws {
        for focus in [0.0, 1.0] {
            let e = try event(pileup: 5, focusPT: focus)
            let particles = Dictionary(uniqueKeysWithValues: e.particles.map { ($0.id, $0) })
            var sum = 0.0
            for t in e.truth {
                sum += t.weight
                guard let p = particles[t.particleID] else { #expect(t.weight == 0); continue }
                let counts = p.hitCount >= 4 && (p.px * p.px + p.py * p.py).squareRoot() >= focus
                #expect((t.weight > 0) == counts)
            }
            #expect(abs(sum - 1) < 1e-9)
            #expect(e.truth.contains { $0.particleID == 0 })
            // Every particle's hit count is what the truth says.
            let counted = Dictionary(grouping: e.truth.filter { $0.particleID != 0 }, by: \.particleID).mapValues(\.count)
            #expect(e.particles.allSatisfy { $0.hitCount == (counted[$0.id] ?? 0) })
        }
    }

    @Test("the same seed writes the same files; the settings are checked")
    func reproducible() throws {
        let dir = TemporaryFolder()
        for name in ["a", "b"] { try event(pileup: 4, seed: 7).write(prefix: dir.file(name)) }
        for suffix in ["-hits.csv", "-truth.csv", "-particles.csv"] {
            #expect(try String(contentsOfFile: dir.file("a" + suffix), encoding: .utf8) == String(contentsOfFile: dir.file("b" + suffix), encoding: .utf8))
        }
        try event(pileup: 4, seed: 8).write(prefix: dir.file("c"))
        #expect(try String(contentsOfFile: dir.file("a-hits.csv"), encoding: .utf8) != String(contentsOfFile: dir.file("c-hits.csv"), encoding: .utf8))
        let cases: [(EventGenerator.Configuration, String)] = [
            (.init(detector: .full, pileup: -1), "pileup"), (.init(detector: .full, multiplicity: -1), "multiplicity"),
            (.init(detector: .full, spectrum: MinimumBiasSpectrum(power: 2)), "spectrum.power"),
            (.init(detector: .full, overlap: 2), "overlap"), (.init(detector: .full, focusPT: -1), "focusPT"),
            (.init(detector: .full, maxEta: 0), "maxEta"),
            (.init(detector: .full, detectorDescription: DetectorDescription(name: "empty", magneticField: 2, layers: [])), "detectorDescription.layers"),
        ]
        for (configuration, field) in cases {
            #expect(throws: ConfigurationError.self) { try EventGenerator(configuration) }
            do { _ = try EventGenerator(configuration) } catch let error as ConfigurationError { #expect(error.field == field) }
        }
    }
}
