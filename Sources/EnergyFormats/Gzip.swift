import CPNG
import EnergyCore
import Foundation

/// gzip and raw-deflate decoding through zlib.
public enum Gzip {
    /// Whether `data` starts with the gzip magic bytes 1f 8b.
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// The decompressed bytes of a gzip stream (RFC 1952), or `data` itself when it is not gzip.
    ///
    /// - Throws: `InputError` naming `file` when the stream is corrupt or truncated.
    public static func decompressIfNeeded(_ data: Data, file: String) throws -> Data {
        guard isGzip(data) else { return data }
        return try inflate(data, windowBits: 15 + 32, file: file)
    }

    /// The decompressed bytes of a raw deflate stream (RFC 1951), as in zip archives.
    public static func inflateRaw(_ data: Data, expectedSize: Int, file: String) throws -> Data {
        try inflate(data, windowBits: -15, file: file, sizeHint: expectedSize)
    }

    private static func inflate(_ data: Data, windowBits: Int32, file: String, sizeHint: Int = 0) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(file: file, "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        // Deflate expands at most about 1032:1 (RFC 1951's longest match per 2 bits), so a size hint
        // from a header is believed only up to that bound; the output grows by doubling, never past
        // the allocation limit.
        let limit = Sizes.allocationLimit
        let bound = Sizes.product([data.count, 1032]).map { $0 + (1 << 16) } ?? limit
        var output = Data(count: min(max(sizeHint, data.count * 4, 1 << 16), bound, max(limit, 1)))
        var produced = 0
        var status: Int32 = Z_OK
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while status != Z_STREAM_END {
                if produced == output.count {
                    guard output.count <= limit / 2 else {
                        throw InputError(file: file, "the decompressed data exceed the allocation limit of "
                                         + "\(Sizes.describe(bytes: limit)) (set EBM_MAX_ALLOCATION to raise it)")
                    }
                    output.count *= 2
                }
                let room = output.count - produced
                status = output.withUnsafeMutableBytes { out -> Int32 in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress! + produced
                    stream.avail_out = uInt(room)
                    let s = CPNG.inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return s
                }
                if status == Z_STREAM_END { break }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw InputError(file: file, .byte(Int(stream.total_in)),
                                     "compressed data ends early (truncated file?)")
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw InputError(file: file, .byte(Int(stream.total_in)), "corrupt compressed data: \(msg)")
                }
            }
        }
        output.count = produced
        return output
    }

    /// `data` compressed as a gzip stream (RFC 1952), for writing `.gz` files.
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var stream = z_stream()
        // Initialising deflate fails only on invalid parameters or exhausted memory.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            fatalError("zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        let written: Int = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                _ = deflate(&stream, Z_FINISH)
                return out.count - Int(stream.avail_out)
            }
        }
        output.count = written
        return output
    }

    /// The CRC-32 of `data` (zlib's `crc32`), as used by zip archives.
    public static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { crc32(bytes: $0) }
    }

    /// The CRC-32 of `bytes`, fed to zlib in chunks of at most 1 GiB (its length argument is 32-bit);
    /// with `continuing`, the CRC-32 of the bytes that gave it followed by `bytes`.
    public static func crc32(bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = uLong(previous)
        var offset = 0
        while offset < bytes.count {
            let chunk = min(bytes.count - offset, 1 << 30)
            crc = CPNG.crc32(crc, bytes.baseAddress.map { $0.advanced(by: offset).assumingMemoryBound(to: Bytef.self) }, uInt(chunk))
            offset += chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
