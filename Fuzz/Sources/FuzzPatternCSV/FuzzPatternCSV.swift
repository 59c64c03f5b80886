import HopfieldMemory
import FuzzSupport

/// Hopfield pattern files in CSV, as ±1 and as 0/1 (`--binary`).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input.csv")
    Fuzz.run { _ = try PatternFile.read(path, format: .csv) }
    Fuzz.run { _ = try PatternFile.read(path, format: .csv, binary: true) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzPatternCSV_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
