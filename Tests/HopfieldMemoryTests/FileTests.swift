import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory
import Testing
import TestSupport

@Suite("Pattern and memory files")
struct FileTests {
    let dir = TemporaryFolder()

    @Test("CSV, grid and PBM round-trip, and output follows the input's format")
    func roundTrips() throws {
        let grid = dir.write("g.txt", "#..#\n.##.\n\n####\n....\n")
        let p = try PatternFile.read(grid)
        #expect(p.count == 2 && p.neurons == 8 && p.shape?.height == 2 && p.shape?.width == 4)
        #expect(p.pattern(0) == [1, -1, -1, 1, -1, 1, 1, -1])
        for name in ["o.txt", "o.pbm", "o.csv"] {
            try PatternFile.write(p, to: dir.file(name))
            let back = try PatternFile.read(dir.file(name))
            #expect(back.values == p.values, "\(name)")
            if name != "o.csv" { #expect(back.shape?.width == 4, "\(name)") }
        }
        #expect(String(decoding: try AtomicFile.read(dir.file("o.txt")), as: UTF8.self) == "#..#\n.##.\n\n####\n....\n")
        let binary = dir.write("b.csv", "1,0,1\n0,0,1\n")
        let b = try PatternFile.read(binary, binary: true)
        #expect(b.pattern(1) == [-1, -1, 1])
        try PatternFile.write(b, to: dir.file("b2.csv"), binary: true)
        #expect(String(decoding: try AtomicFile.read(dir.file("b2.csv")), as: UTF8.self) == "1,0,1\n0,0,1\n")
        let plain = dir.write("p1.pbm", "P1\n# a comment\n3 2\n1 0 1\n0 1 0\n")
        #expect(try PatternFile.read(plain).pattern(0) == [1, -1, 1, -1, 1, -1])
        #expect(PatternFormat.of(plain) == .pbm)
    }

    @Test("bad pattern files are refused with the file and the line")
    func errors() {
        let ragged = dir.write("r.csv", "1,-1,1\n1,1\n")
        #expect(throws: InputError(file: ragged, .line(2), "expected 3 fields (as in the first line), found 2")) { try PatternFile.read(ragged) }
        let values = dir.write("v.csv", "1,-1\n1,2\n")
        #expect(throws: InputError(file: values, .field(line: 2, column: "2"), "expected -1 or 1, found \"2\"")) { try PatternFile.read(values) }
        let zeros = dir.write("z.csv", "1,0\n")
        #expect(throws: InputError.self) { try PatternFile.read(zeros) }
        let empty = dir.write("e.txt", "\n\n")
        #expect(throws: InputError(file: empty, "file is empty, expected patterns")) { try PatternFile.read(empty) }
        let raggedGrid = dir.write("rg.txt", "##\n#.\n\n###\n...\n")
        #expect(throws: InputError(file: raggedGrid, .line(4), "pattern 2 is 2×3; the first pattern is 2×2, and all must match")) { try PatternFile.read(raggedGrid) }
        let rows = dir.write("rr.txt", "##\n#\n")
        #expect(throws: InputError(file: rows, .line(2), "row has 1 cells; the rows above have 2 (ragged grid)")) { try PatternFile.read(rows) }
        let chars = dir.write("c.txt", "#x\n")
        #expect(throws: InputError.self) { try PatternFile.read(chars) }
        let pbm = dir.write("t.pbm", "P4\n16 2\n\u{1}")
        #expect(throws: InputError.self) { try PatternFile.read(pbm) }
    }

    @Test("a memory file round-trips, and mismatched probes are refused", arguments: [LearningRule.hebbian, .pseudoinverse, .dense(.polynomial(degree: 3))])
    func memoryFile(_ rule: LearningRule) throws {
        let random = RandomSource(seed: 1)
        var m = AssociativeMemory(neurons: 30, rule: rule)
        try m.store(PatternSet.random(count: 4, neurons: 30, random: random))
        let path = dir.file("m.npz")
        try HopfieldModelFile.write(m, to: path)
        let (back, metadata) = try HopfieldModelFile.read(path)
        #expect(back.rule == rule && back.patterns == m.patterns && back.weights == m.weights && back.rank == m.rank)
        #expect(metadata == HopfieldModelFile.Metadata(model: m) && metadata.rule == rule.name && metadata.patterns == 4)
        #expect(throws: InputError(file: "p.csv", "probes have 31 neurons; the memory has 30")) {
            _ = try back.recall(PatternSet.random(count: 1, neurons: 31, random: random), random: random, source: "p.csv")
        }
    }

    @Test("a file that is not a memory is refused")
    func notAMemory() throws {
        let path = dir.file("x.npz")
        try NumpyArchive([("metadata", NumpyArray(string: "{\"format\": \"other\"}"))]).write(to: path)
        #expect(throws: InputError.self) { try HopfieldModelFile.read(path) }
        let garbage = dir.write("g.npz", "garbage")
        #expect(throws: InputError.self) { try HopfieldModelFile.read(garbage) }
    }

    @Test("the shipped letters are 26 grids of 16×16")
    func shippedLetters() throws {
        let letters = try PatternFile.read(dataFolder + "/patterns/letters.txt")
        #expect(letters.count == 26 && letters.shape?.height == 16 && letters.shape?.width == 16)
    }
}
