import EnergyCore
import EnergyFormats

/// Image grids for the pictures `ebm` writes: RBM filters and samples, DBN samples, Hopfield recalls.
extension GrayImage {
    /// How tile values are mapped to grey levels in `grid`.
    enum Scaling: Sendable {
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
    static func grid<T: BLASScalar>(tiles: Matrix<T>, tileWidth: Int, tileHeight: Int,
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
