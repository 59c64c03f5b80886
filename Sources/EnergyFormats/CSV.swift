import EnergyCore
import Foundation

/// A comma-separated table read from a text file (RFC 4180: quoted fields, `""` escapes,
/// `\n` or `\r\n` line ends), with typed column access and precise errors.
///
/// Blank lines are skipped; every other line must have as many fields as the header (or, without
/// a header, as the first line). Typed accessors name the file, the line and the column of any value
/// that does not parse.
public struct CSVTable: Sendable {
    /// The file name used in error messages.
    public let file: String
    /// The column names (empty when the table was read without a header).
    public let header: [String]
    /// The fields of each data row.
    public let rows: [[String]]
    /// The 1-based line number in the file of each data row.
    public let lineNumbers: [Int]

    /// Number of columns.
    public var columnCount: Int { header.isEmpty ? (rows.first?.count ?? 0) : header.count }

    /// Reads and parses a CSV file.
    ///
    /// - Throws: `InputError` for a missing or empty file, ragged rows, or an unterminated quote.
    public static func read(_ path: String, hasHeader: Bool = true) throws -> CSVTable {
        let data = try AtomicFile.read(path)
        return try parse(data, file: path, hasHeader: hasHeader)
    }

    /// Parses CSV bytes; `file` names them in error messages.
    public static func parse(_ data: Data, file: String, hasHeader: Bool = true) throws -> CSVTable {
        var header: [String] = []
        var rows: [[String]] = []
        var lines: [Int] = []
        var expected = -1
        try CSVTokenizer.forEachRecord(data, file: file) { line, fields in
            let strings = fields.map { String(decoding: $0, as: UTF8.self) }
            if expected < 0 {
                expected = strings.count
                if hasHeader {
                    header = strings.map { $0.trimmingCharacters(in: .whitespaces) }
                    return
                }
            } else if strings.count != expected {
                throw InputError(file: file, .line(line),
                                 "expected \(expected) fields (as in the \(hasHeader ? "header" : "first line")), found \(strings.count)")
            }
            rows.append(strings)
            lines.append(line)
        }
        guard expected >= 0 else { throw InputError(file: file, "file is empty, expected CSV data") }
        return CSVTable(file: file, header: header, rows: rows, lineNumbers: lines)
    }

    /// The index of the named column.
    ///
    /// - Throws: `InputError` listing the columns that are there.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw InputError(file: file, .line(1), "missing column '\(name)'; the header has: \(header.joined(separator: ","))")
        }
        return i
    }

    /// Throws unless every one of `names` is a column.
    public func requireColumns(_ names: [String]) throws {
        let missing = names.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw InputError(file: file, .line(1), "missing column\(missing.count > 1 ? "s" : "") "
                             + missing.map { "'\($0)'" }.joined(separator: ", ")
                             + "; expected \(names.joined(separator: ",")), the header has: \(header.joined(separator: ","))")
        }
    }

    /// Whether the header has a column of that name.
    public func hasColumn(_ name: String) -> Bool { header.contains(name) }

    /// The named column as finite numbers.
    ///
    /// - Throws: `InputError` naming the line and column of a value that is not a number, or is NaN
    ///   or infinite (unless `allowNonFinite`).
    public func doubles(_ name: String, allowNonFinite: Bool = false) throws -> [Double] {
        try doubles(column: try columnIndex(name), name: name, allowNonFinite: allowNonFinite)
    }

    /// The column at `index` as finite numbers (for tables without a header).
    public func doubles(column index: Int, name: String? = nil, allowNonFinite: Bool = false) throws -> [Double] {
        let label = name ?? "\(index + 1)"
        return try rows.indices.map { r in
            let text = rows[r][index].trimmingCharacters(in: .whitespaces)
            guard let v = Double(text) else {
                throw InputError(file: file, .field(line: lineNumbers[r], column: label), "expected a number, found \"\(text)\"")
            }
            guard allowNonFinite || v.isFinite else {
                throw InputError(file: file, .field(line: lineNumbers[r], column: label), "expected a finite number, found \(text)")
            }
            return v
        }
    }

    /// The named column as integers.
    ///
    /// - Throws: `InputError` naming the line and column of a value that is not an integer.
    public func integers(_ name: String) throws -> [Int] {
        let index = try columnIndex(name)
        return try rows.indices.map { r in
            let text = rows[r][index].trimmingCharacters(in: .whitespaces)
            guard let v = Int(text) else {
                throw InputError(file: file, .field(line: lineNumbers[r], column: name), "expected an integer, found \"\(text)\"")
            }
            return v
        }
    }

    /// The named column as strings, trimmed of surrounding spaces.
    public func strings(_ name: String) throws -> [String] {
        let index = try columnIndex(name)
        return rows.map { $0[index].trimmingCharacters(in: .whitespaces) }
    }

    /// Reads a numeric CSV file straight into a matrix (one row per line), without building strings.
    ///
    /// - Parameter hasHeader: skip the first line.
    /// - Throws: `InputError` naming line and column of a ragged row or a value that is not a finite number.
    public static func readMatrix<T: BLASScalar>(_ path: String, hasHeader: Bool = false, as: T.Type = T.self) throws -> Matrix<T> {
        let data = try AtomicFile.read(path)
        var values: [T] = []
        var columns = -1
        var rows = 0
        var skippedHeader = !hasHeader
        try CSVTokenizer.forEachRecord(data, file: path) { line, fields in
            if !skippedHeader { skippedHeader = true; return }
            if columns < 0 { columns = fields.count; values.reserveCapacity(columns * 1024) }
            guard fields.count == columns else {
                throw InputError(file: path, .line(line), "expected \(columns) values (as in the first row), found \(fields.count)")
            }
            for (c, f) in fields.enumerated() {
                guard let v = CSVTokenizer.parseDouble(f), v.isFinite else {
                    throw InputError(file: path, .field(line: line, column: "\(c + 1)"),
                                     "expected a finite number, found \"\(String(decoding: f, as: UTF8.self))\"")
                }
                values.append(T(v))
            }
            rows += 1
        }
        guard rows > 0 else { throw InputError(file: path, "file has no data rows, expected a numeric matrix") }
        return Matrix(rows: rows, columns: columns, storage: values)
    }

    /// Formats rows as CSV text, quoting fields that contain commas, quotes or line breaks.
    public static func format(header: [String]?, rows: [[String]]) -> String {
        func quote(_ s: String) -> String {
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = ""
        if let header { out += header.map(quote).joined(separator: ",") + "\n" }
        for r in rows { out += r.map(quote).joined(separator: ",") + "\n" }
        return out
    }

    /// Writes rows as a CSV file, atomically.
    public static func write(header: [String]?, rows: [[String]], to path: String) throws {
        try AtomicFile.write(format(header: header, rows: rows), to: path)
    }
}

/// The byte-level CSV scanner behind `CSVTable`.
enum CSVTokenizer {
    /// Calls `body` with the 1-based line number and the fields of every non-blank record.
    static func forEachRecord(_ data: Data, file: String,
                              _ body: (Int, [ArraySlice<UInt8>]) throws -> Void) throws {
        let bytes = [UInt8](data)
        if bytes.contains(0) {
            throw InputError(file: file, .byte(bytes.firstIndex(of: 0) ?? 0), "binary data (a NUL byte) in a text file, expected CSV text")
        }
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // skip a UTF-8 byte-order mark
        let n = bytes.count
        var line = 1
        var fields: [ArraySlice<UInt8>] = []
        var unquoted: [UInt8] = []
        while i < n {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            var endOfRecord = false
            while !endOfRecord {
                if i < n && bytes[i] == UInt8(ascii: "\"") {
                    // Quoted field.
                    unquoted.removeAll(keepingCapacity: true)
                    i += 1
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == UInt8(ascii: "\"") {
                            if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") { unquoted.append(b); i += 2; continue }
                            i += 1; closed = true; break
                        }
                        if b == UInt8(ascii: "\n") { line += 1 }
                        unquoted.append(b); i += 1
                    }
                    guard closed else { throw InputError(file: file, .line(recordLine), "unterminated quoted field") }
                    fields.append(ArraySlice(unquoted))
                    while i < n && (bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t")) { i += 1 }
                } else {
                    let start = i
                    while i < n && bytes[i] != UInt8(ascii: ",") && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                    var end = i
                    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    fields.append(bytes[start..<end])
                }
                if i >= n { endOfRecord = true }
                else if bytes[i] == UInt8(ascii: ",") { i += 1 }
                else if bytes[i] == UInt8(ascii: "\n") { i += 1; line += 1; endOfRecord = true }
                else if bytes[i] == UInt8(ascii: "\r") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "\n") {
                    i += 2; line += 1; endOfRecord = true
                } else {
                    throw InputError(file: file, .line(recordLine), "unexpected character after a quoted field")
                }
            }
            let blank = fields.count == 1 && fields[0].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if !blank { try body(recordLine, fields) }
        }
    }

    /// Parses a decimal number (surrounding spaces allowed) without building a String.
    static func parseDouble(_ field: ArraySlice<UInt8>) -> Double? {
        var lo = field.startIndex, hi = field.endIndex
        while lo < hi && (field[lo] == 32 || field[lo] == 9) { lo += 1 }
        while hi > lo && (field[hi - 1] == 32 || field[hi - 1] == 9) { hi -= 1 }
        let len = hi - lo
        guard len > 0 && len < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buf -> Double? in
            for k in 0..<len { buf[k] = CChar(bitPattern: field[lo + k]) }
            buf[len] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &end)
            guard let end, end - buf.baseAddress! == len else { return nil }
            return v
        }
    }
}
