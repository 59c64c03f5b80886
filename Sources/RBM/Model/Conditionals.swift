import EnergyCore

/// The conditionals of an RBM on raw row blocks: the one implementation behind both the model's
/// batch API (`RestrictedBoltzmannMachine.hiddenProbabilities`, `visibleMeans`, …) and the Gibbs
/// sampling of a training mini-batch (`MiniBatchStep`).
///
/// Each conditional loads the bias into every output row and then adds the product with one GEMM
/// (β = 1), x = b + vW for the hidden units and x = a + hWᵀ for the visible units.
///
/// Training passes a `SparseScratch` as well: the input rows are then compressed, and when at most
/// `sparseDensityLimit` of their entries are nonzero (MNIST pixels, binary samples), the product is
/// the sum of the rows of W (or of `transposedWeights`, Wᵀ) that the nonzero entries select
/// (`SparseRows.accumulate`), which costs in proportion to the nonzeros. It is the same product up
/// to the order of the floating-point summation; the model API, without scratch, always uses the GEMM.
///
/// The views only read the parameters. A pointer is nil only where its buffer is empty, and then it
/// is never read (a layer of no units, or a product over no units).
struct Conditionals: @unchecked Sendable {
    let weights: UnsafePointer<Float>?
    let visibleBias: UnsafePointer<Float>?
    let hiddenBias: UnsafePointer<Float>?
    let visibleCount: Int, hiddenCount: Int
    let gaussianVisible: Bool
    /// Wᵀ (hidden × visible, row-major), for the sparse product hWᵀ; nil where there is none.
    var transposedWeights: UnsafePointer<Float>? = nil

    /// The largest fraction of nonzero inputs for which a product is computed sparse. The sparse
    /// kernel does fewer multiply-adds per second than OpenBLAS's GEMM (each row of W it reads
    /// serves one row of the batch), about 2.5 times fewer for the RBM's shapes, so above this
    /// density the GEMM is faster (measured: docs/rbm.md).
    static let sparseDensityLimit = 0.35

    /// These views with `transposed` as Wᵀ.
    func with(transposedWeights transposed: UnsafePointer<Float>) -> Conditionals {
        var copy = self
        copy.transposedWeights = transposed
        return copy
    }

    /// The hidden pre-activations b + vW for `rows` rows of `v` into `x`.
    func hiddenInput(_ v: UnsafePointer<Float>?, rows: Int, into x: UnsafeMutablePointer<Float>?, scratch: SparseScratch? = nil) {
        Self.affine(v, rows: rows, inputs: visibleCount, weights: weights, transposed: false, rowsOfWeights: weights,
                    bias: hiddenBias, outputs: hiddenCount, into: x, scratch: scratch)
    }

    /// P(h = 1 | v) = σ(b + vW) for `rows` rows of `v` into `p`.
    func hiddenProbabilities(_ v: UnsafePointer<Float>?, rows: Int, into p: UnsafeMutablePointer<Float>?, scratch: SparseScratch? = nil) {
        hiddenInput(v, rows: rows, into: p, scratch: scratch)
        if let p { applyLogistic(UnsafeMutableBufferPointer(start: p, count: rows * hiddenCount)) }
    }

    /// The visible pre-activations a + hWᵀ for `rows` rows of `h` into `x`.
    func visibleInput(_ h: UnsafePointer<Float>?, rows: Int, into x: UnsafeMutablePointer<Float>?, scratch: SparseScratch? = nil) {
        Self.affine(h, rows: rows, inputs: hiddenCount, weights: weights, transposed: true, rowsOfWeights: transposedWeights,
                    bias: visibleBias, outputs: visibleCount, into: x, scratch: scratch)
    }

    /// E[v | h] for `rows` rows of `h` into `m`: σ(a + hWᵀ) for Bernoulli units, a + hWᵀ for Gaussian units.
    func visibleMeans(_ h: UnsafePointer<Float>?, rows: Int, into m: UnsafeMutablePointer<Float>?, scratch: SparseScratch? = nil) {
        visibleInput(h, rows: rows, into: m, scratch: scratch)
        if !gaussianVisible, let m { applyLogistic(UnsafeMutableBufferPointer(start: m, count: rows * visibleCount)) }
    }

    /// A visible sample given hidden states: Bernoulli(σ(a + hWᵀ)) or a + hWᵀ + N(0, 1).
    func visibleSample(_ h: UnsafePointer<Float>, rows: Int, into v: UnsafeMutablePointer<Float>, random: RandomSource,
                       scratch: SparseScratch? = nil) {
        visibleInput(h, rows: rows, into: v, scratch: scratch)
        let buffer = UnsafeMutableBufferPointer(start: v, count: rows * visibleCount)
        if gaussianVisible {
            random.addGaussian(buffer, sigma: 1)
        } else {
            random.sampleLogistic(buffer)
        }
    }

    /// A hidden sample given visible states, Bernoulli(σ(b + vW)), for `rows` rows of `v` into `h`.
    func hiddenSample(_ v: UnsafePointer<Float>, rows: Int, into h: UnsafeMutablePointer<Float>, random: RandomSource,
                      scratch: SparseScratch? = nil) {
        hiddenInput(v, rows: rows, into: h, scratch: scratch)
        random.sampleLogistic(UnsafeMutableBufferPointer(start: h, count: rows * hiddenCount))
    }

    /// x = 1 cᵀ + y op(W) for `rows` rows of y: the bias copied into each row, then the product.
    /// W is visible × hidden; op is the identity for y of `inputs` = visible columns, the transpose
    /// for hidden ones. `rowsOfWeights` is op(W) stored row-major (`inputs` × `outputs`), W itself or
    /// Wᵀ, or nil when there is no such copy.
    ///
    /// With `scratch` and `rowsOfWeights`, when at most `sparseDensityLimit` of the entries of y are
    /// nonzero, the rows of y are compressed into the scratch and each output row is the bias plus the
    /// selected rows of op(W) (`SparseRows.multiply`); otherwise one GEMM with β = 1.
    private static func affine(_ y: UnsafePointer<Float>?, rows: Int, inputs: Int, weights: UnsafePointer<Float>?, transposed: Bool,
                               rowsOfWeights: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, outputs: Int,
                               into x: UnsafeMutablePointer<Float>?, scratch: SparseScratch?) {
        guard rows > 0, outputs > 0, let x, let bias else { return }
        for r in 0..<rows { (x + r * outputs).update(from: bias, count: outputs) }
        guard inputs > 0, let y, let weights else { return }
        if let scratch, let m = rowsOfWeights,
           Double(SparseRows.nonzeros(y, count: rows * inputs)) <= sparseDensityLimit * Double(rows * inputs) {
            for r in 0..<rows {
                scratch.counts[r] = SparseRows.compress(y + r * inputs, count: inputs, indices: scratch.indices + r * scratch.stride,
                                                        values: scratch.values + r * scratch.stride)
            }
            SparseRows.multiply(rows: rows, counts: scratch.counts, indices: scratch.indices, values: scratch.values, stride: scratch.stride,
                                matrix: m, leadingDimension: outputs, columns: outputs, into: x, ldx: outputs)
            return
        }
        Float.gemm(transposeA: false, transposeB: transposed, m: rows, n: outputs, k: inputs, alpha: 1,
                   a: y, lda: inputs, b: weights, ldb: transposed ? inputs : outputs, beta: 1, c: x, ldc: outputs)
    }
}

/// Room for the compressed input rows of the sparse products of `Conditionals`: `stride` indices
/// and values per row, and each row's count of nonzeros.
struct SparseScratch: @unchecked Sendable {
    let indices: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Float>
    let counts: UnsafeMutablePointer<Int>
    let stride: Int

    /// The scratch from row `r` on.
    func rows(from r: Int) -> SparseScratch {
        SparseScratch(indices: indices + r * stride, values: values + r * stride, counts: counts + r, stride: stride)
    }
}

extension RestrictedBoltzmannMachine {
    /// Runs `body` with raw views of the parameters.
    func withConditionals<R>(_ body: (Conditionals) -> R) -> R {
        weights.storage.withUnsafeBufferPointer { w in
            visibleBias.withUnsafeBufferPointer { a in
                hiddenBias.withUnsafeBufferPointer { b in
                    body(Conditionals(weights: w.baseAddress, visibleBias: a.baseAddress, hiddenBias: b.baseAddress,
                                      visibleCount: visibleCount, hiddenCount: hiddenCount, gaussianVisible: visibleUnits == .gaussian))
                }
            }
        }
    }

    /// Applies `kernel` to the rows of `input` (`inputs` columns) into `output` (`outputs` columns),
    /// after checking the shapes.
    func conditional(_ input: Matrix<Float>, inputs: Int, into output: inout Matrix<Float>, outputs: Int,
                     _ kernel: (Conditionals, UnsafePointer<Float>?, Int, UnsafeMutablePointer<Float>?) -> Void) {
        precondition(input.columns == inputs, "RBM: the input has \(input.columns) columns, the layer \(inputs) units")
        precondition(output.rows == input.rows && output.columns == outputs,
                     "RBM: the output is \(output.rows)×\(output.columns), expected \(input.rows)×\(outputs)")
        withConditionals { c in
            input.storage.withUnsafeBufferPointer { y in
                output.storage.withUnsafeMutableBufferPointer { x in
                    kernel(c, y.baseAddress, input.rows, x.baseAddress)
                }
            }
        }
    }
}
