import HopfieldMemory
import FuzzSupport

/// Hopfield memory files (`ebm hopfield recall --memory`, `store --into`), from members given as in
/// `ArchiveInput`. The reader is `HopfieldModelFile.read`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(ArchiveInput.archive(Fuzz.data(bytes, size)), as: "input-memory.npz")
    Fuzz.run { _ = try HopfieldModelFile.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzHopfieldModel_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
