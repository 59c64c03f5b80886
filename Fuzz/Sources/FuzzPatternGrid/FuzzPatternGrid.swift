import HopfieldMemory
import FuzzSupport

/// Hopfield pattern files as text grids: read as a grid, and with the format detected from the
/// file as `ebm hopfield store` does (a grid, or PBM when the file starts with P1 or P4).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input.txt")
    Fuzz.run { _ = try PatternFile.read(path, format: .grid) }
    Fuzz.run { _ = try PatternFile.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzPatternGrid_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
