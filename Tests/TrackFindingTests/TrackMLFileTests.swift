import EnergyCore
import Foundation
import TestSupport
import Testing
@testable import TrackFinding

@Suite("TrackML files read from bytes and written without Foundation")
struct TrackMLFileTests {
    let dir = TemporaryFolder()

    @Test("truth is written as %d, %.4f and %.8g write it, and reads back")
    func truthText() throws {
        let truth = [TruthHit(hitID: 1, particleID: 0, tx: -45.24893, ty: 0.00005, tz: -0.0, tpx: 1e6 / 3, tpy: -2.5, tpz: 1.03125, weight: 0),
                     TruthHit(hitID: 2, particleID: 4_503_599_627_370_497, tx: 12, ty: -1e-9, tz: 428.86781, tpx: 0, tpy: 0, tpz: 0,
                              weight: 0.0010090817123),
                     TruthHit(hitID: 3, particleID: -5, weight: 1e-7),
                     TruthHit(hitID: 4, particleID: 9, weight: 123456789)]
        let text = TruthFile.format(truth)
        let expected = "hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n" + truth.map { t in
            "\(t.hitID),\(t.particleID)," + [t.tx, t.ty, t.tz, t.tpx, t.tpy, t.tpz].map { String(format: "%.4f", $0) }.joined(separator: ",")
                + "," + String(format: "%.8g", t.weight) + "\n"
        }.joined()
        #expect(text == expected)
        #expect(text.contains("\n1,0,-45.2489,0.0001,-0.0000,333333.3333,-2.5000,1.0312,0\n"))
        let path = dir.write("truth.csv", text)
        let back = try TruthFile.read(path, required: TruthFile.columns)
        #expect(back.map(\.hitID) == [1, 2, 3, 4] && back.map(\.particleID) == truth.map(\.particleID))
        #expect(back[1].weight == 0.0010090817 && back[2].weight == 1e-7 && back[3].weight == 123456790)
    }

    @Test("a submission is written as integers and reads back")
    func submission() throws {
        let hits = (1...3).map { Hit(id: $0 * 1000, x: 0, y: 0, z: 0, layer: LayerID(volume: 0, layer: $0)) }
        let text = SubmissionFile.format(eventID: 21, hits: hits, trackIDs: [7, 0, -1])
        #expect(text == "event_id,hit_id,track_id\n21,1000,7\n21,2000,0\n21,3000,-1\n")
        #expect(try SubmissionFile.read(dir.write("s.csv", text), matching: hits, hitsFile: "h.csv") == [7, 0, -1])
    }

    @Test("hit files read with a byte-order mark, CRLF, quoted header names and spaces")
    func hitDialect() throws {
        let p = dir.write("h.csv", "\u{FEFF}\"hit_id\",x,y,z,volume_id,layer_id,module_id,extra\r\n 1 ,1.5,-2e1,3,7,2,1,a\r\n\r\n2, .25 ,0,-4,8,4,3,b\r\n")
        let hits = try HitFile.read(p)
        #expect(hits.map(\.id) == [1, 2] && hits.map(\.x) == [1.5, 0.25] && hits[0].y == -20)
        #expect(hits.map(\.layer) == [LayerID(volume: 7, layer: 2), LayerID(volume: 8, layer: 4)] && hits[1].module == 3)
    }

    @Test("bad hit and truth values are refused with the file, line and column")
    func errors() {
        let big = dir.write("b.csv", "hit_id,x,y,z,layer\n1,0,0,1,1\n18446744073709551616,0,0,1,2\n")
        #expect(throws: InputError(file: big, .field(line: 3, column: "hit_id"),
                                   "expected an integer, found \"18446744073709551616\" (outside -9223372036854775808...9223372036854775807)")) {
            try HitFile.read(big)
        }
        let empty = dir.write("e.csv", "hit_id,x,y,z,layer\n1,0,,1,1\n2,0,0,1,2\n")
        #expect(throws: InputError(file: empty, .field(line: 2, column: "y"), "expected a number, found \"\"")) { try HitFile.read(empty) }
        let missing = dir.write("m.csv", "hit_id,x,y,layer\n1,0,0,1\n")
        #expect(throws: InputError(file: missing, .line(1), "missing column 'z'; expected hit_id,x,y,z,layer, the header has: hit_id,x,y,layer")) {
            try HitFile.read(missing)
        }
        let weight = dir.write("w.csv", "hit_id,particle_id,weight\n1,1,-0.5\n")
        #expect(throws: InputError(file: weight, .field(line: 2, column: "weight"), "expected a weight ≥ 0, found -0.5")) { try TruthFile.read(weight) }
        let dup = dir.write("d.csv", "hit_id,particle_id,weight\r\n1,1,0.5\r\n1,2,0.5\r\n")
        #expect(throws: InputError(file: dup, .field(line: 3, column: "hit_id"), "duplicate hit_id 1 (first on line 2)")) { try TruthFile.read(dup) }
    }
}
