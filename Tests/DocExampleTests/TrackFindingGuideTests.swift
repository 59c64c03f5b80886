import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport
import TrackFinding

/// The example that opens docs/tracks.md, compiled and run.
@Suite("Guide examples: track finding")
struct TrackFindingGuideTests {
    @Test("docs/tracks.md's example runs and is the text of the guide")
    func example() throws {
        let folder = TemporaryFolder()
        // example: tracks
        // The hits of the shipped barrel event (TrackML CSV), and their truth in the same order.
        let hitsFile = dataFolder + "/events/barrel/event000000001-hits.csv"
        let hits = try HitFile.read(hitsFile)
        let truth = try TruthFile.read(dataFolder + "/events/barrel/event000000001-truth.csv", matching: hits, hitsFile: hitsFile)
        // Segments, the Denby–Peterson network and mean-field annealing, with the defaults but a
        // p_T cut of 1 GeV; the seed makes the run reproducible.
        let finder = try TrackFinder(TrackFinderConfiguration(cuts: SegmentCuts(minPT: 1)))
        let reconstruction = try finder.reconstruct(hits, random: RandomSource(seed: 1))
        let trackIDs = reconstruction.trackIDs(hitCount: hits.count)
        // The TrackML score (1 is perfect) and the tracking rates.
        let score = TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: trackIDs)
        // The submission, event_id,hit_id,track_id, written atomically.
        try AtomicFile.write(SubmissionFile.format(eventID: 1, hits: hits, trackIDs: trackIDs), to: folder.file("submission.csv"))
        // end of example
        #expect(reconstruction.layout.geometry == .barrel && reconstruction.tracks.count == 100)
        #expect(score.score > 0.99 && score.efficiency == 1)
        #expect(try SubmissionFile.read(folder.file("submission.csv"), matching: hits, hitsFile: hitsFile) == trackIDs)
        #expect(try sourceExample(#filePath, named: "tracks") == guideExample("tracks.md", named: "tracks"))
    }

    @Test("docs/tracks.md's configuration-file example runs and is the text of the guide")
    func configurationExample() throws {
        let folder = TemporaryFolder()
        // example: tracks-configuration
        // A preset (library value, no file needed), changed in Swift, written and read back.
        var configuration = try TrackFinderConfiguration.preset(named: "trackml-full") ?? TrackFinderConfiguration()
        configuration.workers = 1
        try configuration.write(to: folder.file("my-detector.json"))
        let mine = try TrackFinderConfiguration.read(folder.file("my-detector.json"))
        // A hand-written file needs only the fields that differ from the defaults.
        try AtomicFile.write(#"{"format": "energymodels.tracks-configuration", "cuts": {"minPT": 1}}"#, to: folder.file("small.json"))
        let small = try TrackFinderConfiguration.read(folder.file("small.json"))
        let finder = try TrackFinder(small)
        // end of example
        #expect(mine == configuration && mine.layerGraph?.layers.count == 48 && mine.workers == 1)
        #expect(small == TrackFinderConfiguration(cuts: SegmentCuts(minPT: 1)) && finder.configuration.cuts.minPT == 1)
        #expect(try sourceExample(#filePath, named: "tracks-configuration") == guideExample("tracks.md", named: "tracks-configuration"))
    }
}
