import EnergyFormats
import Foundation

/// The input of the model-file harnesses: the members of an `.npz` archive as text that mutates
/// well, turned into a valid archive before the reader sees it.
///
/// A model file is an `.npz` whose stored members each carry a CRC-32, so nearly every mutation of
/// the raw archive fails the CRC check and never reaches the model reader; `FuzzNpz` fuzzes that
/// layer. The model harnesses instead take
///
///     --- metadata
///     {"format":"energymodels.rbm","hidden":3,"visible":6,"visible_units":"bernoulli","version":1}
///     --- W
///     <the bytes of a .npy file>
///     --- visible_bias
///     …
///
/// Each line starting with `--- ` begins a member named by the rest of the line (`.npy` is added);
/// the member's bytes run to the newline before the next such line. Bytes that start with the
/// `.npy` magic string are stored as they are (their headers and bodies are fuzzed like any `.npy`);
/// anything else is text, stored as a 0-d unicode array the way model files store their JSON
/// metadata. The archive is written with correct CRCs, stored (method 0), as `numpy.savez` does.
public enum ArchiveInput {
    /// The members of `input`, in order.
    public static func members(_ input: Data) -> [(name: String, bytes: Data)] {
        let bytes = [UInt8](input)
        let marker = Array("--- ".utf8)
        func isMarker(_ i: Int) -> Bool {
            (i == 0 || bytes[i - 1] == 10) && i + marker.count <= bytes.count && Array(bytes[i..<(i + marker.count)]) == marker
        }
        var starts: [Int] = []
        for i in bytes.indices where isMarker(i) { starts.append(i) }
        var out: [(String, Data)] = []
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] - 1 : bytes.count  // drop the newline before the next marker
            let nameStart = start + marker.count
            let nameEnd = bytes[nameStart..<max(nameStart, end)].firstIndex(of: 10) ?? max(nameStart, end)
            let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            let body = nameEnd < end ? Data(bytes[(nameEnd + 1)..<end]) : Data()
            out.append((name, body))
        }
        return out
    }

    /// The `.npz` bytes of `input`'s members.
    public static func archive(_ input: Data) -> Data {
        let magic = Data([0x93] + Array("NUMPY".utf8))
        let entries = members(input).map { name, body -> (String, Data) in
            (name, body.starts(with: magic) ? body : NumpyArray(string: String(decoding: body, as: UTF8.self)).encoded())
        }
        return storedZip(entries)
    }

    /// A zip archive of `entries` (name without `.npy`, member bytes), stored, with correct CRCs.
    static func storedZip(_ entries: [(String, Data)]) -> Data {
        var out = Data(), central = Data()
        func le16(_ v: Int, _ d: inout Data) { d.append(UInt8(v & 0xFF)); d.append(UInt8(v >> 8 & 0xFF)) }
        func le32(_ v: UInt32, _ d: inout Data) { for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8(v >> UInt32(s) & 0xFF)) } }
        for (name, member) in entries {
            let fileName = Array((name + ".npy").utf8.prefix(0xFFFF))
            let crc = Gzip.crc32(member), size = UInt32(truncatingIfNeeded: member.count), offset = UInt32(truncatingIfNeeded: out.count)
            le32(0x0403_4b50, &out); le16(20, &out); le16(0, &out); le16(0, &out); le16(0, &out); le16(0x21, &out)
            le32(crc, &out); le32(size, &out); le32(size, &out); le16(fileName.count, &out); le16(0, &out)
            out.append(contentsOf: fileName); out.append(member)
            le32(0x0201_4b50, &central); le16(20, &central); le16(20, &central); le16(0, &central); le16(0, &central)
            le16(0, &central); le16(0x21, &central); le32(crc, &central); le32(size, &central); le32(size, &central)
            le16(fileName.count, &central); le16(0, &central); le16(0, &central); le16(0, &central); le16(0, &central)
            le32(0, &central); le32(offset, &central); central.append(contentsOf: fileName)
        }
        let centralOffset = UInt32(truncatingIfNeeded: out.count), count = min(entries.count, 0xFFFE)
        out.append(central)
        le32(0x0605_4b50, &out); le16(0, &out); le16(0, &out); le16(count, &out); le16(count, &out)
        le32(UInt32(truncatingIfNeeded: central.count), &out); le32(centralOffset, &out); le16(0, &out)
        return out
    }
}
