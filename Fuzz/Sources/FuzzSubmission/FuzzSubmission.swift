import TrackFinding
import FuzzSupport

/// TrackML submission files (`event_id,hit_id,track_id`), matched to a fixed event of six hits
/// as `ebm tracks score` and `ebm tracks draw` do.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input-submission.csv")
    Fuzz.run { _ = try SubmissionFile.read(path, matching: event, hitsFile: "event-hits.csv") }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzSubmission_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
