import CPNG
import EnergyCore
import Foundation

/// An 8-bit greyscale image, written and read as PNG through libpng's simplified API.
public struct GrayImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major pixels, 0 (black) to 255 (white).
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "GrayImage: \(pixels.count) pixels for \(width)×\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The PNG bytes of the image.
    public func pngData() throws -> Data {
        var image = png_image()
        image.version = ebm_png_image_version()
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(PNG_FORMAT_GRAY)
        var size: png_alloc_size_t = 0
        let stride = Int32(width)
        let ok1 = pixels.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil) }
        guard ok1 != 0 else { throw NumericalError("libpng: \(Self.message(&image))") }
        var data = Data(count: Int(size))
        let ok2 = data.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        guard ok2 != 0 else { throw NumericalError("libpng: \(Self.message(&image))") }
        data.count = Int(size)
        return data
    }

    /// Writes the image as a PNG file, atomically.
    public func write(to path: String) throws { try AtomicFile.write(try pngData(), to: path) }

    /// Reads a PNG file as greyscale (colour images are converted by libpng).
    ///
    /// - Throws: `InputError` naming the file when it is not a readable PNG.
    public static func read(_ path: String) throws -> GrayImage {
        let data = try AtomicFile.read(path)
        var image = png_image()
        image.version = ebm_png_image_version()
        let began = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw InputError(file: path, "not a readable PNG: \(message(&image))") }
        image.format = UInt32(PNG_FORMAT_GRAY)
        let (w, h) = (Int(image.width), Int(image.height))
        // The header's size is checked before anything is allocated for it: libpng accepts up to
        // 1,000,000 × 1,000,000 pixels, a terabyte, from a header of a few dozen bytes.
        do {
            try Sizes.checkAllocation([w, h], elementSize: 1, file: path, field: "the PNG image size")
        } catch {
            png_image_free(&image)
            throw error
        }
        var pixels = [UInt8](repeating: 0, count: w * h)
        let done = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(w), nil) }
        guard done != 0 else { throw InputError(file: path, "corrupt PNG: \(message(&image))") }
        return GrayImage(width: w, height: h, pixels: pixels)
    }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
