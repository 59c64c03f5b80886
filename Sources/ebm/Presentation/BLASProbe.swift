import EnergyCore
import Foundation

/// Evidence of which CBLAS a process uses, and how fast it is.
///
/// `gsl.pc` links GSL's reference CBLAS (`libgslcblas`), about 50× slower than OpenBLAS; whichever
/// is loaded first provides the `cblas_*` symbols. These probes show the winner.
enum BLASProbe {
    /// The shared object that provides `cblas_sgemm` to this process: the file mapped at the
    /// address `dlsym` resolves the symbol to, read from `/proc/self/maps`.
    static func providerOfSgemm() -> String { library(providing: "cblas_sgemm") }

    /// The shared object that provides `symbol` to this process, or "not found".
    static func library(providing symbol: String) -> String {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, symbol) else { return "not found" }
        let target = UInt(bitPattern: address)
        // /proc files report size 0, so read them to the end rather than by their size.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/maps") else { return "unknown" }
        defer { try? file.close() }
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            // start-end perms offset dev inode path
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16),
                  lo <= target, target < hi else { continue }
            let path = fields[5...].joined(separator: " ")
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        return "unknown"
    }

    /// Whether `cblas_sgemm` comes from OpenBLAS.
    static var usesOpenBLAS: Bool { providerOfSgemm().lowercased().contains("openblas") }

    /// The best time and rate of C = A·B on random n×n matrices through `Matrix.multiply`.
    static func timeGemm<T: BLASScalar>(_: T.Type, n: Int, repeats: Int) -> (seconds: Double, gflops: Double) {
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
    static func timeReferenceSgemm(n: Int) throws -> Double? {
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
