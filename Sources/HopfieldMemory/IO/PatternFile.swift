import EnergyCore
import EnergyFormats
import Foundation

/// Pattern files: CSV rows, text grids and PBM images. Reading and writing are symmetric, so a
/// recall's output has the format of its probes.
public enum PatternFormat: String, Sendable, CaseIterable {
    /// One pattern per row, no header; values −1/1 (or 0/1 when read or written as binary).
    case csv
    /// Text grids of `#`/`.` (or `+`/`-`), one row of pixels per line, blank lines between
    /// patterns, all patterns the same shape. `#`/`+` is +1.
    case grid
    /// PBM images (netpbm P1 plain or P4 raw), one or more per file; black (1) is +1.
    case pbm
    /// A NumPy `.npy` array, P × N (or P × height × width for images), for large pattern sets:
    /// values −1/1 (or 0/1 when read or written as binary); written as float32.
    case npy

    /// The format of a path by its extension (`.csv`, `.pbm`, `.npy`, anything else a text grid), or
    /// by a PBM magic number at the start of an existing file.
    public static func of(_ path: String) -> PatternFormat {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if ext == "csv" { return .csv }
        if ext == "npy" { return .npy }
        if ext == "pbm" { return .pbm }
        if let h = FileHandle(forReadingAtPath: path) {
            defer { try? h.close() }
            let head = h.readData(ofLength: 2)
            if head == Data("P1".utf8) || head == Data("P4".utf8) { return .pbm }
        }
        return .grid
    }
}

/// Reads and writes `PatternSet`s in the four pattern formats, with errors that name the file and line.
public enum PatternFile {
    /// Reads the patterns of a file in the given format (default: by its extension).
    ///
    /// - Parameters:
    ///   - path: the pattern file.
    ///   - format: CSV, text grid or PBM; nil to choose by the file's extension (and PBM magic).
    ///   - binary: for CSV, read 0/1 values (0 → −1) instead of −1/1.
    /// - Throws: `InputError` for an empty file, ragged rows, grids of different shapes, values other
    ///   than ±1 (or 0/1), unknown grid characters, or a malformed PBM.
    public static func read(_ path: String, format: PatternFormat? = nil, binary: Bool = false) throws -> PatternSet {
        let data = try AtomicFile.read(path)
        switch format ?? PatternFormat.of(path) {
        case .csv: return try parseCSV(data, file: path, binary: binary)
        case .grid: return try parseGrid(String(decoding: data, as: UTF8.self), file: path)
        case .pbm: return try parsePBM(data, file: path)
        case .npy:
            let (values, shape) = try npyValues(NumpyArray.decode(data, file: path), file: path, binary: binary)
            if let bad = values.storage.firstIndex(where: { $0 != 1 && $0 != -1 }) {
                throw InputError(file: path, .record(bad / max(1, values.columns)),
                                 "expected \(binary ? "0 or 1" : "-1 or 1"), found \(binary ? (values.storage[bad] + 1) / 2 : values.storage[bad])")
            }
            return PatternSet(values, shape: shape)
        }
    }

    /// The values of a `.npy` array of patterns or probes, one per row, with the image shape of a
    /// 3-D array; `binary` maps v to 2v − 1 (0/1 to −1/1). Any finite values pass (probes may hold
    /// 0 for unknown pixels).
    ///
    /// - Throws: `InputError` for a string array, an array that is not 2-D or 3-D, no values per
    ///   pattern, or non-finite values.
    public static func npyValues(_ array: NumpyArray, file: String, binary: Bool = false) throws -> (values: Matrix<Float>, shape: (height: Int, width: Int)?) {
        guard var values: [Float] = array.values() else { throw InputError(file: file, "expected numbers, found a string") }
        let shape = array.shape
        guard shape.count == 2 || shape.count == 3, let columns = Sizes.product(Array(shape.dropFirst())), columns > 0 else {
            throw InputError(file: file, "expected an array of patterns, P × N or P × height × width, found shape \(shape)")
        }
        guard values.allFinite else { throw InputError(file: file, "expected finite values, found NaN or infinity") }
        if binary { values.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = 2 * p[i] - 1 } } }
        return (Matrix(rows: shape[0], columns: columns, storage: values), shape.count == 3 ? (height: shape[1], width: shape[2]) : nil)
    }

    /// Writes patterns atomically in the given format (default: by the path's extension).
    ///
    /// Grids and PBM need the patterns' 2-D shape; without one, a single row of N pixels is written.
    public static func write(_ patterns: PatternSet, to path: String, format: PatternFormat? = nil, binary: Bool = false) throws {
        let text: TextWriter
        switch format ?? PatternFormat.of(path) {
        case .csv: text = formatCSV(patterns, binary: binary)
        case .grid: text = formatGrid(patterns)
        case .pbm: text = formatPBM(patterns)
        case .npy:
            var values = patterns.values.storage
            if binary { values = values.map { ($0 + 1) / 2 } }
            let shape = patterns.shape.map { [patterns.count, $0.height, $0.width] } ?? [patterns.count, patterns.neurons]
            try NumpyArray(values, shape: shape).write(to: path)
            return
        }
        try AtomicFile.write(text.data, to: path)
    }

    // MARK: CSV

    /// Reads one pattern per record, with the values `1` or `+1` (+1) and `-1` (or `0` when
    /// `binary`) (−1), spaces and tabs around them ignored, straight from the bytes.
    static func parseCSV(_ data: Data, file: String, binary: Bool) throws -> PatternSet {
        func key(_ text: StaticString) -> Int {
            text.withUTF8Buffer { $0.count << 16 | Int($0[0]) << 8 | Int($0[$0.count - 1]) }
        }
        let one = key("1"), plusOne = key("+1"), minusOne = binary ? key("0") : key("-1")
        var n = -1
        var rows = 0
        // Every value takes at least one byte and all but the last a separator: at most half the
        // bytes (rounded up) are values.
        let values = try [Float](unsafeUninitializedCapacity: data.count / 2 + 1) { buffer, stored in
            try CSVScanner.forEachRecord(in: data, file: file) { record in
                if n < 0 {
                    n = record.count
                } else if record.count != n {
                    throw InputError(file: file, .line(record.line), "expected \(n) fields (as in the first line), found \(record.count)")
                }
                for c in 0..<n {
                    // Length, first and last byte identify each spelling; compared without branches,
                    // since random signs would defeat the branch predictor.
                    let f = record.field(c)
                    let key = f.isEmpty ? 0 : f.count << 16 | Int(f[0]) << 8 | Int(f[f.count - 1])
                    let plus = (key == one ? 1 : 0) | (key == plusOne ? 1 : 0)
                    let minus = key == minusOne ? 1 : 0
                    guard plus | minus != 0, stored < buffer.count else {
                        throw InputError(file: file, .field(line: record.line, column: "\(c + 1)"),
                                         "expected \(binary ? "0 or 1 (binary patterns)" : "-1 or 1"), found \"\(record.text(c))\"")
                    }
                    buffer[stored] = Float(plus - minus)
                    stored += 1
                }
                rows += 1
            }
        }
        guard rows > 0 else { throw InputError(file: file, "file is empty, expected patterns") }
        return PatternSet(Matrix(rows: rows, columns: n, storage: values))
    }

    /// One pattern per line, values `1` and `-1` (`0` when `binary`), comma separated.
    static func formatCSV(_ patterns: PatternSet, binary: Bool) -> TextWriter {
        let n = patterns.neurons
        var out = TextWriter(capacity: patterns.count * n * 3)
        patterns.values.storage.withUnsafeBufferPointer { values in
            for r in 0..<patterns.count {
                out.append(maxCount: 3 * n) { line in  // "-1," at the most per value
                    var k = 0
                    for c in 0..<n {
                        if values[r * n + c] > 0 {
                            line[k] = UInt8(ascii: "1"); k += 1
                        } else if binary {
                            line[k] = UInt8(ascii: "0"); k += 1
                        } else {
                            line[k] = UInt8(ascii: "-"); line[k + 1] = UInt8(ascii: "1"); k += 2
                        }
                        line[k] = c == n - 1 ? UInt8(ascii: "\n") : UInt8(ascii: ","); k += 1
                    }
                    return k
                }
            }
        }
        return out
    }

    // MARK: Text grids

    static func parseGrid(_ text: String, file: String) throws -> PatternSet {
        var grids: [[[Float]]] = []
        var current: [[Float]] = []
        var firstLine: [Int] = []
        var shapeLine = 0
        // Lines end in LF or CRLF (split on Unicode scalars: Swift counts "\r\n" as one Character),
        // and a UTF-8 byte-order mark before the first line is skipped.
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        for (index, rawLine) in scalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Substring(rawLine.last == "\r" ? rawLine.dropLast() : rawLine)
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { grids.append(current); current = [] }
                continue
            }
            var row: [Float] = []
            for (column, ch) in line.enumerated() {
                switch ch {
                case "#", "+", "X", "1": row.append(1)
                case ".", "-", "_", "0": row.append(-1)
                default:
                    throw InputError(file: file, .line(number), "unexpected character '\(ch)' at column \(column + 1); expected # or . (or + and -)")
                }
            }
            if current.isEmpty { firstLine.append(number) }
            if let width = current.first?.count, width != row.count {
                throw InputError(file: file, .line(number), "row has \(row.count) cells; the rows above have \(width) (ragged grid)")
            }
            current.append(row)
        }
        if !current.isEmpty { grids.append(current) }
        guard let first = grids.first else { throw InputError(file: file, "file is empty, expected patterns") }
        let height = first.count, width = first[0].count
        for (g, grid) in grids.enumerated() where grid.count != height || grid[0].count != width {
            shapeLine = firstLine[g]
            throw InputError(file: file, .line(shapeLine), "pattern \(g + 1) is \(grid.count)×\(grid[0].count); the first pattern is \(height)×\(width), and all must match")
        }
        let storage = grids.flatMap { $0.flatMap { $0 } }
        return PatternSet(Matrix(rows: grids.count, columns: height * width, storage: storage), shape: (height, width))
    }

    static func formatGrid(_ patterns: PatternSet) -> TextWriter {
        let (h, w) = patterns.shape ?? (1, patterns.neurons)
        var out = TextWriter(capacity: patterns.count * (h * (w + 1) + 1))
        patterns.values.storage.withUnsafeBufferPointer { values in
            for r in 0..<patterns.count {
                if r > 0 { out.append(byte: UInt8(ascii: "\n")) }
                for y in 0..<h {
                    for x in 0..<w { out.append(byte: values[r * h * w + y * w + x] > 0 ? UInt8(ascii: "#") : UInt8(ascii: ".")) }
                    out.append(byte: UInt8(ascii: "\n"))
                }
            }
        }
        return out
    }

    // MARK: PBM

    static func parsePBM(_ data: Data, file: String) throws -> PatternSet {
        let bytes = [UInt8](data)
        var i = 0
        var images: [[Float]] = []
        var shape: (Int, Int)?
        func skipSpaceAndComments() {
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "#") { while i < bytes.count && bytes[i] != 10 { i += 1 } }
                else if bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
                else { break }
            }
        }
        func readInt(_ what: String) throws -> Int {
            skipSpaceAndComments()
            let start = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            guard i > start, let v = Int(String(decoding: bytes[start..<i], as: UTF8.self)), v > 0 else {
                throw InputError(file: file, .byte(start), "expected the PBM \(what) (a positive integer)")
            }
            return v
        }
        skipSpaceAndComments()
        while i < bytes.count {
            let imageStart = i
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "P"), bytes[i + 1] == UInt8(ascii: "1") || bytes[i + 1] == UInt8(ascii: "4") else {
                throw InputError(file: file, .byte(i), "expected a PBM magic number P1 or P4")
            }
            let raw = bytes[i + 1] == UInt8(ascii: "4")
            i += 2
            let width = try readInt("width"), height = try readInt("height")
            if let (h, w) = shape, h != height || w != width {
                throw InputError(file: file, .record(images.count), "image is \(height)×\(width); the first image is \(h)×\(w), and all must match")
            }
            shape = (height, width)
            // The pixels must be in the file before anything is allocated for them: P1 takes at least
            // one byte per pixel, P4 one bit.
            guard let count = Sizes.product([width, height]) else {
                throw InputError(file: file, .byte(imageStart), "image \(images.count + 1) of \(width)×\(height) pixels: more than 64 bits can count")
            }
            let rowBytes = width / 8 + (width % 8 == 0 ? 0 : 1)
            let needed = raw ? Sizes.product([rowBytes, height]) ?? Int.max : count
            guard needed <= bytes.count - min(i + (raw ? 1 : 0), bytes.count) else {
                throw InputError(file: file, .byte(imageStart), "\(raw ? "P4" : "P1") image \(images.count + 1) is truncated: "
                                 + "its \(width)×\(height) pixels need \(needed) bytes, and \(bytes.count - i) are left")
            }
            var pixels = [Float](repeating: -1, count: count)
            if raw {
                i += 1  // the single whitespace after the header
                for y in 0..<height {
                    for x in 0..<width where bytes[i + y * rowBytes + x / 8] & (0x80 >> UInt8(x % 8)) != 0 {
                        pixels[y * width + x] = 1
                    }
                }
                i += rowBytes * height
            } else {
                for k in 0..<count {
                    skipSpaceAndComments()
                    guard i < bytes.count else {
                        throw InputError(file: file, .byte(i), "P1 image \(images.count + 1) is truncated: expected \(count) pixels, found \(k)")
                    }
                    switch bytes[i] {
                    case UInt8(ascii: "1"): pixels[k] = 1
                    case UInt8(ascii: "0"): pixels[k] = -1
                    default: throw InputError(file: file, .byte(i), "expected a P1 pixel 0 or 1, found '\(Character(Unicode.Scalar(bytes[i])))'")
                    }
                    i += 1
                }
            }
            images.append(pixels)
            skipSpaceAndComments()
        }
        guard let (h, w) = shape else { throw InputError(file: file, "file is empty, expected PBM images") }
        return PatternSet(Matrix(rows: images.count, columns: h * w, storage: images.flatMap { $0 }), shape: (h, w))
    }

    /// Raw PBM (P4) images, one per pattern: rows of ⌈w/8⌉ bytes, most significant bit first, 1 = black = +1.
    static func formatPBM(_ patterns: PatternSet) -> TextWriter {
        let (h, w) = patterns.shape ?? (1, patterns.neurons)
        let rowBytes = (w + 7) / 8
        var out = TextWriter(capacity: patterns.count * (h * rowBytes + 32))
        patterns.values.storage.withUnsafeBufferPointer { values in
            for r in 0..<patterns.count {
                out.append("P4\n")
                out.append(w)
                out.append(byte: UInt8(ascii: " "))
                out.append(h)
                out.append(byte: UInt8(ascii: "\n"))
                for y in 0..<h {
                    for byte in 0..<rowBytes {
                        var bits: UInt8 = 0
                        for x in (byte * 8)..<min(byte * 8 + 8, w) where values[r * h * w + y * w + x] > 0 {
                            bits |= 0x80 >> UInt8(x % 8)
                        }
                        out.append(byte: bits)
                    }
                }
            }
        }
        return out
    }
}
