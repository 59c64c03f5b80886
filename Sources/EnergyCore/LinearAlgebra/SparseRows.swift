import CSparseKernels

/// Products of sparse rows with a dense matrix, for batches that are mostly zeros (MNIST pixels,
/// binary hidden samples): only the nonzero entries are multiplied, so the cost is proportional to
/// their number instead of the full width.
///
/// A sparse row is stored compressed (CSR, one row at a time): the positions of its nonzero
/// entries, in increasing order, and their values. The product of a row y with a dense row-major
/// matrix M is then the sum of the rows of M that the nonzero entries select,
///
///     x ← β x + Σₖ valuesₖ · M[indicesₖ, ·],
///
/// which equals β x + yM exactly in real arithmetic; in floating point it differs from a BLAS GEMM
/// only in the order of the summation (the GEMM also adds the zero terms, which change nothing).
/// Each element is summed in increasing position, one term at a time, so the result of a row does
/// not depend on the other rows or on how a batch is split between threads.
///
/// The kernels are C (`CSparseKernels`): on x86-64 with AVX2 and FMA (checked at run time) they
/// use fused multiply-adds in 256-bit vectors (the product in 512-bit ones where AVX-512 is
/// available, with the same results bit for bit), tiled so that the rows of M stay in the L1 cache
/// and the sums in registers; elsewhere portable loops. They allocate nothing.
public enum SparseRows {
    /// Which kernels run: the fastest this processor has (AVX-512 or AVX2/FMA where available), the
    /// AVX2 ones even where AVX-512 is available (the same results as `fastest`), or the portable
    /// loops, which every processor runs alike (used by tests to check all on one machine).
    public enum Kernels: Sendable { case fastest, avx2, portable }

    /// Writes the positions and values of the nonzero entries of `row` (`count` elements) to
    /// `indices` and `values` (room for `count` each), in increasing position; returns how many.
    @inlinable
    public static func compress(_ row: UnsafePointer<Float>, count: Int,
                                indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>,
                                kernels: Kernels = .fastest) -> Int {
        kernels != .portable ? ebm_sparse_compress(row, count, 1, 0, 1, indices, values)
            : ebm_sparse_compress_portable(row, count, 1, 0, 1, indices, values)
    }

    /// The columns `columns` of the `rows` × `leadingDimension` row-major `y`, as sparse rows (its
    /// transpose): column i becomes row i − columns.lowerBound, at `indices` and `values` +
    /// (i − columns.lowerBound) · `stride`, holding the rows r with y[r, i] ≠ 0 in increasing order and
    /// `scale` · y[r, i]; `counts` gets the number of each.
    @inlinable
    public static func transposeColumns(_ y: UnsafePointer<Float>, rows: Int, leadingDimension: Int, columns: Range<Int>, scale: Float,
                                        counts: UnsafeMutablePointer<Int>, indices: UnsafeMutablePointer<Int32>,
                                        values: UnsafeMutablePointer<Float>, stride: Int, kernels: Kernels = .fastest) {
        if kernels != .portable {
            ebm_sparse_gather_columns(y, rows, leadingDimension, columns.lowerBound, columns.upperBound, scale, counts, indices, values, stride)
        } else {
            ebm_sparse_gather_columns_portable(y, rows, leadingDimension, columns.lowerBound, columns.upperBound, scale, counts, indices,
                                               values, stride)
        }
    }

    /// The number of nonzero entries of `count` elements at `values`.
    @inlinable
    public static func nonzeros(_ values: UnsafePointer<Float>, count: Int, kernels: Kernels = .fastest) -> Int {
        kernels != .portable ? ebm_sparse_count_nonzeros(values, count) : ebm_sparse_count_nonzeros_portable(values, count)
    }

    /// For each of `rows` sparse rows r (its entries at `indices`/`values` + r · `stride`, `counts[r]`
    /// of them): x_r ← β x_r + Σₖ values[k] · matrix[indices[k], 0..<columns], with x_r at
    /// x + r · `ldx` and the matrix row-major with leading dimension `leadingDimension`.
    @inlinable
    public static func multiply(rows: Int, counts: UnsafePointer<Int>, indices: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                                stride: Int, matrix: UnsafePointer<Float>, leadingDimension: Int, columns: Int, beta: Float = 1,
                                into x: UnsafeMutablePointer<Float>, ldx: Int, kernels: Kernels = .fastest) {
        switch kernels {
        case .fastest: ebm_sparse_rows_multiply(rows, counts, stride, indices, values, matrix, leadingDimension, columns, beta, x, ldx)
        case .avx2: ebm_sparse_rows_multiply_avx2(rows, counts, stride, indices, values, matrix, leadingDimension, columns, beta, x, ldx)
        case .portable:
            ebm_sparse_rows_multiply_portable(rows, counts, stride, indices, values, matrix, leadingDimension, columns, beta, x, ldx)
        }
    }

    /// Whether the kernels use AVX2 and FMA on this processor (otherwise the portable loops).
    public static var isVectorised: Bool { ebm_sparse_rows_vectorised() != 0 }

    /// Whether the product uses AVX-512 on this processor.
    public static var usesAVX512: Bool { ebm_sparse_rows_avx512() != 0 }

    /// T ← Mᵀ for the rows `rows` of T: T[j, i] = M[i, j] for M of `m` rows and `n` columns
    /// (row-major, T is n × m), in tiles that stay in cache.
    public static func transpose(_ matrix: UnsafePointer<Float>, rows m: Int, columns n: Int,
                                 into t: UnsafeMutablePointer<Float>, transposedRows rows: Range<Int>) {
        let tile = 16
        var i0 = 0
        while i0 < m {
            let i1 = min(i0 + tile, m)
            var j0 = rows.lowerBound
            while j0 < rows.upperBound {
                let j1 = min(j0 + tile, rows.upperBound)
                for j in j0..<j1 {
                    let out = t + j * m
                    for i in i0..<i1 { out[i] = matrix[i * n + j] }
                }
                j0 = j1
            }
            i0 = i1
        }
    }
}
