import CGSL

/// A floating-point type with CBLAS kernels (`Float` → `cblas_s*`, `Double` → `cblas_d*`).
///
/// All dense products in the toolkit go through these kernels, which resolve to OpenBLAS
/// (see `BLAS.implementation`). Shapes and strides are the caller's responsibility: the `Matrix`
/// API checks them before calling in.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// C ← α op(A) op(B) + β C, row-major (`cblas_?gemm`).
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← α op(A) x + β y, row-major (`cblas_?gemv`).
    static func gemv(transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// y ← α x + y (`cblas_?axpy`).
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
    /// x ← α x (`cblas_?scal`).
    static func scal(count: Int, alpha: Self, x: UnsafeMutablePointer<Self>)
    /// xᵀy (`cblas_?dot`).
    static func dot(count: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self
    /// A ← α x yᵀ + A, row-major (`cblas_?ger`).
    static func ger(m: Int, n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafePointer<Self>,
                    a: UnsafeMutablePointer<Self>, lda: Int)
}


extension Float: BLASScalar {
    @inlinable public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func gemv(transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                       x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }
    @inlinable public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }
    @inlinable public static func scal(count: Int, alpha: Float, x: UnsafeMutablePointer<Float>) {
        cblas_sscal(Int32(count), alpha, x, 1)
    }
    @inlinable public static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }
    @inlinable public static func ger(m: Int, n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                      a: UnsafeMutablePointer<Float>, lda: Int) {
        cblas_sger(CblasRowMajor, Int32(m), Int32(n), alpha, x, 1, y, 1, a, Int32(lda))
    }
}

extension Double: BLASScalar {
    @inlinable public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                                       a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                                       beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func gemv(transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                       x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }
    @inlinable public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }
    @inlinable public static func scal(count: Int, alpha: Double, x: UnsafeMutablePointer<Double>) {
        cblas_dscal(Int32(count), alpha, x, 1)
    }
    @inlinable public static func dot(count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }
    @inlinable public static func ger(m: Int, n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafePointer<Double>,
                                      a: UnsafeMutablePointer<Double>, lda: Int) {
        cblas_dger(CblasRowMajor, Int32(m), Int32(n), alpha, x, 1, y, 1, a, Int32(lda))
    }
}

/// Which CBLAS the process is using, and its threads.
public enum BLAS {
    /// OpenBLAS's description of itself (`openblas_get_config`), e.g.
    /// `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64`.
    public static var implementation: String { String(cString: openblas_get_config()) }
    /// The CPU kernel OpenBLAS selected (`openblas_get_corename`), e.g. `Zen` or `Haswell`.
    public static var coreName: String { String(cString: openblas_get_corename()) }
    /// The number of threads OpenBLAS uses.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
    }
    /// Sets the number of threads OpenBLAS uses (results are reproducible for a fixed count).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
}
