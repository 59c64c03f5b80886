import EnergyCore

/// The conditionals of an RBM on raw row blocks: the one implementation behind both the model's
/// batch API (`RestrictedBoltzmannMachine.hiddenProbabilities`, `visibleMeans`, …) and the Gibbs
/// sampling of a training mini-batch (`MiniBatchStep`).
///
/// Each conditional loads the bias into every output row and then adds the product with one GEMM
/// (β = 1), x = b + vW for the hidden units and x = a + hWᵀ for the visible units, so the model API
/// and training compute the same numbers in the same order.
///
/// The views only read the parameters. A pointer is nil only where its buffer is empty, and then it
/// is never read (a layer of no units, or a product over no units).
struct Conditionals: @unchecked Sendable {
    let weights: UnsafePointer<Float>?
    let visibleBias: UnsafePointer<Float>?
    let hiddenBias: UnsafePointer<Float>?
    let visibleCount: Int, hiddenCount: Int
    let gaussianVisible: Bool

    /// The hidden pre-activations b + vW for `rows` rows of `v` into `x`.
    func hiddenInput(_ v: UnsafePointer<Float>?, rows: Int, into x: UnsafeMutablePointer<Float>?) {
        Self.affine(v, rows: rows, inputs: visibleCount, weights: weights, transposed: false,
                    bias: hiddenBias, outputs: hiddenCount, into: x)
    }

    /// P(h = 1 | v) = σ(b + vW) for `rows` rows of `v` into `p`.
    func hiddenProbabilities(_ v: UnsafePointer<Float>?, rows: Int, into p: UnsafeMutablePointer<Float>?) {
        hiddenInput(v, rows: rows, into: p)
        if let p { applyLogistic(UnsafeMutableBufferPointer(start: p, count: rows * hiddenCount)) }
    }

    /// The visible pre-activations a + hWᵀ for `rows` rows of `h` into `x`.
    func visibleInput(_ h: UnsafePointer<Float>?, rows: Int, into x: UnsafeMutablePointer<Float>?) {
        Self.affine(h, rows: rows, inputs: hiddenCount, weights: weights, transposed: true,
                    bias: visibleBias, outputs: visibleCount, into: x)
    }

    /// E[v | h] for `rows` rows of `h` into `m`: σ(a + hWᵀ) for Bernoulli units, a + hWᵀ for Gaussian units.
    func visibleMeans(_ h: UnsafePointer<Float>?, rows: Int, into m: UnsafeMutablePointer<Float>?) {
        visibleInput(h, rows: rows, into: m)
        if !gaussianVisible, let m { applyLogistic(UnsafeMutableBufferPointer(start: m, count: rows * visibleCount)) }
    }

    /// A visible sample given hidden states: Bernoulli(σ(a + hWᵀ)) or a + hWᵀ + N(0, 1).
    func visibleSample(_ h: UnsafePointer<Float>, rows: Int, into v: UnsafeMutablePointer<Float>, random: RandomSource) {
        visibleMeans(h, rows: rows, into: v)
        let buffer = UnsafeMutableBufferPointer(start: v, count: rows * visibleCount)
        if gaussianVisible {
            random.addGaussian(buffer, sigma: 1)
        } else {
            random.sampleBernoulli(buffer)
        }
    }

    /// x = 1 cᵀ + y op(W) for `rows` rows of y: the bias copied into each row, then one GEMM with β = 1.
    /// W is visible × hidden; op is the identity for y of `inputs` = visible columns, the transpose
    /// for hidden ones.
    private static func affine(_ y: UnsafePointer<Float>?, rows: Int, inputs: Int, weights: UnsafePointer<Float>?, transposed: Bool,
                               bias: UnsafePointer<Float>?, outputs: Int, into x: UnsafeMutablePointer<Float>?) {
        guard rows > 0, outputs > 0, let x, let bias else { return }
        for r in 0..<rows { (x + r * outputs).update(from: bias, count: outputs) }
        guard inputs > 0, let y, let weights else { return }
        Float.gemm(transposeA: false, transposeB: transposed, m: rows, n: outputs, k: inputs, alpha: 1,
                   a: y, lda: inputs, b: weights, ldb: transposed ? inputs : outputs, beta: 1, c: x, ldc: outputs)
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
