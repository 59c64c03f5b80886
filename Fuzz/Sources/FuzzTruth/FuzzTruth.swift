import TrackFinding
import FuzzSupport

/// TrackML truth files: read alone (with the columns `ebm tracks score` requires, and the default
/// ones) and matched to a fixed event of six hits, as `ebm tracks draw` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input-truth.csv")
    Fuzz.run { _ = try TruthFile.read(path) }
    Fuzz.run { _ = try TruthFile.read(path, required: ["hit_id", "particle_id", "tx", "ty", "tz", "weight"]) }
    Fuzz.run { _ = try TruthFile.read(path, matching: event, hitsFile: "event-hits.csv") }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzTruth_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
