import ArgumentParser
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
    @Option(help: "Fewest hits of a reconstructable particle.", transform: OptionRange.integer(1...1000)) var minHits = 3

    func run() throws {
        print(TrackingText.score(try TrackingScore.evaluate(truth: truth, submission: submission, minHits: minHits)))
    }
}
