import RBM
import FuzzSupport

/// RBM model files (`ebm rbm …  --model`), from members given as in `ArchiveInput`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(ArchiveInput.archive(Fuzz.data(bytes, size)), as: "input-rbm.npz")
    Fuzz.run { _ = try RBMModelFile.read(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzRBMModel_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
