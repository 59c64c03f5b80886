import EnergyCore
import Foundation

/// The update of the modern Hopfield network (Ramsauer et al. 2020, "Hopfield Networks is All You
/// Need", eq. (3)) for a batch of states, one state ξ per row of Ξ:
///
///     ξ ← X softmax(β Xᵀ ξ),   i.e.  Ξ ← softmax_rows(β Ξ Xᵀ) X
///
/// with the stored patterns X (P × N, one per row). It is two GEMMs and a row softmax, streamed
/// over blocks of stored patterns with the online log-sum-exp (Milakov & Gimelshein 2018): per row,
/// the running maximum m, the running sum l = Σ exp(s − m) and the running weighted sum A are
/// rescaled by exp(m_old − m_new) when a block raises the maximum. No P × Q matrix is held; the
/// scratch is one probe chunk × one pattern block of scores.
enum ModernDynamics {
    /// One update of a batch.
    struct Step {
        /// The new states, Q × N.
        var states: Matrix<Float>
        /// log Σ_μ exp(β x_μᵀ ξ) of each input state (for its energy).
        var logSumExp: [Double]
        /// Per input state, the `keep` largest scores β x_μᵀ ξ with their patterns, largest first
        /// (ties: the lower index first). Their softmax weights are exp(score − logSumExp).
        var top: [[(pattern: Int, score: Float)]]
    }

    /// Probes updated together: bounds the score scratch at `probeChunk × blockSize` floats.
    static let probeChunk = 2048

    /// One update ξ ← X softmax(β Xᵀ ξ) of every row of `states`.
    ///
    /// - Parameters:
    ///   - blockSize: stored patterns per block; the result does not depend on it beyond rounding.
    ///   - keep: how many of the largest scores to keep per row.
    ///   - workers: threads of the row-wise softmax work (the GEMMs use BLAS's own threads).
    static func step(_ states: Matrix<Float>, patterns: Matrix<Float>, beta: Float, blockSize: Int, keep: Int,
                     workers: Int, progress: (() -> Void)? = nil) -> Step {
        let q = states.rows, n = states.columns, p = patterns.rows
        let k = max(1, min(keep, p))
        var out = Matrix<Float>(rows: q, columns: n)
        var lse = [Double](repeating: 0, count: q)
        var top = [[(pattern: Int, score: Float)]](repeating: [], count: q)
        let block = max(1, min(blockSize, p))
        var start = 0
        while start < q {
            let rows = min(probeChunk, q - start)
            let chunk = states.rows(start..<(start + rows))
            var accumulator = Matrix<Float>(rows: rows, columns: n)
            var maxima = [Float](repeating: -.infinity, count: rows)
            var sums = [Double](repeating: 0, count: rows)
            var topIndex = [Int32](repeating: -1, count: rows * k)
            var topScore = [Float](repeating: -.infinity, count: rows * k)
            var scores = Matrix<Float>(rows: rows, columns: block)
            var first = 0
            while first < p {
                let width = min(block, p - first)
                if scores.columns != width { scores = Matrix(rows: rows, columns: width) }
                // S = β Ξ X_bᵀ: one GEMM, reading the block in place.
                gemm(chunk, patterns, block: first, width: width, into: &scores, alpha: beta)
                // Per row: the running maximum, the rescaled running sums, exp(S − m) in place, and
                // the largest scores.
                let offset = first
                scores.storage.withUnsafeMutableBufferPointer { s in
                    accumulator.storage.withUnsafeMutableBufferPointer { a in
                        maxima.withUnsafeMutableBufferPointer { m in
                            sums.withUnsafeMutableBufferPointer { l in
                                topIndex.withUnsafeMutableBufferPointer { ti in
                                    topScore.withUnsafeMutableBufferPointer { ts in
                                        Parallel.run(workers: max(1, min(workers, rows))) { worker in
                                            for r in stride(from: worker, to: rows, by: max(1, min(workers, rows))) {
                                                let row = s.baseAddress! + r * width
                                                var blockMax = -Float.infinity
                                                for c in 0..<width {
                                                    let v = row[c]
                                                    if v > blockMax { blockMax = v }
                                                    if v > ts[r * k + k - 1] {  // insert into the row's top k
                                                        var j = k - 1
                                                        while j > 0 && v > ts[r * k + j - 1] {
                                                            ts[r * k + j] = ts[r * k + j - 1]
                                                            ti[r * k + j] = ti[r * k + j - 1]
                                                            j -= 1
                                                        }
                                                        ts[r * k + j] = v
                                                        ti[r * k + j] = Int32(offset + c)
                                                    }
                                                }
                                                let newMax = max(m[r], blockMax)
                                                if newMax > m[r] && m[r] > -.infinity {
                                                    let rescale = Float(Foundation.exp(Double(m[r] - newMax)))
                                                    l[r] *= Double(rescale)
                                                    let ar = a.baseAddress! + r * n
                                                    for j in 0..<n { ar[j] *= rescale }
                                                }
                                                m[r] = newMax
                                                var sum = 0.0
                                                for c in 0..<width {
                                                    // Below −80 a term is under 10⁻³⁴ of the row maximum's 1 (and
                                                    // the maximum only grows): far below Float rounding. Skipping
                                                    // it avoids libm's slow underflow path.
                                                    let d = row[c] - newMax
                                                    let e = d < -80 ? 0 : Foundation.expf(d)
                                                    row[c] = e
                                                    sum += Double(e)
                                                }
                                                l[r] += sum
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                // A += exp(S − m) X_b: the second GEMM.
                accumulate(scores, patterns, block: first, width: width, into: &accumulator)
                first += width
            }
            for r in 0..<rows {
                let inverse = Float(1 / sums[r])
                for j in 0..<n { out.storage[(start + r) * n + j] = accumulator.storage[r * n + j] * inverse }
                lse[start + r] = Double(maxima[r]) + Foundation.log(sums[r])
                top[start + r] = (0..<k).compactMap { j in
                    topIndex[r * k + j] < 0 ? nil : (pattern: Int(topIndex[r * k + j]), score: topScore[r * k + j])
                }
            }
            start += rows
            progress?()
        }
        return Step(states: out, logSumExp: lse, top: top)
    }

    /// S ← α Ξ X[first..<first+width]ᵀ.
    private static func gemm(_ states: Matrix<Float>, _ patterns: Matrix<Float>, block first: Int, width: Int,
                             into scores: inout Matrix<Float>, alpha: Float) {
        let n = states.columns
        states.storage.withUnsafeBufferPointer { a in
            patterns.storage.withUnsafeBufferPointer { x in
                scores.storage.withUnsafeMutableBufferPointer { c in
                    Float.gemm(transposeA: false, transposeB: true, m: states.rows, n: width, k: n, alpha: alpha,
                               a: a.baseAddress!, lda: n, b: x.baseAddress! + first * n, ldb: n, beta: 0, c: c.baseAddress!, ldc: width)
                }
            }
        }
    }

    /// A ← A + P X[first..<first+width].
    private static func accumulate(_ weights: Matrix<Float>, _ patterns: Matrix<Float>, block first: Int, width: Int,
                                   into accumulator: inout Matrix<Float>) {
        let n = patterns.columns
        weights.storage.withUnsafeBufferPointer { w in
            patterns.storage.withUnsafeBufferPointer { x in
                accumulator.storage.withUnsafeMutableBufferPointer { c in
                    Float.gemm(transposeA: false, transposeB: false, m: weights.rows, n: n, k: width, alpha: 1,
                               a: w.baseAddress!, lda: width, b: x.baseAddress! + first * n, ldb: n, beta: 1, c: c.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// log Σ_μ exp(β x_μᵀ ξ) of each row of `states`, streamed like `step`.
    static func logSumExp(_ states: Matrix<Float>, patterns: Matrix<Float>, beta: Float, blockSize: Int) -> [Double] {
        let q = states.rows, p = patterns.rows
        var maxima = [Double](repeating: -.infinity, count: q)
        var sums = [Double](repeating: 0, count: q)
        let block = max(1, min(blockSize, p))
        var first = 0
        while first < p {
            let width = min(block, p - first)
            let s = Matrix.product(states, patterns.rows(first..<(first + width)), transposeB: true)
            for r in 0..<q {
                var blockMax = -Double.infinity
                for c in 0..<width { blockMax = max(blockMax, Double(beta) * Double(s.storage[r * width + c])) }
                let newMax = max(maxima[r], blockMax)
                if maxima[r] > -.infinity { sums[r] *= Foundation.exp(maxima[r] - newMax) }
                for c in 0..<width { sums[r] += Foundation.exp(Double(beta) * Double(s.storage[r * width + c]) - newMax) }
                maxima[r] = newMax
            }
            first += width
        }
        return (0..<q).map { maxima[$0] + Foundation.log(sums[$0]) }
    }
}
