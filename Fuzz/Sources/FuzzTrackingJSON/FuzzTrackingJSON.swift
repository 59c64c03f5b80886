import TrackFinding
import FuzzSupport

/// The JSON documents of track finding: detector descriptions, layer maps and finder configurations
/// (which may hold a layer map inline), each read by the reader `ebm` calls for it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input.json")
    Fuzz.run { _ = try DetectorDescription.read(path) }
    Fuzz.run { _ = try LayerGraph.read(path) }
    Fuzz.run { _ = try TrackFinderConfiguration.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzTrackingJSON_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
