import TrackFinding
import FuzzSupport

/// TrackML and plain hit files.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input-hits.csv")
    Fuzz.run { _ = try HitFile.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzHits_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
