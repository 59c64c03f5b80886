import CGSL
import Foundation

/// Evidence of which CBLAS a process uses, and how fast it is.
///
/// `gsl.pc` links GSL's reference CBLAS (`libgslcblas`), about 50× slower than OpenBLAS; whichever
/// is loaded first provides the `cblas_*` symbols. These probes show the winner.
public enum BLASProbe {
    /// The shared object that provides `cblas_sgemm` to this process (`dlsym` + `dladdr`).
    public static func providerOfSgemm() -> String {
        guard let name = ebm_library_providing("cblas_sgemm") else { return "not found" }
        return URL(fileURLWithPath: String(cString: name)).resolvingSymlinksInPath().path
    }

    /// Whether `cblas_sgemm` comes from OpenBLAS.
    public static var usesOpenBLAS: Bool { providerOfSgemm().lowercased().contains("openblas") }

    /// The best time and rate of C = A·B on random n×n matrices through `Matrix.multiply`.
    public static func timeGemm<T: BLASScalar>(_: T.Type, n: Int, repeats: Int) -> (seconds: Double, gflops: Double) {
        let random = RandomSource(seed: 1)
        var a = Matrix<T>(rows: n, columns: n), b = Matrix<T>(rows: n, columns: n)
        random.fillUniform(&a.storage)
        random.fillUniform(&b.storage)
        var c = Matrix<T>(rows: n, columns: n)
        c.multiply(a, b)  // warm-up: thread start, page faults
        var best = Double.infinity
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            c.multiply(a, b)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return (best, 2 * pow(Double(n), 3) / best / 1e9)
    }

    /// GFLOP/s of GSL's reference `cblas_sgemm`, loaded explicitly from `libgslcblas.so.0`; nil when
    /// that library is not installed.
    public static func timeReferenceSgemm(n: Int) throws -> Double? {
        guard let lib = dlopen("libgslcblas.so.0", RTLD_NOW | RTLD_LOCAL), let sym = dlsym(lib, "cblas_sgemm") else { return nil }
        typealias SGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
                                          UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float,
                                          UnsafeMutablePointer<Float>?, Int32) -> Void
        let sgemm = unsafeBitCast(sym, to: SGEMM.self)
        let random = RandomSource(seed: 2)
        var a = [Float](repeating: 0, count: n * n), b = a, c = a
        random.fillUniform(&a)
        random.fillUniform(&b)
        let t0 = DispatchTime.now().uptimeNanoseconds
        sgemm(101, 111, 111, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return 2 * pow(Double(n), 3) / seconds / 1e9
    }
}
