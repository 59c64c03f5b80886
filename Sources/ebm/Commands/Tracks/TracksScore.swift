import ArgumentParser
import EnergyCore
import Foundation
import TrackFinding

/// `ebm tracks score`: the TrackML score and tracking rates of a submission.
struct TracksScore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a submission against the truth with the TrackML metric.",
        discussion: """
        The TrackML score uses the truth weights and the double majority rule (more than half of the track's \
        hits from the particle, and more than half of the particle's hits in the track). Also printed: \
        efficiency, fake rate, duplicate rate and segment precision/recall.
        """)

    @Option(help: "TrackML truth file.") var truth: String
    @Option(help: "Submission: event_id,hit_id,track_id.") var submission: String
    @Option(help: "Fewest hits of a reconstructable particle.") var minHits = 3

    func run() throws {
        let score = try Self.score(truth: truth, submission: submission, minHits: minHits)
        print(Self.describe(score))
    }

    /// Reads the files and scores them; hits are placed at their true positions.
    static func score(truth: String, submission: String, minHits: Int) throws -> TrackingScore {
        let t = try TruthFile.read(truth, required: ["hit_id", "particle_id", "tx", "ty", "tz", "weight"])
        let hits = t.map { Hit(id: $0.hitID, x: $0.tx, y: $0.ty, z: $0.tz, layer: LayerID(volume: 0, layer: 0)) }
        let tracks = try SubmissionFile.read(submission, matching: hits, hitsFile: truth)
        return TrackingScore.evaluate(hits: hits, truth: t, trackIDs: tracks, minHits: minHits)
    }

    static func describe(_ s: TrackingScore) -> String {
        String(format: "TrackML score %.4f; efficiency %.4f (%d of %d particles); fake rate %.4f, duplicate rate %.4f of %d tracks; "
               + "segment precision %.4f, recall %.4f", s.score, s.efficiency, s.matched, s.particles, s.fakeRate, s.duplicateRate, s.tracks,
               s.segmentPrecision, s.segmentRecall)
    }
}
