import CGSL

/// The eigendecomposition A = V diag(λ) Vᵀ of a real symmetric matrix, by GSL's symmetric
/// bidiagonalisation and QR iteration (`gsl_eigen_symmv`; Golub & Van Loan, *Matrix Computations*,
/// §8.3).
public struct SymmetricEigen: Sendable {
    /// The eigenvalues λₖ, in no particular order.
    public let values: [Double]
    /// The orthonormal eigenvectors as columns: column k of `vectors` belongs to `values[k]`.
    public let vectors: Matrix<Double>

    /// Decomposes the symmetric matrix `a`; only its lower triangle is read.
    ///
    /// - Throws: `NumericalError` when `a` is not square or GSL fails.
    public init(_ a: Matrix<Double>) throws {
        let n = a.rows
        guard a.columns == n else { throw NumericalError("eigendecomposition of a \(a.rows)×\(a.columns) matrix: expected a square one") }
        guard n > 0 else {
            values = []
            vectors = a
            return
        }
        GSL.prepare()
        var work = a  // gsl_eigen_symmv destroys its input
        var v = Matrix<Double>(rows: n, columns: n)
        var e = [Double](repeating: 0, count: n)
        guard let workspace = gsl_eigen_symmv_alloc(n) else { throw NumericalError("gsl_eigen_symmv_alloc(\(n)) failed") }
        defer { gsl_eigen_symmv_free(workspace) }
        let status: Int32 = work.storage.withUnsafeMutableBufferPointer { pa in
            v.storage.withUnsafeMutableBufferPointer { pv in
                e.withUnsafeMutableBufferPointer { pe in
                    var am = gsl_matrix_view_array(pa.baseAddress, n, n)
                    var vm = gsl_matrix_view_array(pv.baseAddress, n, n)
                    var ev = gsl_vector_view_array(pe.baseAddress, n)
                    return gsl_eigen_symmv(&am.matrix, &ev.vector, &vm.matrix, workspace)
                }
            }
        }
        try GSL.check(status, "symmetric eigendecomposition (gsl_eigen_symmv)")
        values = e
        vectors = v
    }
}
