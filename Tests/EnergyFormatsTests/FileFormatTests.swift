import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport

@Suite("File formats")
struct FileFormatTests {
    // MARK: IDX

    @Test("IDX round-trips, raw and gzip'd")
    func idxRoundTrip() throws {
        let dir = TemporaryFolder()
        let bytes = IDXArray(uint8: (0..<24).map { UInt8($0 * 10) }, shape: [2, 3, 4])
        for name in ["a.idx", "a.idx.gz"] {
            try bytes.write(to: dir.file(name))
            let back = try IDXArray.read(dir.file(name))
            #expect(back == bytes)
            #expect(back.values(as: Float.self)[23] == 230)
        }
        let gz = try Data(contentsOf: URL(fileURLWithPath: dir.file("a.idx.gz")))
        #expect(Gzip.isGzip(gz))
        let floats = IDXArray(float32: [1.5, -2, 3.25], shape: [3])
        try floats.write(to: dir.file("f.idx"))
        #expect(try IDXArray.read(dir.file("f.idx")).values(as: Double.self) == [1.5, -2, 3.25])
    }

    @Test("the real MNIST test labels read as 10,000 labels 0–9")
    func mnist() throws {
        let labels = try IDXArray.read(Self.mnistLabels)
        #expect(labels.shape == [10_000])
        let ints = labels.integers()
        #expect(Set(ints) == Set(0...9))
        #expect(ints.prefix(5) == [7, 2, 1, 0, 4])  // the well-known first test labels
    }
    static let mnistLabels = dataFolder + "/mnist/t10k-labels-idx1-ubyte.gz"

    @Test("IDX refuses a wrong magic number, an unknown type, truncation and trailing bytes")
    func idxErrors() throws {
        let dir = TemporaryFolder()
        let good = Data([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3])
        func check(_ bytes: Data, _ fragment: String) {
            let p = dir.write("bad.idx", bytes: bytes)
            #expect {
                _ = try IDXArray.read(p)
            } throws: { error in
                guard let e = error as? InputError else { return false }
                return e.file == p && e.message.contains(fragment)
            }
        }
        check(Data([1, 0]) + good.dropFirst(2), "not an IDX file")
        check(Data([0, 0, 0x42]) + good.dropFirst(3), "unknown IDX element type 0x42")
        check(good.dropLast(), "truncated: expected 3 bytes")
        check(good + Data([9]), "unexpected bytes after the last element")
        check(Data([0, 0]), "truncated")
        check(Gzip.compress(good).dropLast(6), "ends early")
        #expect(throws: InputError(file: dir.file("missing.idx"), "no such file")) { try IDXArray.read(dir.file("missing.idx")) }
    }

    // MARK: CSV

    @Test("CSV parses quotes, CRLF and blank lines, and types columns")
    func csv() throws {
        let dir = TemporaryFolder()
        let p = dir.write("t.csv", "id,x,name\r\n1, 2.5 ,\"a, b\"\r\n\r\n2,-3e2,\"say \"\"hi\"\"\"\n")
        let t = try CSVTable.read(p)
        #expect(t.header == ["id", "x", "name"])
        #expect(try t.integers("id") == [1, 2])
        #expect(try t.doubles("x") == [2.5, -300])
        #expect(try t.strings("name") == ["a, b", "say \"hi\""])
        #expect(t.lineNumbers == [2, 4])
        let out = dir.file("out.csv")
        try CSVTable.write(header: t.header, rows: t.rows, to: out)
        let back = try CSVTable.read(out)
        #expect(back.rows == t.rows && back.header == t.header)
    }

    @Test("CSV errors name the file, line and column")
    func csvErrors() throws {
        let dir = TemporaryFolder()
        let ragged = dir.write("r.csv", "a,b\n1,2\n3\n")
        #expect(throws: InputError(file: ragged, .line(3), "expected 2 fields (as in the header), found 1")) { try CSVTable.read(ragged) }
        let text = dir.write("n.csv", "a,b\n1,2\n3,abc\n")
        #expect(throws: InputError(file: text, .field(line: 3, column: "b"), "expected a number, found \"abc\"")) {
            try CSVTable.read(text).doubles("b")
        }
        let nan = dir.write("nan.csv", "a\nnan\n")
        #expect(throws: InputError(file: nan, .field(line: 2, column: "a"), "expected a finite number, found nan")) {
            try CSVTable.read(nan).doubles("a")
        }
        #expect(throws: InputError.self) { try CSVTable.read(text).doubles("zzz") }
        let empty = dir.write("e.csv", "")
        #expect(throws: InputError(file: empty, "file is empty, expected CSV data")) { try CSVTable.read(empty) }
        let quote = dir.write("q.csv", "a\n\"open\n")
        #expect(throws: InputError(file: quote, .line(2), "unterminated quoted field")) { try CSVTable.read(quote) }
        let matrix = dir.write("m.csv", "1,2\n3,x\n")
        #expect(throws: InputError(file: matrix, .field(line: 2, column: "2"), "expected a number, found \"x\"")) {
            try CSVTable.readMatrix(matrix, as: Float.self)
        }
    }

    @Test("numeric CSV reads into a matrix")
    func csvMatrix() throws {
        let dir = TemporaryFolder()
        let p = dir.write("m.csv", "h1,h2\n1,2\n3.5,-4\n")
        let m = try CSVTable.readMatrix(p, hasHeader: true, as: Float.self)
        #expect(m == Matrix([[1, 2], [3.5, -4]]))
    }

    // MARK: NumPy

    @Test("npy round-trips every stored type")
    func npyRoundTrip() throws {
        let arrays = [NumpyArray([Float(1.5), -2, 3, 4, 5, 6], shape: [2, 3]), NumpyArray([1.0, 2.0], shape: [2]),
                      NumpyArray([Int64(-5), 7], shape: [2, 1]), NumpyArray([UInt8(0), 255], shape: [2]),
                      NumpyArray(string: "{\"rule\": \"hebb\", \"ü\": 1}")]
        for a in arrays {
            let bytes = a.encoded()
            #expect(try NumpyArray.decode(bytes, file: "x.npy") == a)
            // The header (magic + length + dict) is padded to a multiple of 64 bytes.
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
        }
    }

    @Test("npz round-trips and keeps member order")
    func npzRoundTrip() throws {
        let dir = TemporaryFolder()
        let archive = NumpyArchive([("W", NumpyArray([Float](repeating: 0.25, count: 12), shape: [3, 4])),
                                    ("visible_bias", NumpyArray([Float(1), 2, 3], shape: [3])),
                                    ("metadata", NumpyArray(string: "{}"))])
        try archive.write(to: dir.file("m.npz"))
        let back = try NumpyArchive.read(dir.file("m.npz"))
        #expect(back == archive)
        #expect(back.names == ["W", "visible_bias", "metadata"])
        #expect(throws: InputError.self) { try back.require("hidden_bias", file: "m.npz") }
    }

    @Test("NumPy loads our .npy/.npz, and we load NumPy's (incl. savez_compressed and Fortran order)")
    func numpyInterop() throws {
        try requireNumPy()
        let dir = TemporaryFolder()
        let archive = NumpyArchive([("W", NumpyArray([Float(1), 2, 3, 4, 5, 6], shape: [2, 3])),
                                    ("metadata", NumpyArray(string: "{\"seed\": 7}"))])
        try archive.write(to: dir.file("ours.npz"))
        let seen = try python("""
            import numpy as np, json
            d = np.load('\(dir.file("ours.npz"))')
            print(d['W'].dtype, d['W'].shape, d['W'].sum(), json.loads(d['metadata'].item())['seed'])
            """)
        #expect(seen == "float32 (2, 3) 21.0 7")
        _ = try python("""
            import numpy as np
            a = np.arange(6, dtype='>f8').reshape(2, 3)
            np.save('\(dir.file("big.npy"))', a)
            np.save('\(dir.file("fortran.npy"))', np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)))
            np.savez_compressed('\(dir.file("theirs.npz"))', x=np.arange(1000, dtype=np.float32), label=np.uint8(3), s='hello')
            """)
        #expect(try NumpyArray.read(dir.file("big.npy")) == NumpyArray([0.0, 1, 2, 3, 4, 5], shape: [2, 3]))
        #expect(try NumpyArray.read(dir.file("fortran.npy")) == NumpyArray([Int64(0), 1, 2, 3, 4, 5], shape: [2, 3]))
        let theirs = try NumpyArchive.read(dir.file("theirs.npz"))
        #expect(theirs["x"]?.values(as: Float.self) == (0..<1000).map(Float.init))
        #expect(theirs["label"] == NumpyArray([UInt8(3)], shape: []))
        #expect(theirs["s"]?.string == "hello")
    }

    @Test("npy and npz readers refuse malformed files with a message")
    func numpyErrors() throws {
        let good = NumpyArray([Float(1), 2, 3], shape: [3]).encoded()
        func fails(_ bytes: Data, _ fragment: String) {
            #expect {
                _ = try NumpyArray.decode(bytes, file: "w.npy")
            } throws: { error in
                (error as? InputError).map { $0.file == "w.npy" && $0.message.contains(fragment) } ?? false
            }
        }
        fails(Data("hello".utf8), "truncated")
        fails(Data([0x93]) + Data("NUMPX".utf8) + good.dropFirst(6), "not a .npy file")
        fails(good.dropLast(2), "truncated: expected 12 bytes")
        fails(good + Data([0]), "unexpected bytes")
        var bad = good
        let r = bad.range(of: Data("<f4".utf8))!
        bad.replaceSubrange(r, with: Data("<c8".utf8))
        fails(bad, "unsupported dtype '<c8'")

        let npz = try NumpyArchive([("a", NumpyArray([Float(1)], shape: [1]))]).encoded()
        func npzFails(_ bytes: Data, _ fragment: String) {
            #expect {
                _ = try NumpyArchive.decode(bytes, file: "m.npz")
            } throws: { error in
                (error as? InputError).map { $0.message.contains(fragment) } ?? false
            }
        }
        npzFails(Data(repeating: 0, count: 10), "not an .npz")
        npzFails(npz.prefix(40) + npz.suffix(22), "truncated")
        var corrupt = npz
        corrupt[70] ^= 0xFF  // inside the member's body
        npzFails(corrupt, "corrupt")
    }

    // MARK: PNG and atomic writes

    @Test("PNG images round-trip through libpng")
    func png() throws {
        let dir = TemporaryFolder()
        let image = GrayImage(width: 3, height: 2, pixels: [0, 51, 102, 153, 204, 255])
        try image.write(to: dir.file("g.png"))
        let back = try GrayImage.read(dir.file("g.png"))
        #expect(back == image)
        let notPNG = dir.write("x.png", "not a png")
        #expect(throws: InputError.self) { try GrayImage.read(notPNG) }
    }

    @Test("atomic writes leave no temporary files and refuse to overwrite inputs")
    func atomic() throws {
        let dir = TemporaryFolder()
        let p = dir.file("o.txt")
        try AtomicFile.write("one", to: p)
        try AtomicFile.write("two", to: p)
        #expect(String(decoding: try AtomicFile.read(p), as: UTF8.self) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["o.txt"])
        #expect(throws: InputError.self) { try AtomicFile.write("x", to: dir.file("no/such/dir/f.txt")) }
        #expect(throws: InputError.self) { try AtomicFile.checkOutput(dir.path + "/./o.txt", isNotAnyOf: [p]) }
        try AtomicFile.checkOutput(dir.file("other.txt"), isNotAnyOf: [p])
        // Outputs that cannot be written are refused before any work, as write would refuse them after it.
        #expect(throws: InputError(file: dir.file("no/f.txt"), "cannot write: folder '\(dir.file("no"))' does not exist")) {
            try AtomicFile.checkOutput(dir.file("no/f.txt"), isNotAnyOf: [p])
        }
        #expect(throws: InputError.self) { try AtomicFile.checkOutput(dir.path, isNotAnyOf: [p]) }
    }
}
