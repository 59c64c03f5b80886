import EnergyCore
import Foundation
import TestSupport
import Testing
@testable import TrackFinding

@Suite("TrackML scoring and files")
struct ScoreTests {
    let dir = TemporaryFolder()

    /// Particle 1: hits 1–4, particle 2: hits 5–8, noise: hit 9. Weights 1…8 (sum 36), noise 0.
    var event: ([Hit], [TruthHit]) {
        let hits = (1...9).map { Hit(id: $0, x: Double($0), y: 0, z: 0, layer: LayerID(volume: 0, layer: $0)) }
        let truth = (1...9).map { TruthHit(hitID: $0, particleID: $0 <= 4 ? 1 : ($0 <= 8 ? 2 : 0), weight: $0 <= 8 ? Double($0) : 0) }
        return (hits, truth)
    }

    @Test("scores agree with hand-computed values on crafted submissions")
    func crafted() {
        let (hits, truth) = event
        // Perfect.
        var s = TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: [1, 1, 1, 1, 2, 2, 2, 2, 0])
        #expect(abs(s.score - 1) < 1e-12 && s.efficiency == 1 && s.fakeRate == 0 && s.segmentPrecision == 1 && s.segmentRecall == 1)
        // Track 1 = hits 1,2,3 + noise 9: 3/4 of the track, 3/4 of the particle → counts w1+w2+w3 = 6.
        // Track 2 = hits 5,6 only: 2/4 of particle 2 is not more than half → no score, a split piece.
        // Track 3 = hits 4,7,8: majority particle 2 (2/3) but only 2/4 of it → no score.
        s = TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: [1, 1, 1, 3, 2, 2, 3, 3, 1])
        #expect(abs(s.score - 6.0 / 36) < 1e-12)
        #expect(s.matched == 1 && s.particles == 2 && s.efficiency == 0.5)
        #expect(s.fakeRate == 0 && abs(s.duplicateRate - 2.0 / 3) < 1e-12)
        // Segments: true pairs (1,2),(2,3),(3,4),(5,6),(6,7),(7,8); reconstructed (1,2),(2,3),(3,9),(5,6),(4,7),(7,8).
        #expect(abs(s.segmentPrecision - 4.0 / 6) < 1e-12 && abs(s.segmentRecall - 4.0 / 6) < 1e-12)
        // A track of noise and two particles with no majority is a fake.
        s = TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(s.score == 0 && s.fakeRate == 1)
    }

    @Test("the CLI's file round trip: submissions and truth are read back and checked against the hits")
    func files() throws {
        let (hits, truth) = event
        let sub = dir.write("sub.csv", SubmissionFile.format(eventID: 7, hits: hits, trackIDs: [1, 1, 1, 1, 2, 2, 2, 2, 0]))
        #expect(try SubmissionFile.read(sub, matching: hits, hitsFile: "hits.csv") == [1, 1, 1, 1, 2, 2, 2, 2, 0])
        let t = dir.write("truth.csv", TruthFile.format(truth))
        #expect(try TruthFile.read(t, matching: hits, hitsFile: "hits.csv").map(\.particleID) == truth.map(\.particleID))
    }

    @Test("a submission is scored from the files, each hit at its true position")
    func scoreFiles() throws {
        let (hits, truth) = event
        let t = dir.write("truth.csv", TruthFile.format(truth))
        let ids = [1, 1, 1, 3, 2, 2, 3, 3, 1]
        let sub = dir.write("sub.csv", SubmissionFile.format(eventID: 1, hits: hits, trackIDs: ids))
        let atTruth = try TruthFile.read(t)
        let placed = atTruth.map { Hit(id: $0.hitID, x: $0.tx, y: $0.ty, z: $0.tz, layer: LayerID(volume: 0, layer: 0)) }
        #expect(try TrackingScore.evaluate(truth: t, submission: sub) == TrackingScore.evaluate(hits: placed, truth: atTruth, trackIDs: ids))
        #expect(try TrackingScore.evaluate(truth: t, submission: sub).score == 6.0 / 36)
        #expect(try TrackingScore.evaluate(truth: t, submission: sub, minHits: 5).particles == 0)
        let noPositions = dir.write("np.csv", "hit_id,particle_id,weight\n1,1,1\n")
        #expect(throws: InputError.self) { try TrackingScore.evaluate(truth: noPositions, submission: sub) }
    }

    @Test("a truth file that does not match the hits is refused with the file and line")
    func mismatch() {
        let (hits, _) = event
        let extra = dir.write("extra.csv", "hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,1,0,0,0,0,0,0,0.5\n42,1,0,0,0,0,0,0,0.5\n")
        #expect(throws: InputError(file: extra, .field(line: 3, column: "hit_id"),
                                   "hit_id 42 is not in the hits file h.csv; expected the truth of the same event")) {
            try TruthFile.read(extra, matching: hits, hitsFile: "h.csv")
        }
        let short = dir.write("short.csv", "hit_id,particle_id,weight\n1,1,0.5\n")
        #expect(throws: InputError(file: short, "has no row for hit_id 2 of h.csv; expected one row per hit")) {
            try TruthFile.read(short, matching: hits, hitsFile: "h.csv")
        }
        let noWeight = dir.write("nw.csv", "hit_id,particle_id\n1,1\n")
        #expect(throws: InputError.self) { try TruthFile.read(noWeight, matching: hits, hitsFile: "h.csv") }
        let dup = dir.write("dup.csv", "event_id,hit_id,track_id\n0,1,1\n0,1,2\n")
        #expect(throws: InputError(file: dup, .field(line: 3, column: "hit_id"), "duplicate hit_id 1")) {
            try SubmissionFile.read(dup, matching: hits, hitsFile: "h.csv")
        }
    }

    @Test("geometry is told apart: cylinders order by radius, planes by z")
    func geometry() throws {
        let barrel = try EventGenerator(.init(detector: .barrel, tracks: 20, noise: 0)).generate(random: RandomSource(seed: 1))
        let planar = try EventGenerator(.init(detector: .planar, tracks: 20, noise: 0)).generate(random: RandomSource(seed: 1))
        let b = LayerLayout(hits: barrel.hits, geometry: .auto), p = LayerLayout(hits: planar.hits, geometry: .auto)
        #expect(b.geometry == .barrel && b.depths == b.depths.sorted() && abs(b.depths[0] - 32) < 0.5)
        #expect(p.geometry == .forward && p.depths == [600, 800, 1000, 1200, 1400, 1600])
    }
}
