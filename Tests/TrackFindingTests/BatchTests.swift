import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

/// Counts what a library reports through `ProgressObserver`.
final class CountingProgress: ProgressObserver {
    var tasks: [(name: String, total: Int)] = []
    var steps = 0
    var ended = 0
    func begin(_ task: String, total: Int) { tasks.append((task, total)) }
    func advance(by steps: Int) { self.steps += steps }
    func end() { ended += 1 }
}

@Suite("Event files and folders")
struct BatchTests {
    let dir = TemporaryFolder()

    /// Writes `count` small barrel events into `folder` as eventNNNNNNNNN-hits.csv … and returns the folder.
    func events(_ count: Int, in folder: String = "events") throws -> String {
        let generator = try EventGenerator(.init(detector: .barrel, tracks: 25, noise: 0.1, minPT: 1))
        try generator.write(events: count, prefix: dir.file(folder + "/event"), random: RandomSource(seed: 8))
        return dir.file(folder)
    }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("a folder's submissions are the single-event ones, whatever the workers and the shards")
    func batchEqualsSingle() throws {
        let folder = try EventFolder(try events(5))
        #expect(folder.hitFiles == (1...5).map { String(format: "event%09d-hits.csv", $0) })
        let finder = try TrackFinder()
        let one = try finder.reconstruct(folder: folder, outputFolder: dir.file("w1"), seed: 3, workers: 1)
        let two = try finder.reconstruct(folder: folder, outputFolder: dir.file("w2"), seed: 3, workers: 2)
        #expect(one.failures.isEmpty && two.failures.isEmpty && one.eventCount == 5)
        for shard in [Shard(index: 1, count: 3), Shard(index: 2, count: 3), Shard(index: 3, count: 3)].compactMap({ $0 }) {
            let part = try finder.reconstruct(folder: folder, shard: shard, outputFolder: dir.file("shards"), seed: 3, workers: 2)
            #expect(part.events.map { EventFolder.eventNumber($0.hitsFile) } == Array(stride(from: shard.index, through: 5, by: 3)))
        }
        for k in 1...5 {
            let name = String(format: "event%09d-submission.csv", k)
            let hits = folder.path + "/" + String(format: "event%09d-hits.csv", k)
            let single = try finder.reconstruct(hitsFile: hits, submission: dir.file("single-\(k).csv"), seed: 3)
            let expected = try contents(dir.file("single-\(k).csv"))
            #expect(single.eventID == k && expected.hasPrefix("event_id,hit_id,track_id\n\(k),"))
            #expect(try contents(dir.file("w1/" + name)) == expected)
            #expect(try contents(dir.file("w2/" + name)) == expected)
            #expect(try contents(dir.file("shards/" + name)) == expected)
        }
        // The reports are the same, in file order, with the counts of each event.
        #expect(one.events.map(\.hitsFile) == two.events.map(\.hitsFile))
        #expect(one.events.map(\.trackCount) == two.events.map(\.trackCount) && one.events.allSatisfy { $0.trackCount >= 20 })
    }

    @Test("each event's stream comes from the seed and its file name: it reproduces, whatever the folder")
    func eventSeeds() throws {
        let a = TrackFinder.random(seed: 5, forEvent: "/x/event000000001-hits.csv")
        let b = TrackFinder.random(seed: 5, forEvent: "elsewhere/event000000001-hits.csv")
        let c = TrackFinder.random(seed: 5, forEvent: "/x/event000000002-hits.csv")
        let d = TrackFinder.random(seed: 6, forEvent: "/x/event000000001-hits.csv")
        let first = (0..<4).map { _ in a.uniform() }
        #expect((0..<4).map { _ in b.uniform() } == first)
        #expect((0..<4).map { _ in c.uniform() } != first)
        #expect((0..<4).map { _ in d.uniform() } != first)
        // The file workflow reconstructs with that stream.
        let folder = try events(1, in: "one")
        let hitsFile = folder + "/event-hits.csv"
        let hits = try HitFile.read(hitsFile)
        let r = try TrackFinder().reconstruct(hits, random: TrackFinder.random(seed: 9, forEvent: hitsFile))
        try TrackFinder().reconstruct(hitsFile: hitsFile, submission: dir.file("s.csv"), seed: 9, eventID: 4)
        #expect(try contents(dir.file("s.csv")) == SubmissionFile.format(eventID: 4, hits: hits, trackIDs: r.trackIDs(hitCount: hits.count)))
    }

    @Test("a failing event is reported with its error; the other events are still written")
    func failingEvent() throws {
        let path = try events(3)
        let bad = path + "/event000000002-hits.csv"
        try "hit_id,x,y,z,layer\n1,0,0,1,1\n2,0,abc,2,2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let progress = CountingProgress()
        let report = try TrackFinder().reconstruct(folder: EventFolder(path), outputFolder: dir.file("out"), seed: 1, workers: 2,
                                                   progress: progress)
        #expect(report.events.map(\.eventID) == [1, 3])
        #expect(report.failures.count == 1 && report.failures.first?.hitsFile == bad)
        #expect(report.failures.first?.error as? InputError == InputError(file: bad, .field(line: 3, column: "y"), "expected a number, found \"abc\""))
        #expect(report.eventCount == 3)
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.file("out")).sorted()
        #expect(written == ["event000000001-submission.csv", "event000000003-submission.csv"])
        // One task, one step per event, failed ones included.
        #expect(progress.tasks.map(\.total) == [3] && progress.steps == 3 && progress.ended == 1)
    }

    @Test("folders without events, shards out of range and a submission over its hits are refused")
    func refusals() throws {
        #expect(throws: InputError(file: dir.path, "no eventNNN-hits.csv files in the folder")) { try EventFolder(dir.path) }
        #expect(throws: InputError.self) { try EventFolder(dir.file("none")) }
        #expect(Shard(index: 3, count: 2) == nil && Shard(index: 0, count: 2) == nil && Shard(index: 1, count: 0) == nil)
        #expect(Shard.whole.description == "1/1")
        let folder = try events(1, in: "one")
        let hits = folder + "/event-hits.csv"
        let before = try contents(hits)
        #expect(throws: InputError.self) { try TrackFinder().reconstruct(hitsFile: hits, submission: hits, seed: 1) }
        #expect(try contents(hits) == before)
        #expect(EventFolder.submissionName(for: "a/event000000007-hits.csv") == "event000000007-submission.csv")
        #expect(EventFolder.eventNumber("/d/event000000042-hits.csv") == 42 && EventFolder.eventNumber("hits.csv") == nil)
    }

    @Test("the generator writes one event under its prefix, several numbered, and reports each")
    func generatorFiles() throws {
        var seen: [Int] = []
        let generator = try EventGenerator(.init(detector: .planar, tracks: 5, noise: 0.2))
        let many = try generator.write(events: 3, prefix: dir.file("g/event"), random: RandomSource(seed: 2)) { seen.append($0.number) }
        #expect(seen == [1, 2, 3] && many.map(\.hitsFile) == (1...3).map { dir.file("g/" + String(format: "event%09d-hits.csv", $0)) })
        let single = try generator.write(events: 1, prefix: dir.file("single"), random: RandomSource(seed: 2))
        #expect(single.map(\.hitsFile) == [dir.file("single-hits.csv")])
        // The first event of both runs is the same draw.
        #expect(try contents(dir.file("single-hits.csv")) == contents(many[0].hitsFile))
        let hits = try HitFile.read(many[0].hitsFile)
        #expect(hits.count == many[0].hitCount && many[0].particleCount == 5)
        #expect(try TruthFile.read(many[0].prefix + "-truth.csv").filter { $0.particleID == 0 }.count == many[0].noiseHitCount)
    }
}
