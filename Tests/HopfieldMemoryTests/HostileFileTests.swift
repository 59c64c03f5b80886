import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory
import Testing
import TestSupport

/// Pattern and memory files that once trapped or asked for unbounded memory (issue #13, findings
/// 7–9, also found by the fuzzers): each is refused with an `InputError` naming the file.
@Suite("Hostile input: Hopfield files")
struct HostileFileTests {
    let dir = TemporaryFolder()

    @Test("PBM sizes that overflow, or that the file cannot hold, are refused before allocating")
    func pbmSizes() throws {
        for (name, text) in [("p1-overflow.pbm", "P1\n3037000500 3037000500\n1"), ("p4-overflow.pbm", "P4\n3037000500 3037000500\n\u{1}"),
                             ("p1-huge.pbm", "P1\n100000 100000\n1"), ("p4-huge.pbm", "P4\n100000 100000\n\u{1}")] {
            let path = dir.write(name, text)
            #expect(throws: InputError.self, "\(name)") { _ = try PatternFile.read(path) }
            do { _ = try PatternFile.read(path) } catch let e as InputError { #expect(e.file == path) }
        }
        // A valid P1 still reads.
        let ok = dir.write("ok.pbm", "P1\n3 2\n1 0 1\n0 1 0\n")
        #expect(try PatternFile.read(ok).neurons == 6)
    }

    @Test("a memory whose metadata claims a shape that overflows is read without trapping")
    func memoryShape() throws {
        let stored = PatternSet(Matrix(rows: 2, columns: 4, storage: [1, -1, 1, -1, -1, -1, 1, 1]))
        var memory = AssociativeMemory(neurons: 4, rule: .hebbian)
        try memory.store(stored)
        let path = dir.file("m.npz")
        try HopfieldModelFile.write(memory, to: path)
        var archive = try NumpyArchive.read(path)
        let json = try #require(archive["metadata"]?.string)
        for shape in ["[4294967296,4294967296]", "[-2,-2]", "[4611686018427387904,4]"] {
            archive["metadata"] = NumpyArray(string: json.replacingOccurrences(of: "\"neurons\"", with: "\"shape\":\(shape),\"neurons\""))
            let bad = dir.file("bad.npz")
            try archive.write(to: bad)
            // The claimed shape does not fit the 4 neurons, so the patterns are read without one.
            #expect(try HopfieldModelFile.read(bad).model.patterns.shape == nil, "\(shape)")
        }
    }

    @Test("grid files with CRLF line ends or a byte-order mark read like plain ones")
    func gridLineEnds() throws {
        let plain = try PatternFile.read(dir.write("plain.txt", "#..#\n.##.\n\n####\n#..#\n"))
        let crlf = try PatternFile.read(dir.write("crlf.txt", "#..#\r\n.##.\r\n\r\n####\r\n#..#\r\n"))
        let bom = try PatternFile.read(dir.write("bom.txt", "\u{FEFF}#..#\n.##.\n\n####\n#..#\n"))
        #expect(crlf.values == plain.values && bom.values == plain.values && crlf.count == 2)
    }

    @Test("a memory with NaN weights or thresholds is refused")
    func nanWeights() throws {
        var memory = AssociativeMemory(neurons: 4, rule: .hebbian)
        try memory.store(PatternSet(Matrix(rows: 1, columns: 4, storage: [1, -1, 1, -1])))
        let path = dir.file("m.npz")
        try HopfieldModelFile.write(memory, to: path)
        var archive = try NumpyArchive.read(path)
        archive["weights"] = NumpyArray(Matrix<Float>(rows: 4, columns: 4, repeating: .nan))
        try archive.write(to: dir.file("nan.npz"))
        #expect(throws: InputError.self) { _ = try HopfieldModelFile.read(dir.file("nan.npz")) }
    }
}
