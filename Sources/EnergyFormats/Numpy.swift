import EnergyCore
import Foundation

/// An array in NumPy's `.npy` format (format versions 1.0–3.0), so weights and features move
/// between the toolkit and Python with `numpy.load` / `numpy.save`.
///
/// Reading accepts little- and big-endian floats and integers, booleans, C or Fortran order, and
/// 0-d unicode strings (how `numpy.savez(metadata=json_text)` stores a string). Writing produces
/// version 1.0 files in C order with the header padded to a multiple of 64 bytes, as NumPy does.
public struct NumpyArray: Equatable, Sendable {
    /// The element storage.
    public enum Storage: Equatable, Sendable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case uint8([UInt8])
        /// A 0-d unicode string (`<U…`).
        case string(String)
    }

    /// The shape, outermost first; `[]` for a 0-d array.
    public var shape: [Int]
    /// The elements in C (row-major) order.
    public var storage: Storage

    public init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    /// A float32 array (`<f4`).
    public init(_ values: [Float], shape: [Int]) { self.init(shape: shape, storage: .float32(values)) }
    /// A float64 array (`<f8`).
    public init(_ values: [Double], shape: [Int]) { self.init(shape: shape, storage: .float64(values)) }
    /// An int64 array (`<i8`).
    public init(_ values: [Int64], shape: [Int]) { self.init(shape: shape, storage: .int64(values)) }
    /// A uint8 array (`|u1`).
    public init(_ values: [UInt8], shape: [Int]) { self.init(shape: shape, storage: .uint8(values)) }
    /// A 0-d unicode string (`<U…`), e.g. JSON metadata.
    public init(string: String) { self.init(shape: [], storage: .string(string)) }
    /// A 2-D array from a matrix, float32 or float64 by its scalar type.
    public init<T: BLASScalar>(_ m: Matrix<T>) {
        if let f = m.storage as? [Float] { self.init(f, shape: [m.rows, m.columns]) }
        else { self.init(m.storage.map { Double($0) }, shape: [m.rows, m.columns]) }
    }

    /// Number of elements (1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }

    /// The NumPy dtype string of the storage.
    public var descr: String {
        switch storage {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        case .string(let s): return "<U\(max(1, s.unicodeScalars.count))"
        }
    }

    /// The elements as floating-point numbers; nil for a string.
    public func values<T: BinaryFloatingPoint>(as: T.Type = T.self) -> [T]? {
        switch storage {
        case .float32(let v): return T.self == Float.self ? (v as! [T]) : v.map { T($0) }
        case .float64(let v): return T.self == Double.self ? (v as! [T]) : v.map { T($0) }
        case .int64(let v): return v.map { T($0) }
        case .uint8(let v): return v.map { T($0) }
        case .string: return nil
        }
    }

    /// The string of a 0-d unicode array; nil otherwise.
    public var string: String? { if case .string(let s) = storage { return s } else { return nil } }

    /// The array as a matrix: 2-D as is, 1-D as one row.
    ///
    /// - Throws: `InputError` naming `file` and `what` when the array is not numeric or not 1-D/2-D.
    public func matrix<T: BLASScalar>(as: T.Type = T.self, file: String, what: String) throws -> Matrix<T> {
        guard let v: [T] = values() else { throw InputError(file: file, "\(what): expected numbers, found a string") }
        switch shape.count {
        case 1: return Matrix(rows: 1, columns: shape[0], storage: v)
        case 2: return Matrix(rows: shape[0], columns: shape[1], storage: v)
        default: throw InputError(file: file, "\(what): expected a 1-D or 2-D array, found shape \(shape)")
        }
    }

    // MARK: Encoding

    /// The `.npy` bytes (format 1.0).
    public func encoded() -> Data {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        d.appendLE(UInt16(header.utf8.count))
        d.append(contentsOf: Array(header.utf8))
        switch storage {
        case .float32(let v): for x in v { d.appendLE(x.bitPattern) }
        case .float64(let v): for x in v { d.appendLE(x.bitPattern) }
        case .int64(let v): for x in v { d.appendLE(x) }
        case .uint8(let v): d.append(contentsOf: v)
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            for u in scalars { d.appendLE(u.value) }
            if scalars.isEmpty { d.appendLE(UInt32(0)) }
        }
        return d
    }

    /// Writes a `.npy` file atomically.
    public func write(to path: String) throws { try AtomicFile.write(encoded(), to: path) }

    /// Reads a `.npy` file.
    public static func read(_ path: String) throws -> NumpyArray {
        try decode(try AtomicFile.read(path), file: path)
    }

    /// Decodes `.npy` bytes; `file` names them in errors.
    ///
    /// - Throws: `InputError` for a wrong magic string, an unsupported version or dtype, a malformed
    ///   header, or a truncated body.
    public static func decode(_ data: Data, file: String) throws -> NumpyArray {
        var r = ByteReader(data, file: file)
        let magic = try r.bytes(6, for: "the .npy magic string")
        guard Array(magic) == [0x93] + Array("NUMPY".utf8) else {
            throw InputError(file: file, .byte(0), "not a .npy file: expected the magic string \\x93NUMPY")
        }
        let major = try r.uint8("the .npy version"), _ = try r.uint8("the .npy version")
        let headerLength: Int
        switch major {
        case 1: headerLength = Int(try r.uint16LE("the .npy header length"))
        case 2, 3: headerLength = Int(try r.uint32LE("the .npy header length"))
        default: throw InputError(file: file, .byte(6), "unsupported .npy format version \(major); expected 1, 2 or 3")
        }
        let headerBytes = try r.bytes(headerLength, for: "the .npy header")
        let header = String(decoding: headerBytes, as: UTF8.self)
        let h = try parseHeader(header, file: file)
        guard h.shape.allSatisfy({ $0 >= 0 }) else { throw InputError(file: file, .byte(r.offset), "negative dimension in shape \(h.shape)") }
        guard let count = Sizes.product(h.shape) else {
            throw InputError(file: file, "the shape \(h.shape) in the .npy header has more elements than 64 bits can count")
        }

        let d = h.descr
        let order = d.first ?? "|"
        guard order == "<" || order == ">" || order == "|" || order == "=" else {
            throw InputError(file: file, "unsupported dtype '\(d)'")
        }
        let big = order == ">"
        let kind = d.dropFirst().first ?? "?"
        let width = Int(d.dropFirst(2)) ?? 0
        let what = "\(count) elements of dtype \(d)"
        var storage: Storage
        switch (kind, width) {
        case ("f", 4), ("f", 8), ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2), ("u", 4), ("u", 8), ("b", 1):
            // The body must be in the file before anything is allocated for it.
            guard let size = Sizes.product([count, width]) else { throw InputError(file: file, "\(what) take more bytes than 64 bits can count") }
            let body = try r.bytes(size, for: what)
            var raw = [UInt64](repeating: 0, count: count)
            body.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
                for e in 0..<count {
                    var v: UInt64 = 0
                    for b in 0..<width {
                        let byte = UInt64(p[e * width + (big ? b : width - 1 - b)])
                        v = v << 8 | byte
                    }
                    raw[e] = v
                }
            }
            switch (kind, width) {
            case ("f", 4): storage = .float32(raw.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
            case ("f", 8): storage = .float64(raw.map { Double(bitPattern: $0) })
            case ("u", 1), ("b", 1): storage = .uint8(raw.map { UInt8(truncatingIfNeeded: $0) })
            case ("u", _): storage = .int64(raw.map { Int64(bitPattern: $0) })
            default:
                let shift = UInt64(64 - 8 * width)
                storage = .int64(raw.map { Int64(bitPattern: $0 << shift) >> Int64(shift) })
            }
        case ("U", let n) where n > 0:
            guard h.shape.isEmpty else { throw InputError(file: file, "unicode arrays are supported only as 0-d strings; found shape \(h.shape)") }
            guard let size = Sizes.product([n, 4]) else { throw InputError(file: file, "dtype '\(d)': a \(n)-character string takes more bytes than 64 bits can count") }
            let body = try r.bytes(size, for: "a \(n)-character string")
            var scalars = String.UnicodeScalarView()
            body.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
                for c in 0..<n {
                    var v: UInt32 = 0
                    for b in 0..<4 { v = v << 8 | UInt32(p[c * 4 + (big ? b : 3 - b)]) }
                    if v == 0 { break }
                    if let u = Unicode.Scalar(v) { scalars.append(u) }
                }
            }
            storage = .string(String(scalars))
        default:
            throw InputError(file: file, "unsupported dtype '\(d)'; expected float (f4, f8), integer (i1–i8, u1–u8), bool or a unicode string")
        }
        guard r.remaining == 0 else {
            throw InputError(file: file, .byte(r.offset), "\(r.remaining) unexpected bytes after the array body")
        }
        var array = NumpyArray(shape: h.shape, storage: storage)
        if h.fortranOrder && h.shape.count > 1 { array.reorderFromFortran() }
        return array
    }

    private struct Header { var descr: String; var fortranOrder: Bool; var shape: [Int] }

    /// Parses the Python dict literal of an `.npy` header.
    private static func parseHeader(_ text: String, file: String) throws -> Header {
        func value(after key: String) throws -> Substring {
            guard let k = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\""),
                  let colon = text[k.upperBound...].firstIndex(of: ":") else {
                throw InputError(file: file, "malformed .npy header: no '\(key)' key in \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return text[text.index(after: colon)...].drop(while: { $0 == " " })
        }
        let descrText = try value(after: "descr")
        guard let q = descrText.first, q == "'" || q == "\"",
              let close = descrText.dropFirst().firstIndex(of: q) else {
            throw InputError(file: file, "malformed .npy header: 'descr' is not a string (structured dtypes are not supported)")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        let fortran = try value(after: "fortran_order").hasPrefix("True")
        let shapeText = try value(after: "shape")
        guard shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else {
            throw InputError(file: file, "malformed .npy header: 'shape' is not a tuple")
        }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<end]
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if t.isEmpty { continue }
            guard let n = Int(t) else { throw InputError(file: file, "malformed .npy header: shape entry '\(t)' is not an integer") }
            shape.append(n)
        }
        return Header(descr: descr, fortranOrder: fortran, shape: shape)
    }

    /// Converts Fortran-ordered elements to C order.
    private mutating func reorderFromFortran() {
        let n = shape.count
        var fStrides = [Int](repeating: 1, count: n)
        for d in 1..<n { fStrides[d] = fStrides[d - 1] * shape[d - 1] }
        func permute<T>(_ v: [T]) -> [T] {
            var out = v
            var index = [Int](repeating: 0, count: n)
            for c in 0..<v.count {
                var f = 0
                for d in 0..<n { f += index[d] * fStrides[d] }
                out[c] = v[f]
                var d = n - 1
                while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
            }
            return out
        }
        switch storage {
        case .float32(let v): storage = .float32(permute(v))
        case .float64(let v): storage = .float64(permute(v))
        case .int64(let v): storage = .int64(permute(v))
        case .uint8(let v): storage = .uint8(permute(v))
        case .string: break
        }
    }
}
