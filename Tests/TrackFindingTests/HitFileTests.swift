import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

@Suite("Hit files")
struct HitFileTests {
    let dir = TemporaryFolder()

    @Test("TrackML and plain hit files are read")
    func formats() throws {
        let trackml = dir.write("event000000001-hits.csv", """
            hit_id,x,y,z,volume_id,layer_id,module_id
            1,-64.4099,-7.1637,-1502.5,7,2,1
            2,-55.3361,0.635342,-1502.5,7,2,1
            3,-83.8305,-1.14301,-1502.5,8,4,3
            """)
        let hits = try HitFile.read(trackml)
        #expect(hits.count == 3)
        #expect(hits[0].layer == LayerID(volume: 7, layer: 2) && hits[2].module == 3)
        #expect(abs(hits[0].r - (64.4099 * 64.4099 + 7.1637 * 7.1637).squareRoot()) < 1e-9)
        let plain = dir.write("plain.csv", "hit_id,x,y,z,layer\n10,1,0,100,1\n11,2,0,200,2\n")
        let p = try HitFile.read(plain)
        #expect(p.map(\.layer) == [LayerID(volume: 0, layer: 1), LayerID(volume: 0, layer: 2)])
    }

    @Test("malformed hit files are refused with the file, line and column")
    func errors() {
        let missing = dir.write("m.csv", "hit_id,x,y,volume_id,layer_id\n1,0,0,1,1\n")
        #expect(throws: InputError.self) { try HitFile.read(missing) }
        let text = dir.write("t.csv", "hit_id,x,y,z,layer\n1,0,0,1,1\n2,zero,0,1,2\n")
        #expect(throws: InputError(file: text, .field(line: 3, column: "x"), "expected a number, found \"zero\"")) { try HitFile.read(text) }
        let nan = dir.write("n.csv", "hit_id,x,y,z,layer\n1,0,0,NaN,1\n2,0,0,1,2\n")
        #expect(throws: InputError(file: nan, .field(line: 2, column: "z"), "expected a finite number, found NaN")) { try HitFile.read(nan) }
        let dup = dir.write("d.csv", "hit_id,x,y,z,layer\n1,0,0,1,1\n1,0,0,1,2\n")
        #expect(throws: InputError(file: dup, .field(line: 3, column: "hit_id"), "duplicate hit_id 1 (first on line 2); expected unique hit ids")) { try HitFile.read(dup) }
        let oneLayer = dir.write("o.csv", "hit_id,x,y,z,layer\n1,0,0,1,1\n2,0,0,2,1\n")
        #expect(throws: InputError(file: oneLayer, "the event has hits on 1 layer; expected at least 2 layers to form segments")) { try HitFile.read(oneLayer) }
        let empty = dir.write("e.csv", "hit_id,x,y,z,layer\n")
        #expect(throws: InputError.self) { try HitFile.read(empty) }
    }

    @Test("a coordinate outside any detector (x = 1e308) is refused with its line and column")
    func farCoordinate() throws {
        let dir = TemporaryFolder()
        let path = dir.write("far-hits.csv", "hit_id,x,y,z,layer\n1,30,0,0,1\n2,1e308,0,0,2\n3,90,0,0,3\n")
        #expect(throws: InputError(file: path, .field(line: 3, column: "x"), "1e+308 mm is outside any detector; expected |x| ≤ 100000 mm")) {
            _ = try HitFile.read(path)
        }
        let ok = dir.write("near-hits.csv", "hit_id,x,y,z,layer\n1,30,0,0,1\n2,60,0,-2950,2\n")
        #expect(try HitFile.read(ok).count == 2)
    }
}
