import Foundation
import TestSupport
import Testing
import TrackFinding
@testable import ebm

@Suite("ebm tracks tune")
struct TracksTuneCommandTests {
    let dir = TemporaryFolder()

    /// The first number after `label` in `text`, and the one after the arrow.
    func scores(_ text: String, _ label: String) -> (Double, Double)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(label) }) else { return nil }
        let numbers = line.dropFirst(label.count).split(separator: " ").compactMap { Double($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    @Test("tunes a mistuned configuration, prints the scores before and after, and find reads the file")
    func tunes() throws {
        var r = try ebm(["tracks", "generate", "--detector", "barrel", "--tracks", "60", "--noise", "0.1", "--seed", "8", "--out", dir.file("train/event")])
        #expect(r.status == 0, "\(r.stderr)")
        r = try ebm(["tracks", "generate", "--detector", "barrel", "--tracks", "60", "--noise", "0.1", "--seed", "9", "--out", dir.file("held/event")])
        let tuned = dir.file("tuned.json")
        r = try ebm(["tracks", "tune", "--events", dir.file("train"), "--held-out", dir.file("held/event-hits.csv"), "--min-pt", "3",
                     "--max-angle", "0.003", "--tune", "cuts.minPT,energy.maxAngle", "--bounds", "cuts.minPT=0.2:4", "--budget", "60",
                     "--max-evaluations", "40", "--output", tuned])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tuning cuts.minPT, energy.maxAngle on 1 event(s), 1 held out") && r.stdout.contains("evaluation 1 "), "\(r.stdout)")
        let training = try #require(scores(r.stdout, "training score: ")), held = try #require(scores(r.stdout, "held-out score: "))
        #expect(training.1 > training.0 + 0.5 && held.1 > held.0 + 0.5, "\(r.stdout)")
        let c = try TrackFinderConfiguration.read(tuned)
        #expect(c.cuts.minPT >= 0.2 && c.cuts.minPT < 1 && c.description.contains("Tuned by TrackFinderTuner"))
        let sub = dir.file("sub.csv")
        r = try ebm(["tracks", "find", "--hits", dir.file("held/event-hits.csv"), "--detector", tuned, "--output", sub])
        #expect(r.status == 0, "\(r.stderr)")
        r = try ebm(["tracks", "score", "--truth", dir.file("held/event-truth.csv"), "--submission", sub])
        let score = Double(r.stdout.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: ";"))) ?? 0
        #expect(abs(score - held.1) < 5e-5, "\(r.stdout)")
    }

    @Test("usage errors name the option")
    func usage() throws {
        _ = try ebm(["tracks", "generate", "--detector", "barrel", "--tracks", "5", "--seed", "1", "--out", dir.file("ev/event")])
        let base = ["tracks", "tune", "--events", dir.file("ev"), "--output", dir.file("t.json")]
        var r = try ebm(base + ["--tune", "cuts.minPt"])
        #expect(r.status == 2 && r.stderr.contains("--tune: cannot tune 'cuts.minPt'"), "\(r.stderr)")
        r = try ebm(base + ["--bounds", "extraction.threshold=0.1:1"])
        #expect(r.status == 2 && r.stderr.contains("--tune/--bounds") && r.stderr.contains("extraction.threshold = 1.0 is refused"), "\(r.stderr)")
        r = try ebm(base + ["--bounds", "cuts.minPT"])
        #expect(r.status == 2 && r.stderr.contains("--bounds: expected field=lower:upper"), "\(r.stderr)")
        r = try ebm(["tracks", "tune", "--events", dir.file("none"), "--output", dir.file("t.json")])
        #expect(r.status == 1, "\(r.stderr)")
    }

    @Test("import --spdsim writes TrackML files that find --detector spd-like reconstructs")
    func importSPDSim() throws {
        // Two straight-ish tracks over six stations, 17.06 mm apart as in spdsim.py, and a noise hit; no evt column (pandas 3).
        var text = ""
        for (track, phi) in [(0, 0.3), (1, 2.1)] {
            for station in 1...6 {
                let r = 270 + 17.0588 * Double(station - 1), a = phi + 0.02 * Double(station)
                text += "\(r * cos(a))\t\(r * sin(a))\t\(10 + 0.5 * Double(station))\t\(station)\t\(track)\t1\t2\t3\t0.5\t0.5\t10\n"
            }
        }
        text += "100\t250\t40\t3\t-1\t0\t0\t0\t0\t0\t0\n"
        let file = dir.write("output.tsv", text)
        var r = try ebm(["tracks", "import", "--spdsim", file, "--out", dir.file("spd/event")])
        #expect(r.status == 0 && r.stdout.contains("1 event(s)"), "\(r.stdout) \(r.stderr)")
        let hits = dir.file("spd/event000000000-hits.csv"), sub = dir.file("spd-sub.csv")
        r = try ebm(["tracks", "find", "--hits", hits, "--detector", "spd-like", "--output", sub])
        #expect(r.status == 0, "\(r.stderr)")
        r = try ebm(["tracks", "score", "--truth", dir.file("spd/event000000000-truth.csv"), "--submission", sub])
        #expect(r.status == 0 && r.stdout.hasPrefix("TrackML score 1.0000"), "\(r.stdout) \(r.stderr)")
        r = try ebm(["tracks", "import", "--spdsim", dir.write("bad.tsv", "1\t2\n"), "--out", dir.file("bad/event")])
        #expect(r.status == 1 && r.stderr.contains("line 1: expected 12 tab-separated fields"), "\(r.stderr)")
    }
}
