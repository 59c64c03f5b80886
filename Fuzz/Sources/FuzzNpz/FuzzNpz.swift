import EnergyFormats
import FuzzSupport

/// `.npz` archives as they are: the zip layer (end record, zip64, central directory, local
/// headers, stored and deflated members, CRC-32), then each member's `.npy` reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input.npz")
    Fuzz.run { _ = try NumpyArchive.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzNpz_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
