import DBN
import FuzzSupport

/// DBN model files (`ebm dbn eval|predict|generate --model`), from members given as in `ArchiveInput`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(ArchiveInput.archive(Fuzz.data(bytes, size)), as: "input-dbn.npz")
    Fuzz.run { _ = try DBNModelFile.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzDBNModel_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
