import TrackFinding
import FuzzSupport

/// The JINR datasets' event files that `ebm` reads as they are: the SPD simulation output of
/// `datasets/spdsim.py` (read, then split into events as `ebm tracks import --spdsim` does) and the
/// BM@N event CSV (as `ebm tracks find` and `score` read it).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = Fuzz.data(bytes, size)
    Fuzz.run { _ = SPDSimFile.events(try SPDSimFile.parse(data, file: "input.tsv")) }
    let path = Fuzz.write(data, as: "input-event.csv")
    Fuzz.run { _ = try BMNEventFile.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzJINREvents_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
