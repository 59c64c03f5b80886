@testable import EnergyFormats
import EnergyCore
import Foundation
import Testing
import TestSupport

@Suite("CSV read from bytes")
struct CSVTextTests {
    let dir = TemporaryFolder()

    @Test("a byte-order mark, CRLF line ends, blank lines, spaces and tabs, quotes")
    func dialect() throws {
        let p = dir.write("t.csv", "\u{FEFF}id , x,\"na,me\"\r\n 1 ,\t2.5 ,\"a \"\"b\"\"\" \r\n\r\n  \t \r\n\"\"\n-7,-3e2,\"two\nlines\"\n9,0x1p3,x")
        let t = try CSVTable.read(p)
        #expect(t.header == ["id", "x", "na,me"])
        #expect(t.rowCount == 3 && t.columnCount == 3)
        #expect(t.lineNumbers == [2, 6, 8])
        #expect(try t.integers("id") == [1, -7, 9])
        #expect(try t.doubles("x") == [2.5, -300, 8])
        #expect(try t.strings("na,me") == ["a \"b\"", "two\nlines", "x"])
        #expect(t.rows == [[" 1 ", "\t2.5 ", "a \"b\""], ["-7", "-3e2", "two\nlines"], ["9", "0x1p3", "x"]])
    }

    @Test("records come with their line and trimmed field bytes")
    func records() throws {
        var seen: [(Int, [String])] = []
        try CSVScanner.forEachRecord(in: Data("a, b\r\n\n\"c\nd\",e\r\nf".utf8), file: "x.csv") { record in
            seen.append((record.line, (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }))
        }
        #expect(seen.map(\.0) == [1, 3, 5])
        #expect(seen.map(\.1) == [["a", "b"], ["c\nd", "e"], ["f"]])
    }

    @Test("typed columns name the file, line and column of a bad value")
    func typedErrors() throws {
        let p = dir.write("e.csv", "n,x\n1,2\n99999999999999999999,\n-,nan\n")
        let t = try CSVTable.read(p)
        #expect(throws: InputError(file: p, .field(line: 3, column: "n"),
                                   "expected an integer, found \"99999999999999999999\" (outside -9223372036854775808...9223372036854775807)")) {
            try t.integers("n")
        }
        #expect(throws: InputError(file: p, .field(line: 3, column: "x"), "expected a number, found \"\"")) { try t.doubles("x") }
        let q = dir.write("f.csv", "n,x\n1,2\n-,nan\n")
        let u = try CSVTable.read(q)
        #expect(throws: InputError(file: q, .field(line: 3, column: "n"), "expected an integer, found \"-\"")) { try u.integers("n") }
        #expect(throws: InputError(file: q, .field(line: 3, column: "x"), "expected a finite number, found nan")) { try u.doubles("x") }
        #expect(try u.doubles("x", allowNonFinite: true)[1].isNaN)
        #expect(throws: InputError(file: q, .line(1), "missing column 'y'; the header has: n,x")) { try u.doubles("y") }
        #expect(throws: InputError(file: q, .line(1), "missing columns 'y', 'z'; expected n,y,z, the header has: n,x")) {
            try u.requireColumns(["n", "y", "z"])
        }
    }

    @Test("binary data and broken quotes are refused with the byte or line")
    func malformed() {
        let nul = dir.write("n.csv", bytes: Data("a,b\n1,\u{0}\n".utf8))
        #expect(throws: InputError(file: nul, .byte(6), "binary data (a NUL byte) in a text file, expected CSV text")) { try CSVTable.read(nul) }
        let after = dir.write("a.csv", "a,b\n\"1\"x,2\n")
        #expect(throws: InputError(file: after, .line(2), "unexpected character after a quoted field")) { try CSVTable.read(after) }
        let onlyBOM = dir.write("bom.csv", "\u{FEFF}")
        #expect(throws: InputError(file: onlyBOM, "file is empty, expected CSV data")) { try CSVTable.read(onlyBOM) }
    }

    @Test("a numeric matrix reads with a BOM, CRLF and spaces, and a ragged row is refused")
    func matrix() throws {
        let p = dir.write("m.csv", "\u{FEFF} 1, 2.5\r\n\r\n-3 ,4e-1\r\n")
        #expect(try CSVTable.readMatrix(p, as: Double.self) == Matrix([[1, 2.5], [-3, 0.4]]))
        let ragged = dir.write("r.csv", "1,2\n3\n")
        #expect(throws: InputError(file: ragged, .line(2), "expected 2 values (as in the first row), found 1")) {
            try CSVTable.readMatrix(ragged, as: Float.self)
        }
        let inf = dir.write("i.csv", "1,inf\n")
        #expect(throws: InputError(file: inf, .field(line: 1, column: "2"), "expected a finite number, found inf")) {
            try CSVTable.readMatrix(inf, as: Float.self)
        }
        let header = dir.write("h.csv", "a,b\n")
        #expect(throws: InputError(file: header, "file has no data rows, expected a numeric matrix")) {
            try CSVTable.readMatrix(header, hasHeader: true, as: Float.self)
        }
    }

    @Test("a long numeric file reads the same values as Double(String) field by field")
    func longFile() throws {
        var text = ""
        var expected: [[Double]] = []
        for r in 0..<500 {
            let row = (0..<7).map { c in Double(r * 7 + c) * 0.731 - 1000 }
            expected.append(row)
            text += row.map { "\($0)" }.joined(separator: r % 2 == 0 ? "," : " ,\t") + (r % 3 == 0 ? "\r\n" : "\n")
        }
        let p = dir.write("long.csv", text)
        let m = try CSVTable.readMatrix(p, as: Double.self)
        #expect(m == Matrix(expected))
    }
}
