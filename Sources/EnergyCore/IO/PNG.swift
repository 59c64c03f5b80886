import CPNG
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

    /// How tile values are mapped to grey levels in `grid`.
    public enum Scaling: Sendable {
        /// Values in [0, 1] map to black…white (probabilities, pixel intensities, samples).
        case unitInterval
        /// Each tile is stretched from its own minimum to its maximum (filters, weights).
        case perTile
    }

    /// Tiles images into one grid image, as for RBM filters and samples.
    ///
    /// - Parameters:
    ///   - tiles: one image per row, `tileHeight × tileWidth` values each, row-major.
    ///   - columns: tiles per grid row (default: a near-square grid).
    ///   - padding: pixels of mid-grey between tiles.
    ///   - scale: each value becomes a `scale × scale` block of pixels, for legibility.
    public static func grid<T: BLASScalar>(tiles: Matrix<T>, tileWidth: Int, tileHeight: Int,
                                           columns: Int? = nil, padding: Int = 1, scale: Int = 1,
                                           scaling: Scaling = .unitInterval) -> GrayImage {
        precondition(tiles.columns == tileWidth * tileHeight, "grid: tiles have \(tiles.columns) values, expected \(tileWidth)×\(tileHeight)")
        let n = tiles.rows
        let cols = max(1, columns ?? Int(Double(n).squareRoot().rounded(.up)))
        let rowsOfTiles = max(1, (n + cols - 1) / cols)
        let s = max(1, scale)
        let width = cols * tileWidth * s + (cols + 1) * padding
        let height = rowsOfTiles * tileHeight * s + (rowsOfTiles + 1) * padding
        var pixels = [UInt8](repeating: 128, count: width * height)
        for t in 0..<n {
            let base = t * tiles.columns
            var lo: T = 0, hi: T = 1
            if case .perTile = scaling {
                lo = tiles.storage[base]; hi = lo
                for k in 0..<tiles.columns { let v = tiles.storage[base + k]; lo = min(lo, v); hi = max(hi, v) }
                if hi == lo { hi = lo + 1 }
            }
            let x0 = padding + (t % cols) * (tileWidth * s + padding)
            let y0 = padding + (t / cols) * (tileHeight * s + padding)
            for y in 0..<(tileHeight * s) {
                for x in 0..<(tileWidth * s) {
                    let v = (tiles.storage[base + (y / s) * tileWidth + x / s] - lo) / (hi - lo)
                    let g = max(0, min(255, (Double(v) * 255).rounded()))
                    pixels[(y0 + y) * width + x0 + x] = g.isFinite ? UInt8(g) : 0
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}
