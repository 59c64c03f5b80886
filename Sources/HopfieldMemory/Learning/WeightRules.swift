import EnergyCore
import Foundation

/// The pairwise learning rules that build the weight matrix of a classic Hopfield network.
///
/// Each takes the current weights and the new patterns, so all three support storing more
/// patterns later: Hebb and Storkey add to W, the projection rule recomputes W from every pattern.
enum WeightRules {
    /// Hebb: W += (1/N) Ξᵀ Ξ over the new patterns (one GEMM), then w_ii = 0 (Hopfield 1982).
    static func hebbian(_ w: inout Matrix<Float>, adding patterns: Matrix<Float>) {
        let n = Float(patterns.columns)
        w.multiply(patterns, patterns, transposeA: true, alpha: 1 / n, beta: 1)
        zeroDiagonal(&w)
    }

    /// Storkey (1997), one pattern ξ at a time:
    ///
    ///     w_ij ← w_ij + (1/N) [ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j],   h_ij = Σ_{k≠i,j} w_ik ξ_k.
    ///
    /// With h = W ξ and w_ii = 0, h_ij = h_i − w_ij ξ_j, which gives the rank-two update
    /// W ← (1 + 2/N) W + (1/N)(ξ ξᵀ − ξ hᵀ − h ξᵀ), then w_ii = 0.
    static func storkey(_ w: inout Matrix<Float>, adding patterns: Matrix<Float>) {
        let n = patterns.columns
        let inv = 1 / Float(n)
        var h = [Float](repeating: 0, count: n)
        for mu in 0..<patterns.rows {
            let xi = patterns.row(mu)
            w.multiply(vector: xi, into: &h)
            w.scale(by: 1 + 2 * inv)
            w.addOuterProduct(xi, xi, alpha: inv)
            w.addOuterProduct(xi, h, alpha: -inv)
            w.addOuterProduct(h, xi, alpha: -inv)
            zeroDiagonal(&w)
        }
    }

    /// The projection rule W = Ξᵀ C⁺ Ξ with the Gram matrix C = Ξ Ξᵀ (P × P), its Moore–Penrose
    /// pseudo-inverse taken by symmetric eigendecomposition (`gsl_eigen_symmv`): eigenvalues below
    /// `P·λ_max·1e-6` count as zero, so linearly dependent patterns store their span. w_ii = 0 then
    /// gives the zero-diagonal variant of Kanter & Sompolinsky (1987), which widens basins.
    ///
    /// - Returns: the rank of the stored patterns.
    static func projection(_ w: inout Matrix<Float>, patterns: Matrix<Float>) throws -> Int {
        let p = patterns.rows, n = patterns.columns
        let xi = patterns.converted(to: Double.self)
        let gram = Matrix.product(xi, xi, transposeB: true)
        let (pinv, rank) = try pseudoInverse(gram)
        // W = Ξᵀ (C⁺ Ξ)
        var cx = Matrix<Double>(rows: p, columns: n)
        cx.multiply(pinv, xi)
        var wd = Matrix<Double>(rows: n, columns: n)
        wd.multiply(xi, cx, transposeA: true)
        w = wd.converted(to: Float.self)
        zeroDiagonal(&w)
        return rank
    }

    /// The Moore–Penrose pseudo-inverse of a symmetric positive semi-definite matrix, and its rank.
    static func pseudoInverse(_ c: Matrix<Double>) throws -> (Matrix<Double>, Int) {
        let n = c.rows
        guard n > 0 else { return (c, 0) }
        let eigen = try SymmetricEigen(c)
        let values = eigen.values, vectors = eigen.vectors
        let largest = values.map(abs).max() ?? 0
        let cutoff = largest * Double(n) * 1e-6
        // C⁺ = V diag(1/λ) Vᵀ over the eigenvalues above the cut-off.
        var scaled = vectors
        var rank = 0
        for k in 0..<n {
            let inv = values[k] > cutoff ? 1 / values[k] : 0
            if inv != 0 { rank += 1 }
            for i in 0..<n { scaled[i, k] *= inv }
        }
        var pinv = Matrix<Double>(rows: n, columns: n)
        pinv.multiply(scaled, vectors, transposeB: true)
        return (pinv, rank)
    }

    static func zeroDiagonal(_ w: inout Matrix<Float>) {
        let n = w.rows
        w.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i * n + i] = 0 }
        }
    }
}
