import EnergyCore
import Foundation

/// A NumPy `.npz` archive: a zip file of named `.npy` arrays (`numpy.savez`).
///
/// Writing stores the members uncompressed, as `numpy.savez` does; reading accepts stored and
/// deflated members (`numpy.savez_compressed`) and zip64 records, and checks each member's CRC-32.
/// Member order is kept.
public struct NumpyArchive: Equatable, Sendable {
    /// The arrays, by name (without the `.npy` suffix), in archive order.
    public private(set) var entries: [(name: String, array: NumpyArray)] = []

    public init() {}

    /// An archive of these arrays.
    public init(_ entries: [(String, NumpyArray)]) {
        for (name, array) in entries { self[name] = array }
    }

    public static func == (a: NumpyArchive, b: NumpyArchive) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.array == $1.array }
    }

    /// The names of the arrays.
    public var names: [String] { entries.map(\.name) }

    /// The array of a name; setting replaces it or appends it.
    public subscript(name: String) -> NumpyArray? {
        get { entries.first { $0.name == name }?.array }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[i].array = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }

    /// The named array, or an `InputError` naming `file` and the missing member.
    public func require(_ name: String, file: String) throws -> NumpyArray {
        guard let a = self[name] else {
            throw InputError(file: file, .entry(name), "missing array; the archive has: \(names.joined(separator: ", "))")
        }
        return a
    }

    // MARK: Writing

    /// The archive's bytes: a zip file with stored members.
    public func encoded() throws -> Data {
        var out = Data()
        var central = Data()
        for (name, array) in entries {
            let member = array.encoded()
            let fileName = Array((name + ".npy").utf8)
            let crc = Gzip.crc32(member)
            let offset = out.count
            guard member.count < Int(UInt32.max), offset < Int(UInt32.max) else {
                throw InputError(file: name, "array too large for a zip archive without zip64 (4 GiB)")
            }
            // Local file header.
            out.appendLE(UInt32(0x0403_4b50)); out.appendLE(UInt16(20)); out.appendLE(UInt16(0))
            out.appendLE(UInt16(0)); out.appendLE(UInt16(0)); out.appendLE(UInt16(0x21))
            out.appendLE(crc); out.appendLE(UInt32(member.count)); out.appendLE(UInt32(member.count))
            out.appendLE(UInt16(fileName.count)); out.appendLE(UInt16(0))
            out.append(contentsOf: fileName)
            out.append(member)
            // Central directory entry.
            central.appendLE(UInt32(0x0201_4b50)); central.appendLE(UInt16(20)); central.appendLE(UInt16(20))
            central.appendLE(UInt16(0)); central.appendLE(UInt16(0)); central.appendLE(UInt16(0)); central.appendLE(UInt16(0x21))
            central.appendLE(crc); central.appendLE(UInt32(member.count)); central.appendLE(UInt32(member.count))
            central.appendLE(UInt16(fileName.count)); central.appendLE(UInt16(0)); central.appendLE(UInt16(0))
            central.appendLE(UInt16(0)); central.appendLE(UInt16(0)); central.appendLE(UInt32(0))
            central.appendLE(UInt32(offset))
            central.append(contentsOf: fileName)
        }
        let centralOffset = out.count
        out.append(central)
        out.appendLE(UInt32(0x0605_4b50)); out.appendLE(UInt16(0)); out.appendLE(UInt16(0))
        out.appendLE(UInt16(entries.count)); out.appendLE(UInt16(entries.count))
        out.appendLE(UInt32(central.count)); out.appendLE(UInt32(centralOffset)); out.appendLE(UInt16(0))
        return out
    }

    /// Writes the archive atomically.
    public func write(to path: String) throws { try AtomicFile.write(try encoded(), to: path) }

    // MARK: Reading

    /// Reads an `.npz` file.
    public static func read(_ path: String) throws -> NumpyArchive {
        try decode(try AtomicFile.read(path), file: path)
    }

    /// Decodes `.npz` bytes; `file` names them in errors.
    ///
    /// - Throws: `InputError` for a file that is not a zip archive, a truncated or corrupt member,
    ///   a CRC mismatch, or a member that is not a valid `.npy` array.
    public static func decode(_ data: Data, file: String) throws -> NumpyArchive {
        let (count, centralOffset) = try centralDirectory(data, file: file)
        var archive = NumpyArchive()
        var r = ByteReader(data, file: file)
        r.offset = centralOffset
        for e in 0..<count {
            let (name, member) = try readMember(entry: e, directory: &r, data: data, file: file)
            archive[name] = try NumpyArray.decode(member, file: "\(file) (\(name).npy)")
        }
        return archive
    }

    /// The number of entries and the offset of the central directory, from the end record (and the
    /// zip64 end record when the counts overflow the classic fields).
    private static func centralDirectory(_ data: Data, file: String) throws -> (count: Int, offset: Int) {
        let eocd = try findEndOfCentralDirectory(data, file: file)
        var r = ByteReader(data, file: file)
        r.offset = eocd + 10
        var count = Int(try r.uint16LE("the zip entry count"))
        _ = try r.uint32LE("the zip central directory size")
        var centralOffset = Int(try r.uint32LE("the zip central directory offset"))
        if count == 0xFFFF || centralOffset == 0xFFFF_FFFF {
            // zip64: the locator sits just before the end record.
            guard eocd >= 20 else { throw InputError(file: file, .byte(eocd), "truncated zip64 records") }
            r.offset = eocd - 20
            guard try r.uint32LE("the zip64 locator") == 0x0706_4b50 else {
                throw InputError(file: file, .byte(eocd - 20), "missing zip64 end-of-central-directory locator")
            }
            _ = try r.uint32LE("the zip64 locator")
            r.offset = Int(clamping: try r.uint64LE("the zip64 record offset"))
            guard try r.uint32LE("the zip64 end record") == 0x0606_4b50 else {
                throw InputError(file: file, .byte(r.offset - 4), "malformed zip64 end-of-central-directory record")
            }
            r.offset += 8 + 2 + 2 + 4 + 4 + 8
            count = Int(clamping: try r.uint64LE("the zip64 entry count"))
            _ = try r.uint64LE("the zip64 central directory size")
            centralOffset = Int(clamping: try r.uint64LE("the zip64 central directory offset"))
        }
        return (count, centralOffset)
    }

    /// Entry `e` of the central directory at `directory`'s cursor (which moves past it): the member's
    /// name without `.npy`, and its bytes, inflated and checked against the stored size and CRC-32.
    private static func readMember(entry e: Int, directory r: inout ByteReader, data: Data, file: String) throws -> (String, Data) {
        let at = r.offset
        guard try r.uint32LE("central directory entry \(e)") == 0x0201_4b50 else {
            throw InputError(file: file, .byte(at), "malformed zip central directory entry \(e)")
        }
        r.offset += 6
        let method = try r.uint16LE("the compression method")
        r.offset += 4
        let crc = try r.uint32LE("the CRC-32")
        var compressed = Int(try r.uint32LE("the compressed size"))
        var size = Int(try r.uint32LE("the size"))
        let nameLength = Int(try r.uint16LE("the name length"))
        let extraLength = Int(try r.uint16LE("the extra length"))
        let commentLength = Int(try r.uint16LE("the comment length"))
        r.offset += 8
        var localOffset = Int(try r.uint32LE("the local header offset"))
        let nameData = try r.bytes(nameLength, for: "the member name")
        var extra = ByteReader(Data(try r.bytes(extraLength, for: "the extra field")), file: file)
        r.offset += commentLength
        // zip64 extended information (tag 0x0001) replaces fields stored as 0xFFFFFFFF.
        while extra.remaining >= 4 {
            let tag = try extra.uint16LE("an extra field tag"), len = Int(try extra.uint16LE("an extra field length"))
            let end = extra.offset + len
            if tag == 1 {
                if size == 0xFFFF_FFFF { size = Int(clamping: try extra.uint64LE("the zip64 size")) }
                if compressed == 0xFFFF_FFFF { compressed = Int(clamping: try extra.uint64LE("the zip64 compressed size")) }
                if localOffset == 0xFFFF_FFFF { localOffset = Int(clamping: try extra.uint64LE("the zip64 offset")) }
            }
            extra.offset = end
        }
        var name = String(decoding: nameData, as: UTF8.self)
        if name.hasSuffix(".npy") { name.removeLast(4) }

        var local = ByteReader(data, file: file)
        local.offset = localOffset
        guard try local.uint32LE("the local header of '\(name)'") == 0x0403_4b50 else {
            throw InputError(file: file, .entry(name), "malformed zip local header")
        }
        local.offset = localOffset + 26
        let localName = Int(try local.uint16LE("the local name length"))
        let localExtra = Int(try local.uint16LE("the local extra length"))
        local.offset += localName + localExtra
        let stored = try local.bytes(compressed, for: "the member '\(name)'")
        let member: Data
        switch method {
        case 0: member = Data(stored)
        case 8: member = try Gzip.inflateRaw(Data(stored), expectedSize: size, file: "\(file) (\(name))")
        default: throw InputError(file: file, .entry(name), "unsupported zip compression method \(method); expected stored (0) or deflate (8)")
        }
        guard member.count == size, Gzip.crc32(member) == crc else {
            throw InputError(file: file, .entry(name), "member is corrupt (size or CRC-32 mismatch)")
        }
        return (name, member)
    }

    private static func findEndOfCentralDirectory(_ data: Data, file: String) throws -> Int {
        guard data.count >= 22 else { throw InputError(file: file, "not an .npz (zip) archive: only \(data.count) bytes") }
        let lowest = max(0, data.count - 22 - 65_535)
        var i = data.count - 22
        return try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> Int in
            while i >= lowest {
                if p[i] == 0x50 && p[i + 1] == 0x4b && p[i + 2] == 0x05 && p[i + 3] == 0x06 { return i }
                i -= 1
            }
            throw InputError(file: file, "not an .npz (zip) archive: no end-of-central-directory record")
        }
    }
}

extension NumpyArchive {
    /// Stores the complete state of `random` as a uint8 array named `name`, for checkpoints.
    public mutating func store(_ random: RandomSource, as name: String = "rng_state") {
        let bytes = random.state
        self[name] = NumpyArray(bytes, shape: [bytes.count])
    }

    /// A generator of `algorithm` (labelled with `seed`) continuing exactly from the state stored
    /// under `name` by `store(_:as:)`.
    ///
    /// - Throws: `InputError` naming `file` and the entry when it is missing, not bytes, or not a
    ///   state of that generator.
    public func restoreRandom(algorithm: String, seed: UInt64, from name: String = "rng_state", file path: String) throws -> RandomSource {
        let random: RandomSource
        do {
            random = try RandomSource(algorithm: algorithm, seed: seed)
        } catch is ConfigurationError {
            throw InputError(file: path, .entry(name), "the generator state names '\(algorithm)', which is not a GSL generator here")
        }
        guard case .uint8(let bytes) = try require(name, file: path).storage else {
            throw InputError(file: path, .entry(name), "expected the generator state as bytes (uint8)")
        }
        try random.restore(state: bytes, source: path)
        return random
    }
}
