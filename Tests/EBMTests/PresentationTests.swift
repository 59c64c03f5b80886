import EnergyCore
import EnergyFormats
import Foundation
@testable import ebm
import Testing
import TestSupport

/// The presentation helpers that only `ebm` uses: image grids and the BLAS probe.
@Suite("Presentation")
struct PresentationTests {
    @Test("image grids tile, scale and round-trip through PNG")
    func png() throws {
        let dir = TemporaryFolder()
        var tiles = Matrix<Float>(rows: 5, columns: 6)
        for i in 0..<30 { tiles.storage[i] = Float(i % 6) / 5 }
        let image = GrayImage.grid(tiles: tiles, tileWidth: 3, tileHeight: 2, columns: 3, padding: 1)
        #expect(image.width == 3 * 3 + 4 && image.height == 2 * 2 + 3)
        try image.write(to: dir.file("g.png"))
        let back = try GrayImage.read(dir.file("g.png"))
        #expect(back == image)
        #expect(back.pixels[1 * back.width + 1] == 0 && back.pixels[1 * back.width + 3] == 102)
        let big = GrayImage.grid(tiles: tiles, tileWidth: 3, tileHeight: 2, columns: 3, padding: 1, scale: 2)
        #expect(big.width == 3 * 6 + 4 && big.height == 2 * 4 + 3)
        // With scale 2, pixels 3 and 4 of rows 1 and 2 all show tile value (0, 1) = 0.2, grey 51.
        #expect(big.pixels[1 * big.width + 3] == 51 && big.pixels[1 * big.width + 4] == 51 && big.pixels[2 * big.width + 3] == 51)
        #expect(big.pixels[1 * big.width + 5] == 102)
        let notPNG = dir.write("x.png", "not a png")
        #expect(throws: InputError.self) { try GrayImage.read(notPNG) }
    }

    @Test("cblas_sgemm resolves to OpenBLAS, not GSL's reference CBLAS")
    func openBLAS() {
        #expect(BLASProbe.usesOpenBLAS, "cblas_sgemm comes from \(BLASProbe.providerOfSgemm())")
        #expect(BLAS.implementation.contains("OpenBLAS"))
        // The probe tells libraries apart: GSL's own symbols come from libgsl.
        #expect(BLASProbe.library(providing: "gsl_rng_alloc").contains("libgsl.so"))
        #expect(BLASProbe.library(providing: "no_such_symbol_anywhere") == "not found")
    }
}
