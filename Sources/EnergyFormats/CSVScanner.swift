import EnergyCore
import Foundation

/// The byte-level scanner of comma-separated text (RFC 4180): finds the records and the fields
/// of each without building strings, for `CSVTable` and for readers that parse fields as they go.
///
/// The dialect: fields are separated by commas and records end with `\n` or `\r\n`; a field that
/// starts with `"` is quoted, may hold commas, quotes (doubled: `""`) and line breaks, and may be
/// followed by spaces or tabs; a `\r` that ends an unquoted field is dropped; a UTF-8 byte-order
/// mark at the start is skipped. Blank records (one field of nothing but spaces and tabs) are
/// skipped; line numbers count every line of the file from 1. A NUL byte (binary data), an
/// unterminated quote or text after a closing quote is an `InputError` naming the file and the
/// byte or line.
public enum CSVScanner {
    /// Calls `body` with every non-blank record of `data`, in file order.
    ///
    /// The record, and the buffers its fields point into, are valid only during the call.
    public static func forEachRecord(in data: Data, file: String, _ body: (CSVRecord) throws -> Void) throws {
        try data.withUnsafeBytes { raw in
            try forEachRecord(in: raw.bindMemory(to: UInt8.self), file: file, body)
        }
    }

    /// Calls `body` with every non-blank record of `bytes`; the fields' spans are offsets into `bytes`.
    static func forEachRecord(in bytes: UnsafeBufferPointer<UInt8>, file: String, _ body: (CSVRecord) throws -> Void) throws {
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else { return }
        if let nul = memchr(base, 0, n) {
            throw InputError(file: file, .byte(UnsafeRawPointer(nul) - UnsafeRawPointer(base)),
                             "binary data (a NUL byte) in a text file, expected CSV text")
        }
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), ret = UInt8(ascii: "\r")
        var i = n >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
        var line = 1
        // The spans of the current record, in a buffer that grows by doubling and is reused.
        var capacity = 64
        var spans = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: capacity)
        defer { spans.deallocate() }
        while i < n {
            let recordLine = line
            var count = 0
            var endOfRecord = false
            while !endOfRecord {
                if count == capacity {
                    let grown = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: capacity * 2)
                    grown.moveInitialize(from: spans, count: count)
                    spans.deallocate()
                    spans = grown
                    capacity *= 2
                }
                if i < n && base[i] == quote {
                    // Quoted field: the span is what lies between the quotes, escapes and all.
                    i += 1
                    let start = i
                    var closed = false
                    while i < n {
                        let b = base[i]
                        if b == quote {
                            if i + 1 < n && base[i + 1] == quote { i += 2; continue }
                            closed = true
                            break
                        }
                        if b == newline { line += 1 }
                        i += 1
                    }
                    guard closed else { throw InputError(file: file, .line(recordLine), "unterminated quoted field") }
                    (spans + count).initialize(to: CSVFieldSpan(start: start, end: i))
                    count += 1
                    i += 1
                    while i < n && (base[i] == 0x20 || base[i] == 0x09) { i += 1 }
                } else {
                    let start = i
                    i = endOfUnquotedField(base, from: i, count: n)
                    let end = i > start && base[i - 1] == ret ? i - 1 : i
                    (spans + count).initialize(to: CSVFieldSpan(start: start, end: end))
                    count += 1
                    if i < n && base[i] == comma { i += 1; continue }  // the common case
                }
                if i >= n {
                    endOfRecord = true
                } else if base[i] == comma {
                    i += 1
                } else if base[i] == newline {
                    i += 1; line += 1; endOfRecord = true
                } else if base[i] == ret && i + 1 < n && base[i + 1] == newline {
                    i += 2; line += 1; endOfRecord = true
                } else {
                    throw InputError(file: file, .line(recordLine), "unexpected character after a quoted field")
                }
            }
            let record = CSVRecord(line: recordLine, bytes: bytes, spans: UnsafeBufferPointer(start: spans, count: count))
            if !record.isBlank { try body(record) }
        }
    }

    /// The offset of the first comma or line feed at or after `i` (or `n`).
    ///
    /// Eight bytes at a time (SWAR: a byte of `w ^ pattern` is zero where `w` has the pattern's
    /// byte; the lowest flagged byte is exact), so that the short fields of numeric files cost no
    /// mispredicted branch per byte.
    @inline(__always)
    private static func endOfUnquotedField(_ base: UnsafePointer<UInt8>, from start: Int, count n: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i + 8 <= n {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let commas = w ^ (ones &* UInt64(UInt8(ascii: ","))), newlines = w ^ (ones &* UInt64(UInt8(ascii: "\n")))
            let found = ((commas &- ones) & ~commas | (newlines &- ones) & ~newlines) & highs
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n && base[i] != UInt8(ascii: ",") && base[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    /// Field `span` of `bytes` as an integer.
    ///
    /// - Throws: `InputError` at `line` and `column`: "expected an integer, found "…"", saying so
    ///   when the digits are outside the 64-bit range.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ span: CSVFieldSpan, file: String, line: Int,
                        column: @autoclosure () -> String) throws -> Int {
        switch NumericText.parseInteger(span.trimmedContent(of: bytes)) {
        case .value(let v): return v
        case .malformed:
            throw InputError(file: file, .field(line: line, column: column()), "expected an integer, found \"\(span.text(of: bytes))\"")
        case .outOfRange:
            throw InputError(file: file, .field(line: line, column: column()),
                             "expected an integer, found \"\(span.text(of: bytes))\" (outside \(Int.min)...\(Int.max))")
        }
    }

    /// Field `span` of `bytes` as a number, finite unless `allowNonFinite`.
    ///
    /// - Throws: `InputError` at `line` and `column`: "expected a number, found "…"" or "expected a
    ///   finite number, found nan".
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ span: CSVFieldSpan, file: String, line: Int,
                       column: @autoclosure () -> String, allowNonFinite: Bool) throws -> Double {
        guard let v = NumericText.double(span.trimmedContent(of: bytes)) else {
            throw InputError(file: file, .field(line: line, column: column()), "expected a number, found \"\(span.text(of: bytes))\"")
        }
        guard allowNonFinite || v.isFinite else {
            throw InputError(file: file, .field(line: line, column: column()), "expected a finite number, found \(span.text(of: bytes))")
        }
        return v
    }
}

/// Where one field of a record lies in the file's bytes: for a quoted field, what is between the
/// quotes (with `""` escapes still doubled).
@usableFromInline
struct CSVFieldSpan: Sendable {
    @usableFromInline var start: Int
    @usableFromInline var end: Int

    @usableFromInline
    init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Whether the field was quoted: an unquoted field starts the file or follows a comma, a line
    /// break or the byte-order mark, a quoted one follows its opening quote.
    func isQuoted(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        start > 0 && bytes[start - 1] == UInt8(ascii: "\"")
    }

    /// The field's bytes without the spaces and tabs around them.
    @inlinable
    func trimmedContent(of bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        NumericText.trimmed(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    /// The field as a string: quotes removed, `""` read as `"`, and, when `trimmed`, the spaces and
    /// tabs around it removed.
    func text(of bytes: UnsafeBufferPointer<UInt8>, trimmed: Bool = true) -> String {
        let content = trimmed ? trimmedContent(of: bytes) : UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard isQuoted(in: bytes), content.contains(UInt8(ascii: "\"")) else {
            return String(decoding: content, as: UTF8.self)
        }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(content.count)
        var k = 0
        while k < content.count {
            unescaped.append(content[k])
            k += content[k] == UInt8(ascii: "\"") && k + 1 < content.count && content[k + 1] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }
}

/// One record of a CSV text, as `CSVScanner` hands it over: its line and its fields, which point
/// into the text's bytes and are valid only while the scanner's closure runs.
public struct CSVRecord {
    /// The 1-based line on which the record starts.
    public let line: Int
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let spans: UnsafeBufferPointer<CSVFieldSpan>

    init(line: Int, bytes: UnsafeBufferPointer<UInt8>, spans: UnsafeBufferPointer<CSVFieldSpan>) {
        self.line = line
        self.bytes = bytes
        self.spans = spans
    }

    /// The number of fields.
    @inlinable public var count: Int { spans.count }

    /// The bytes of field `index` (0-based) without the spaces and tabs around them; for a quoted
    /// field, what is between the quotes (a `""` escape stays doubled).
    @inlinable
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        spans[index].trimmedContent(of: bytes)
    }

    /// Field `index` as a string, as error messages quote it: unquoted, `""` read as `"`, without
    /// the spaces and tabs around it.
    public func text(_ index: Int) -> String {
        spans[index].text(of: bytes)
    }

    /// Field `index` as a number, finite unless `allowNonFinite`.
    ///
    /// - Throws: `InputError` naming `file`, the line and `column`, as `CSVTable.doubles` does.
    func double(_ index: Int, file: String, column: @autoclosure () -> String, allowNonFinite: Bool = false) throws -> Double {
        try CSVScanner.double(bytes, spans[index], file: file, line: line, column: column(), allowNonFinite: allowNonFinite)
    }

    /// A blank line: one field of nothing but spaces and tabs (or an empty quoted field).
    var isBlank: Bool { spans.count == 1 && field(0).isEmpty }
}
