import EnergyFormats
import FuzzSupport

/// Numeric CSV data sets: the loaders `ebm` uses for data and labels in a `.csv` file.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Fuzz.data(bytes, size), as: "input.csv")
    Fuzz.run { _ = try DataMatrix.load(path) }
    Fuzz.run { _ = try DataMatrix.loadLabels(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzDataCSV_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
