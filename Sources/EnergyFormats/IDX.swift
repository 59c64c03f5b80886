import EnergyCore
import Foundation

/// An n-dimensional array in LeCun's IDX format, the format of the MNIST files.
///
/// An IDX file is a 4-byte magic number `00 00 TT DD` (TT the element type, DD the number of
/// dimensions), DD big-endian UInt32 sizes, then the elements in row-major order, big-endian.
/// Files may be gzip-compressed (`.gz`), as MNIST is distributed; reading detects this itself.
public struct IDXArray: Equatable, Sendable {
    /// The element types IDX defines, by their type code.
    public enum ElementType: UInt8, Sendable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }
    }

    /// The element type.
    public let type: ElementType
    /// The sizes of the dimensions, outermost first (MNIST images: [count, 28, 28]).
    public let shape: [Int]
    /// The elements, as stored in the file (big-endian).
    public let payload: Data

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// An array of unsigned bytes (images, labels).
    public init(uint8 values: [UInt8], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "IDX: \(values.count) values for shape \(shape)")
        self.type = .uint8
        self.shape = shape
        self.payload = Data(values)
    }

    /// An array of 32-bit floats.
    public init(float32 values: [Float], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "IDX: \(values.count) values for shape \(shape)")
        self.type = .float32
        self.shape = shape
        var d = Data(capacity: values.count * 4)
        for v in values { d.appendBE(v.bitPattern) }
        self.payload = d
    }

    private init(type: ElementType, shape: [Int], payload: Data) {
        self.type = type
        self.shape = shape
        self.payload = payload
    }

    /// Reads an IDX file, gzip-compressed or raw.
    ///
    /// - Throws: `InputError` naming the file and the byte offset for a wrong magic number, an unknown
    ///   type code, a truncated file, or bytes left over after the last element.
    public static func read(_ path: String) throws -> IDXArray {
        let data = try Gzip.decompressIfNeeded(try AtomicFile.read(path), file: path)
        var r = ByteReader(data, file: path)
        let zero1 = try r.uint8("the IDX magic number")
        let zero2 = try r.uint8("the IDX magic number")
        let code = try r.uint8("the IDX magic number")
        let dims = try r.uint8("the IDX magic number")
        guard zero1 == 0, zero2 == 0 else {
            throw InputError(file: path, .byte(0), String(format: "not an IDX file: magic number starts %02x %02x, expected 00 00", zero1, zero2))
        }
        guard let type = ElementType(rawValue: code) else {
            throw InputError(file: path, .byte(2), String(format: "unknown IDX element type 0x%02x; expected 08, 09, 0B, 0C, 0D or 0E", code))
        }
        guard dims >= 1 else { throw InputError(file: path, .byte(3), "IDX file declares 0 dimensions, expected at least 1") }
        var shape: [Int] = []
        for d in 0..<Int(dims) { shape.append(Int(try r.uint32BE("the size of dimension \(d)"))) }
        let (count, overflow) = shape.reduce((1, false)) { acc, n in
            let (p, o) = acc.0.multipliedReportingOverflow(by: n); return (p, acc.1 || o)
        }
        guard !overflow, count <= Int(UInt32.max) * 16 else {
            throw InputError(file: path, .byte(4), "IDX shape \(shape) is too large")
        }
        let bytes = count * type.size
        let payload = try r.bytes(bytes, for: "\(count) elements of shape \(shape.map(String.init).joined(separator: "×"))")
        guard r.remaining == 0 else {
            throw InputError(file: path, .byte(r.offset), "\(r.remaining) unexpected bytes after the last element of shape \(shape)")
        }
        return IDXArray(type: type, shape: shape, payload: Data(payload))
    }

    /// Writes the array as IDX; the file is gzip-compressed when `path` ends in `.gz`.
    public func write(to path: String) throws {
        var d = Data([0, 0, type.rawValue, UInt8(shape.count)])
        for n in shape { d.appendBE(UInt32(n)) }
        d.append(payload)
        try AtomicFile.write(path.hasSuffix(".gz") ? Gzip.compress(d) : d, to: path)
    }

    /// The elements as bytes; only for `uint8` arrays.
    public var bytes: [UInt8]? { type == .uint8 ? [UInt8](payload) : nil }

    /// The elements converted to `Float` (or `Double`).
    public func values<T: BinaryFloatingPoint>(as: T.Type = T.self) -> [T] {
        var out = [T](repeating: 0, count: count)
        payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let p = raw.bindMemory(to: UInt8.self)
            switch type {
            case .uint8: for i in 0..<out.count { out[i] = T(p[i]) }
            case .int8: for i in 0..<out.count { out[i] = T(Int8(bitPattern: p[i])) }
            case .int16:
                for i in 0..<out.count { out[i] = T(Int16(bitPattern: UInt16(p[2 * i]) << 8 | UInt16(p[2 * i + 1]))) }
            case .int32:
                for i in 0..<out.count { out[i] = T(Int32(bitPattern: Self.be32(p, 4 * i))) }
            case .float32:
                for i in 0..<out.count { out[i] = T(Float(bitPattern: Self.be32(p, 4 * i))) }
            case .float64:
                for i in 0..<out.count {
                    let hi = UInt64(Self.be32(p, 8 * i)), lo = UInt64(Self.be32(p, 8 * i + 4))
                    out[i] = T(Double(bitPattern: hi << 32 | lo))
                }
            }
        }
        return out
    }

    /// The elements as integers (labels); fractional floats are truncated.
    public func integers() -> [Int] {
        if let b = bytes { return b.map(Int.init) }
        return values(as: Double.self).map { Int($0) }
    }

    private static func be32(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(p[i]) << 24 | UInt32(p[i + 1]) << 16 | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3])
    }
}
