import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport

/// Files built to make a reader trap or allocate without bound (issue #13's findings 1–6): each must
/// be refused with an `InputError` that names the file.
@Suite("Hostile input: file formats")
struct HostileInputTests {
    let dir = TemporaryFolder()

    /// `.npy` bytes with the given header dict and body.
    static func npy(_ dict: String, body: [UInt8] = []) -> Data {
        var header = dict
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        d.append(UInt8(header.utf8.count & 0xFF)); d.append(UInt8(header.utf8.count >> 8))
        d.append(contentsOf: Array(header.utf8))
        d.append(contentsOf: body)
        return d
    }

    /// Expects `body` to throw an `InputError` about `file` whose message contains `text`.
    func refuses(_ file: String, _ text: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) { try body() } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.file.hasPrefix(file) && e.description.contains(text)
        }
    }

    @Test("empty data sets are refused: IDX with 0 images, .npy of shape (0, 784) and (5, 0)")
    func emptyData() throws {
        // #1: an IDX header for 0 images of 28×28.
        var idx = Data([0, 0, 8, 3])
        for n: UInt32 in [0, 28, 28] { idx.append(contentsOf: [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]) }
        let zeroIDX = dir.write("zero.idx", bytes: idx)
        refuses(zeroIDX, "no examples") { _ = try DataMatrix.load(zeroIDX) }
        let zeroRows = dir.write("zero.npy", bytes: Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 784), }"))
        refuses(zeroRows, "no examples") { _ = try DataMatrix.load(zeroRows) }
        // #2: five examples of no values.
        let zeroColumns = dir.write("cols.npy", bytes: Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 0), }"))
        refuses(zeroColumns, "no values") { _ = try DataMatrix.load(zeroColumns) }
    }

    @Test(".npy shapes and dtypes whose sizes overflow are refused, alone and inside an .npz")
    func overflowingShapes() throws {
        // #3, #4, #5: 2^62 × 4 elements, 2^62 elements of 4 bytes, and a 2^62-character string.
        let cases = [("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "64 bits"),
                     ("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }", "64 bits"),
                     ("{'descr': '<U4611686018427387904', 'fortran_order': False, 'shape': (), }", "64 bits"),
                     ("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", "truncated"),
                     ("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904), }", "64 bits")]
        for (k, (dict, text)) in cases.enumerated() {
            // The last shape has no elements at all, so its body is empty: the reader takes it, and
            // the data loader must refuse its example size.
            let body: [UInt8] = k == cases.count - 1 ? [] : [0, 0, 0, 0]
            let path = dir.write("big\(k).npy", bytes: Self.npy(dict, body: body))
            refuses(path, text) { _ = try DataMatrix.load(path) }
            // The same array as the member of an .npz archive.
            guard k < cases.count - 1 else { continue }
            let member = Self.npy(dict, body: body)
            let npzPath = dir.write("big\(k).npz", bytes: Self.zip(name: "W.npy", member: member, method: 0, size: member.count))
            refuses(npzPath, text) { _ = try NumpyArchive.read(npzPath) }
        }
    }

    @Test("a deflated .npz member claiming a zip64 size near 2^63 is refused without allocating it")
    func hugeDeflatedMember() throws {
        // #6: a raw-deflate stored block holding "hello", declared as 0x7FFF_FFFF_FFFF_FFF0 bytes.
        let deflated: [UInt8] = [0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8)
        let path = dir.write("bomb.npz", bytes: Self.zip(name: "W.npy", member: Data(deflated), method: 8, size: 0x7FFF_FFFF_FFFF_FFF0))
        refuses(path, "corrupt") { _ = try NumpyArchive.read(path) }
    }

    @Test("gzip output is held under the allocation limit")
    func gzipLimit() throws {
        let saved = Sizes.allocationLimit
        defer { Sizes.allocationLimit = saved }
        // 1 MiB of zeros compresses to about 1 KiB; with a 256 KiB limit it must be refused.
        let zeros = Data(count: 1 << 20)
        let path = dir.file("zeros.idx.gz")
        try IDXArray(uint8: [UInt8](zeros), shape: [1 << 20]).write(to: path)
        Sizes.allocationLimit = 256 << 10
        refuses(path, "allocation limit") { _ = try IDXArray.read(path) }
        Sizes.allocationLimit = saved
        #expect(try IDXArray.read(path).shape == [1 << 20])
    }

    @Test("checked sizes: products that overflow, and the allocation limit, name the file, the field and the limit")
    func checkedSizes() throws {
        #expect(Sizes.product([3, 4, 5]) == 60)
        #expect(Sizes.product([1 << 62, 4]) == nil)
        #expect(Sizes.product([-1, 4]) == nil)
        #expect(Sizes.parseBytes("8G") == 8 << 30 && Sizes.parseBytes("512m") == 512 << 20 && Sizes.parseBytes("12") == 12)
        #expect(Sizes.parseBytes("9999999999T") == nil && Sizes.parseBytes("x") == nil)
        refuses("image.pbm", "above the allocation limit") {
            try Sizes.checkAllocation([100_000, 100_000], elementSize: 4, file: "image.pbm", field: "the image size")
        }
        refuses("--hidden", "overflows") {
            try Sizes.checkAllocation([784, 4_611_686_018_427_387_904], elementSize: 4, file: "--hidden", field: "the weight matrix")
        }
        #expect(try Sizes.checkAllocation([784, 500], elementSize: 4, file: "x", field: "W") == 392_000)
    }

    @Test("a PNG header claiming 1,000,000 × 1,000,000 pixels is refused without allocating a terabyte")
    func hugePNG() throws {
        // Found by Fuzz/FuzzPNG: libpng accepts the header (its limit is 1,000,000 per side), and the
        // reader allocated width × height bytes for the pixels before reading any.
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return be32(UInt32(body.count)) + typed + be32(Gzip.crc32(Data(typed)))
        }
        // 1-bit greyscale; the IDAT (a zlib stream of one empty stored block) is never reached.
        let header = be32(1_000_000) + be32(1_000_000) + [1, 0, 0, 0, 0]
        let bytes = [0x89] + Array("PNG\r\n".utf8) + [0x1A, 0x0A] + chunk("IHDR", header)
            + chunk("IDAT", [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
        let path = dir.write("huge.png", bytes: Data(bytes))
        refuses(path, "allocation limit") { _ = try GrayImage.read(path) }
        // An image of a size within the limit still reads.
        let small = dir.file("small.png")
        try GrayImage(width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 250]).write(to: small)
        #expect(try GrayImage.read(small).pixels == [0, 50, 100, 150, 200, 250])
    }

    /// A one-member zip archive with a zip64 size field (central directory only, as the reader uses).
    static func zip(name: String, member: Data, method: UInt16, size: Int) -> Data {
        var out = Data()
        func le16(_ v: UInt16, _ d: inout Data) { d.append(UInt8(v & 0xFF)); d.append(UInt8(v >> 8)) }
        func le32(_ v: UInt32, _ d: inout Data) { for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8(v >> UInt32(s) & 0xFF)) } }
        func le64(_ v: UInt64, _ d: inout Data) { for s in stride(from: 0, to: 64, by: 8) { d.append(UInt8(v >> UInt64(s) & 0xFF)) } }
        let nameBytes = Array(name.utf8)
        let crc = Gzip.crc32(member)
        le32(0x0403_4b50, &out); le16(45, &out); le16(0, &out); le16(method, &out); le16(0, &out); le16(0x21, &out)
        le32(crc, &out); le32(UInt32(member.count), &out); le32(0xFFFF_FFFF, &out)
        le16(UInt16(nameBytes.count), &out); le16(0, &out)
        out.append(contentsOf: nameBytes)
        out.append(member)
        let central = out.count
        le32(0x0201_4b50, &out); le16(45, &out); le16(45, &out); le16(0, &out); le16(method, &out); le16(0, &out); le16(0x21, &out)
        le32(crc, &out); le32(UInt32(member.count), &out); le32(0xFFFF_FFFF, &out)
        le16(UInt16(nameBytes.count), &out); le16(12, &out); le16(0, &out); le16(0, &out); le16(0, &out); le32(0, &out)
        le32(0, &out)
        out.append(contentsOf: nameBytes)
        le16(1, &out); le16(8, &out); le64(UInt64(size), &out)
        let centralSize = out.count - central
        le32(0x0605_4b50, &out); le16(0, &out); le16(0, &out); le16(1, &out); le16(1, &out)
        le32(UInt32(centralSize), &out); le32(UInt32(central), &out); le16(0, &out)
        return out
    }
}
