import EnergyFormats
import FuzzSupport

/// PNG images (libpng's simplified API, read as greyscale).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input.png")
    Fuzz.run { _ = try GrayImage.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzPNG_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
