import EnergyCore
import Foundation

/// A comma-separated table read from a text file (RFC 4180, as `CSVScanner` reads it: quoted
/// fields, `""` escapes, `\n` or `\r\n` line ends, a UTF-8 byte-order mark), with typed column
/// access and precise errors.
///
/// The table keeps the file's bytes and where each field lies in them; columns are parsed on
/// demand straight from the bytes, and strings are built only for the header and when asked for.
/// Blank lines are skipped; every other line must have as many fields as the header (or, without
/// a header, as the first line). Typed accessors name the file, the line and the column of any
/// value that does not parse; spaces and tabs around a value are ignored.
public struct CSVTable: Sendable {
    /// The file name used in error messages.
    public let file: String
    /// The column names, without surrounding spaces and tabs (empty when the table was read
    /// without a header).
    public let header: [String]
    /// The 1-based line number in the file of each data row.
    public let lineNumbers: [Int]
    /// Number of columns.
    public let columnCount: Int
    /// The file's bytes.
    private let bytes: [UInt8]
    /// Where each field of the data rows lies in `bytes`, row after row.
    private let spans: [CSVFieldSpan]

    /// Number of data rows.
    public var rowCount: Int { lineNumbers.count }

    /// The fields of each data row as strings, as in the file (unquoted, spaces kept). Built on
    /// each use; the typed accessors do not need it.
    public var rows: [[String]] {
        bytes.withUnsafeBufferPointer { buf in
            (0..<rowCount).map { r in (0..<columnCount).map { c in span(r, c).text(of: buf, trimmed: false) } }
        }
    }

    /// Reads and parses a CSV file.
    ///
    /// - Throws: `InputError` for a missing or empty file, ragged rows, or an unterminated quote.
    public static func read(_ path: String, hasHeader: Bool = true) throws -> CSVTable {
        let data = try AtomicFile.read(path)
        return try parse(data, file: path, hasHeader: hasHeader)
    }

    /// Parses CSV bytes; `file` names them in error messages.
    public static func parse(_ data: Data, file: String, hasHeader: Bool = true) throws -> CSVTable {
        let bytes = [UInt8](data)
        var header: [String] = []
        var spans: [CSVFieldSpan] = []
        var lines: [Int] = []
        var expected = -1
        try bytes.withUnsafeBufferPointer { buf in
            try CSVScanner.forEachRecord(in: buf, file: file) { record in
                if expected < 0 {
                    expected = record.count
                    if hasHeader {
                        header = (0..<record.count).map { record.text($0) }
                        return
                    }
                } else if record.count != expected {
                    throw InputError(file: file, .line(record.line),
                                     "expected \(expected) fields (as in the \(hasHeader ? "header" : "first line")), found \(record.count)")
                }
                spans.append(contentsOf: record.spans)
                lines.append(record.line)
            }
        }
        guard expected >= 0 else { throw InputError(file: file, "file is empty, expected CSV data") }
        return CSVTable(file: file, header: header, lineNumbers: lines, columnCount: expected, bytes: bytes, spans: spans)
    }

    /// Where field `column` of data row `row` lies.
    private func span(_ row: Int, _ column: Int) -> CSVFieldSpan { spans[row * columnCount + column] }

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
        precondition(index >= 0 && index < columnCount, "CSVTable: column \(index) of \(columnCount)")
        return try bytes.withUnsafeBufferPointer { buf in
            try (0..<rowCount).map { r in
                try CSVScanner.double(buf, span(r, index), file: file, line: lineNumbers[r], column: name ?? "\(index + 1)",
                                      allowNonFinite: allowNonFinite)
            }
        }
    }

    /// The named column as integers.
    ///
    /// - Throws: `InputError` naming the line and column of a value that is not an integer (or is
    ///   outside the 64-bit range).
    public func integers(_ name: String) throws -> [Int] {
        let index = try columnIndex(name)
        return try bytes.withUnsafeBufferPointer { buf in
            try (0..<rowCount).map { r in
                try CSVScanner.integer(buf, span(r, index), file: file, line: lineNumbers[r], column: name)
            }
        }
    }

    /// The named column as strings, without surrounding spaces and tabs.
    public func strings(_ name: String) throws -> [String] {
        let index = try columnIndex(name)
        return bytes.withUnsafeBufferPointer { buf in (0..<rowCount).map { span($0, index).text(of: buf) } }
    }

    /// Reads a numeric CSV file straight into a matrix (one row per line), without building strings.
    ///
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - hasHeader: skip the first line.
    ///   - as: the element type of the matrix, `Float` or `Double`.
    /// - Throws: `InputError` naming line and column of a ragged row or a value that is not a finite number.
    public static func readMatrix<T: BLASScalar>(_ path: String, hasHeader: Bool = false, as: T.Type = T.self) throws -> Matrix<T> {
        let data = try AtomicFile.read(path)
        var values: [T] = []
        var columns = -1
        var rows = 0
        var skippedHeader = !hasHeader
        try CSVScanner.forEachRecord(in: data, file: path) { record in
            if !skippedHeader { skippedHeader = true; return }
            if columns < 0 { columns = record.count }
            guard record.count == columns else {
                throw InputError(file: path, .line(record.line), "expected \(columns) values (as in the first row), found \(record.count)")
            }
            for c in 0..<columns {
                values.append(T(try record.double(c, file: path, column: "\(c + 1)")))
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
