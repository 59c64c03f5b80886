import EnergyFormats
import Foundation
import FuzzSupport

/// IDX files behind a valid gzip stream, as MNIST is distributed: the input is gzip-compressed
/// before it is written, so every mutation reaches the IDX parser through the decompressor (in
/// `FuzzIDX` most mutations of a gzip seed only break the stream). The path ends in `.gz`, the name
/// `DataMatrix.load` takes for MNIST.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = Fuzz.write(Gzip.compress(Fuzz.data(bytes, size)), as: "input-idx.gz")
    Fuzz.run { _ = try IDXArray.read(path) }
    Fuzz.run { _ = try DataMatrix.load(path) }
    Fuzz.run { _ = try DataMatrix.loadLabels(path) }
    return 0
}

/// The entry point SwiftPM links as `main` (see `Fuzz.main`).
@_cdecl("FuzzIDXGzip_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    Fuzz.main(argc, argv, testOneInput)
}
