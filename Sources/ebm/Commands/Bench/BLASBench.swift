import ArgumentParser
import EnergyCore
import Foundation

/// `ebm bench blas`: which CBLAS is in use, and its `sgemm`/`dgemm` speed through the `Matrix` API.
struct BLASBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "Report the CBLAS in use and time sgemm/dgemm through Matrix.multiply.",
        discussion: """
        Prints the shared library that provides cblas_sgemm in this process (it must be OpenBLAS, \
        not GSL's reference libgslcblas), then GFLOP/s for C = A·B on n×n matrices, best of --repeats. \
        With --reference it also times GSL's reference CBLAS on a smaller size, for comparison.
        """)

    @Option(help: "Matrix size n.", transform: OptionRange.integer(16...16384)) var size = 2048
    @Option(help: "Timed repetitions (the best is reported).", transform: OptionRange.integer(1...1000)) var repeats = 5
    @Option(help: "OpenBLAS threads (default: all cores).", transform: OptionRange.integer(1...1024)) var threads: Int?
    @Flag(help: "Also time GSL's reference CBLAS (libgslcblas) at n = 512.") var reference = false
    @Option(help: "Fail (exit 1) when sgemm is below this many GFLOP/s.", transform: OptionRange.real(0...)) var minimumGflops: Double?

    func run() throws {
        if let threads { BLAS.setThreads(threads) }
        print("CBLAS provider of cblas_sgemm: \(BLASProbe.providerOfSgemm())")
        print("OpenBLAS: \(BLAS.implementation) (kernel \(BLAS.coreName), \(BLAS.threads) threads)")
        let s = BLASProbe.timeGemm(Float.self, n: size, repeats: repeats)
        let d = BLASProbe.timeGemm(Double.self, n: size, repeats: repeats)
        print(String(format: "sgemm %dx%d via Matrix.multiply: %.1f GFLOP/s (best of %d, %.3f s)", size, size, s.gflops, repeats, s.seconds))
        print(String(format: "dgemm %dx%d via Matrix.multiply: %.1f GFLOP/s (best of %d, %.3f s)", size, size, d.gflops, repeats, d.seconds))
        if reference {
            let n = 512
            let fast = BLASProbe.timeGemm(Float.self, n: n, repeats: repeats)
            if let slow = try BLASProbe.timeReferenceSgemm(n: n) {
                print(String(format: "sgemm %dx%d: OpenBLAS %.1f GFLOP/s, GSL reference CBLAS %.2f GFLOP/s: %.0fx faster",
                             n, n, fast.gflops, slow, fast.gflops / slow))
            } else {
                print("GSL reference CBLAS (libgslcblas.so.0) could not be loaded for comparison")
            }
        }
        if let minimumGflops, s.gflops < minimumGflops {
            throw CommandFailure(String(format: "sgemm reached %.1f GFLOP/s, below the required %.1f", s.gflops, minimumGflops))
        }
    }
}
