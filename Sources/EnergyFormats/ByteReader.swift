import EnergyCore
import Foundation

/// A bounds-checked cursor over the bytes of a binary file.
///
/// Every read that would run past the end throws an `InputError` naming the file, the byte
/// offset and what was being read, so truncated files are reported rather than trapped on.
public struct ByteReader {
    /// The bytes.
    public let data: Data
    /// The file name used in error messages.
    public let file: String
    /// The current offset from the start of `data`.
    public var offset: Int = 0

    public init(_ data: Data, file: String) {
        self.data = data
        self.file = file
    }

    /// Bytes left after the cursor.
    public var remaining: Int { data.count - offset }

    /// Throws unless `count` more bytes are available for `what`.
    public func require(_ count: Int, for what: String) throws {
        guard count >= 0, count <= remaining else {
            throw InputError(file: file, .byte(offset),
                             "file is truncated: expected \(count) bytes of \(what), found \(max(remaining, 0))")
        }
    }

    /// Reads `count` raw bytes.
    public mutating func bytes(_ count: Int, for what: String) throws -> Data {
        try require(count, for: what)
        let start = data.startIndex + offset
        offset += count
        return data[start..<(start + count)]
    }

    /// Reads one byte.
    public mutating func uint8(_ what: String) throws -> UInt8 {
        try require(1, for: what)
        defer { offset += 1 }
        return data[data.startIndex + offset]
    }

    /// Reads an unsigned integer of `width` bytes, big- or little-endian.
    public mutating func unsigned(_ width: Int, bigEndian: Bool, _ what: String) throws -> UInt64 {
        try require(width, for: what)
        var v: UInt64 = 0
        let base = data.startIndex + offset
        for i in 0..<width {
            let b = UInt64(data[base + (bigEndian ? i : width - 1 - i)])
            v = (v << 8) | b
        }
        offset += width
        return v
    }

    /// Reads a big-endian UInt32 (IDX headers).
    public mutating func uint32BE(_ what: String) throws -> UInt32 { UInt32(try unsigned(4, bigEndian: true, what)) }
    /// Reads a little-endian UInt16 (zip, npy headers).
    public mutating func uint16LE(_ what: String) throws -> UInt16 { UInt16(try unsigned(2, bigEndian: false, what)) }
    /// Reads a little-endian UInt32 (zip, npy headers).
    public mutating func uint32LE(_ what: String) throws -> UInt32 { UInt32(try unsigned(4, bigEndian: false, what)) }
    /// Reads a little-endian UInt64 (zip64).
    public mutating func uint64LE(_ what: String) throws -> UInt64 { try unsigned(8, bigEndian: false, what) }
}

/// Little-endian appends for binary writers.
extension Data {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
    mutating func appendBE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
