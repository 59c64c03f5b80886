import Foundation
import TestSupport
import Testing
import TrackFinding
@testable import ebm

@Suite("ebm tracks on BM@N")
struct TracksBMNCommandTests {
    let dir = TemporaryFolder()

    @Test("generate --detector bmn, find --detector bmn and score; find and score read a BM@N event CSV as it is")
    func bmn() throws {
        let prefix = dir.file("bmn")
        var r = try ebm(["tracks", "generate", "--detector", "bmn", "--tracks", "10", "--noise", "0.1", "--pt-min", "1", "--seed", "3", "--out", prefix])
        #expect(r.status == 0, "\(r.stderr)")
        let sub = dir.file("sub.csv")
        r = try ebm(["tracks", "find", "--detector", "bmn", "--hits", prefix + "-hits.csv", "--output", sub])
        #expect(r.status == 0 && r.stdout.contains("(forward)"), "\(r.stderr)")
        r = try ebm(["tracks", "score", "--truth", prefix + "-truth.csv", "--submission", sub])
        let score = Double(r.stdout.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: ";"))) ?? 0
        #expect(r.status == 0 && score > 0.9, "\(r.stdout)")
        // The same event as a BM@N CSV: the reader detects it, the score comes from its truth columns.
        let event = try HitFile.read(prefix + "-hits.csv"), truth = try TruthFile.read(prefix + "-truth.csv", matching: event, hitsFile: prefix + "-hits.csv")
        let csv = dir.write("event6.csv", BMNEventFile.format(eventID: 6, hits: event, truth: truth))
        let bmnSub = dir.file("bmn-sub.csv")
        r = try ebm(["tracks", "find", "--detector", "bmn", "--hits", csv, "--output", bmnSub])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: bmnSub, encoding: .utf8).hasPrefix("event_id,hit_id,track_id\n6,1,"))
        r = try ebm(["tracks", "score", "--truth", csv, "--submission", bmnSub])
        let again = Double(r.stdout.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: ";"))) ?? 0
        #expect(r.status == 0 && again > 0.9, "\(r.stdout)")
        let bad = dir.write("bad.csv", "event_id,x,y,z,detector,station,track,px,py,pz,vx,vy,vz\n6,1,2,3,0,0,x,0,0,0,0,0,0\n")
        r = try ebm(["tracks", "find", "--detector", "bmn", "--hits", bad, "--output", bmnSub])
        #expect(r.status == 1 && r.stderr.contains("bad.csv") && r.stderr.contains("line 2"), "\(r.stderr)")
    }
}
