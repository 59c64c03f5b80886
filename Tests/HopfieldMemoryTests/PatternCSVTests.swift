@testable import HopfieldMemory
import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport

@Suite("Pattern CSV and image writers")
struct PatternCSVTests {
    let dir = TemporaryFolder()

    @Test("a CRLF pattern CSV with a byte-order mark, blank lines, spaces and +1 reads")
    func crlf() throws {
        let p = dir.write("crlf.csv", "\u{FEFF}1, -1 ,+1\r\n\r\n-1,\t1,-1\r\n\"1\",1,1")
        let set = try PatternFile.read(p)
        #expect(set.values == Matrix([[1, -1, 1], [-1, 1, -1], [1, 1, 1]]))
        let binary = dir.write("b.csv", "1,0\r\n0 , 1\r\n")
        #expect(try PatternFile.read(binary, binary: true).values == Matrix([[1, -1], [-1, 1]]))
    }

    @Test("random patterns round-trip through CSV, as ±1 and as 0/1, with the exact text")
    func roundTrip() throws {
        let set = PatternSet.random(count: 37, neurons: 101, random: RandomSource(seed: 4))
        for binary in [false, true] {
            let path = dir.file("r\(binary).csv")
            try PatternFile.write(set, to: path, binary: binary)
            #expect(try PatternFile.read(path, binary: binary) == set)
            let expected = (0..<set.count).map { r in
                set.pattern(r).map { $0 > 0 ? "1" : (binary ? "0" : "-1") }.joined(separator: ",") + "\n"
            }.joined()
            #expect(String(decoding: try AtomicFile.read(path), as: UTF8.self) == expected)
        }
    }

    @Test("bad values are named by line and column, as trimmed text")
    func errors() {
        let values = dir.write("v.csv", "1,-1\r\n1, 01 \r\n")
        #expect(throws: InputError(file: values, .field(line: 2, column: "2"), "expected -1 or 1, found \"01\"")) { try PatternFile.read(values) }
        let zero = dir.write("z.csv", "1,-1\n-1,0\n")
        #expect(throws: InputError(file: zero, .field(line: 1, column: "2"), "expected 0 or 1 (binary patterns), found \"-1\"")) {
            try PatternFile.read(zero, binary: true)
        }
        let empty = dir.write("e.csv", "\r\n\r\n")
        #expect(throws: InputError(file: empty, "file is empty, expected patterns")) { try PatternFile.read(empty) }
        let field = dir.write("f.csv", "1,,1\n")
        #expect(throws: InputError(file: field, .field(line: 1, column: "2"), "expected -1 or 1, found \"\"")) { try PatternFile.read(field) }
    }

    @Test("grids and raw PBM are written byte for byte")
    func images() throws {
        let set = PatternSet([[1, -1, -1, 1, 1, 1, -1, -1, 1, -1], [-1, -1, -1, -1, -1, 1, 1, 1, 1, 1]], shape: (height: 1, width: 10))
        let grid = dir.file("g.txt"), pbm = dir.file("g.pbm")
        try PatternFile.write(set, to: grid)
        try PatternFile.write(set, to: pbm)
        #expect(String(decoding: try AtomicFile.read(grid), as: UTF8.self) == "#..###..#.\n\n.....#####\n")
        #expect(try AtomicFile.read(pbm) == Data("P4\n10 1\n".utf8) + Data([0b1001_1100, 0b1000_0000]) + Data("P4\n10 1\n".utf8) + Data([0b0000_0111, 0b1100_0000]))
        #expect(try PatternFile.read(pbm) == set)
    }
}
