import EnergyCore
import Foundation

/// A fully connected layer y = f(x W + b), with W of shape inputs × outputs.
public struct DenseLayer: Equatable, Sendable {
    public var weights: Matrix<Float>
    public var bias: [Float]

    public init(weights: Matrix<Float>, bias: [Float]) {
        self.weights = weights
        self.bias = bias
    }

    public var inputs: Int { weights.rows }
    public var outputs: Int { weights.columns }
}

/// A feed-forward classifier: logistic sigmoid hidden layers and a softmax output, trained on the
/// mean cross-entropy −(1/B) Σ_n log p(y_n | x_n) (Rumelhart, Hinton & Williams 1986).
///
/// Backpropagation, for a batch with one-hot targets Y and layer outputs a_l (a_0 = x):
///
///     δ_L = (P − Y) / B,                         ∂L/∂W_l = a_{l−1}ᵀ δ_l,   ∂L/∂b_l = Σ_rows δ_l,
///     δ_{l−1} = (δ_l W_lᵀ) ⊙ a_{l−1} ⊙ (1 − a_{l−1}),
///
/// with the dropout mask applied to a_{l−1} when training with dropout (Srivastava et al. 2014;
/// inverted dropout, kept units scaled by 1/(1 − p)). Every product is a GEMM on the whole batch.
public struct FeedForwardNetwork: Equatable, Sendable {
    /// The layers, input first; the last is the softmax output.
    public var layers: [DenseLayer]

    public init(layers: [DenseLayer]) { self.layers = layers }

    /// The network a DBN unrolls into: the RBMs' recognition weights and hidden biases, then a
    /// softmax layer with W ~ N(0, 0.01²) (Hinton & Salakhutdinov 2006).
    public init(unrolling stack: LayerStack, classes: Int, random: RandomSource) {
        var layers = stack.recognitionLayers.map { DenseLayer(weights: $0.weights, bias: $0.hiddenBias) }
        var w = Matrix<Float>(rows: stack.layers.last?.hiddenCount ?? stack.sizes[0], columns: classes)
        random.fillGaussian(&w.storage, sigma: 0.01)
        layers.append(DenseLayer(weights: w, bias: [Float](repeating: 0, count: classes)))
        self.layers = layers
    }

    /// A randomly initialised network of the given sizes (input first, classes last), with the
    /// uniform initialisation of Glorot & Bengio (2010) for sigmoid units, ±4 √(6 / (fan_in + fan_out)).
    public init(sizes: [Int], random: RandomSource) {
        layers = zip(sizes, sizes.dropFirst()).map { n, m in
            let limit = 4 * Float((6.0 / Double(n + m)).squareRoot())
            var w = Matrix<Float>(rows: n, columns: m)
            random.fillUniform(&w.storage)
            w.apply { ($0 * 2 - 1) * limit }
            return DenseLayer(weights: w, bias: [Float](repeating: 0, count: m))
        }
    }

    /// The layer sizes, input first.
    public var sizes: [Int] { layers.isEmpty ? [] : [layers[0].inputs] + layers.map(\.outputs) }
    /// The number of classes.
    public var classes: Int { layers.last?.outputs ?? 0 }

    /// Class probabilities for each row of `x`.
    public func probabilities(_ x: Matrix<Float>) -> Matrix<Float> {
        var a = x
        for (l, layer) in layers.enumerated() {
            var z = Matrix<Float>(rows: a.rows, columns: layer.outputs)
            z.multiply(a, layer.weights)
            z.addToEachRow(layer.bias)
            if l == layers.count - 1 { Self.softmaxRows(&z) } else { z.applyLogistic() }
            a = z
        }
        return a
    }

    /// Replaces each row by its softmax, exp(z − max) / Σ exp(z − max).
    static func softmaxRows(_ z: inout Matrix<Float>) {
        let (r, c) = (z.rows, z.columns)
        z.storage.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: r, columns: c) }
    }

    /// Softmax of each of `rows` rows of `columns` values at `z`, in place.
    static func softmaxRows(_ z: UnsafeMutablePointer<Float>, rows: Int, columns c: Int) {
        for r in 0..<rows {
            let row = z + r * c
            var m = -Float.infinity
            for j in 0..<c { m = max(m, row[j]) }
            var s: Float = 0
            for j in 0..<c { row[j] = expf(row[j] - m); s += row[j] }
            for j in 0..<c { row[j] /= s }
        }
    }

    /// The mean cross-entropy of `labels` under the network, in nats.
    public func loss(_ x: Matrix<Float>, labels: ArraySlice<Int>) -> Double {
        let p = probabilities(x)
        var total = 0.0
        for (r, y) in labels.enumerated() { total -= log(max(Double(p[r, y]), 1e-30)) }
        return total / Double(labels.count)
    }
}

/// A buffer of `count` floats owned by a workspace.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { pointer.deallocate() }
    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}

/// Buffers for one mini-batch of backpropagation, reused across batches (no allocation per batch).
///
/// A batch is processed in `blocks` row blocks at once: the forward pass and the deltas of a row
/// depend on that row only, so each block runs them with single-threaded GEMMs; the weight
/// gradients a_{l−1}ᵀ δ_l then need every row and are split by columns of W instead.
public final class BackpropWorkspace: @unchecked Sendable {
    let batch: Int
    let sizes: [Int]
    /// Row blocks and column blocks run concurrently.
    let blocks: Int
    /// The (masked) input batch, then the layer outputs a_1 … a_L, each batch × size.
    let activations: [FloatBuffer]
    /// δ_l for each layer.
    let deltas: [FloatBuffer]
    /// Dropout masks for the input of each layer.
    let masks: [FloatBuffer]
    let weightGradient: [FloatBuffer]
    let biasGradient: [FloatBuffer]
    /// Per row block: its share of the loss.
    let blockLoss: UnsafeMutablePointer<Double>

    public init(network: FeedForwardNetwork, batch: Int, blocks: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.batch = batch
        sizes = network.sizes
        self.blocks = max(1, min(blocks, batch))
        activations = sizes.map { FloatBuffer(batch * $0) }
        deltas = sizes.map { FloatBuffer(batch * $0) }
        masks = sizes.dropLast().map { FloatBuffer(batch * $0) }
        weightGradient = network.layers.map { FloatBuffer($0.inputs * $0.outputs) }
        biasGradient = network.layers.map { FloatBuffer($0.outputs) }
        blockLoss = .allocate(capacity: self.blocks)
        blockLoss.initialize(repeating: 0, count: self.blocks)
    }

    deinit { blockLoss.deallocate() }

    /// ∂L/∂W_l of the last batch, inputs × outputs.
    public func weightGradient(_ l: Int) -> Matrix<Float> {
        Matrix(rows: sizes[l], columns: sizes[l + 1], storage: Array(weightGradient[l].buffer))
    }

    /// ∂L/∂b_l of the last batch.
    public func biasGradient(_ l: Int) -> [Float] { Array(biasGradient[l].buffer) }

    func block(_ w: Int, of n: Int) -> Range<Int> { (w * n / blocks)..<((w + 1) * n / blocks) }
}

extension FeedForwardNetwork {
    /// Forward and backward pass on the rows `indices` of `data`: fills the workspace's gradients
    /// of the mean cross-entropy and returns that loss. `dropout` gives the drop probability of the
    /// input units and of the hidden units; each row block draws its masks from its own stream,
    /// split from `random` (so a run depends on the seed and the number of blocks).
    @discardableResult
    public func backpropagate(_ data: Matrix<Float>, labels: [Int], indices: ArraySlice<Int>, workspace w: BackpropWorkspace,
                              dropout: (input: Double, hidden: Double) = (0, 0), random: RandomSource? = nil) -> Double {
        let b = indices.count
        precondition(w.batch == b, "workspace for \(w.batch) rows, batch of \(b)")
        let last = layers.count - 1, sizes = w.sizes
        let streams = random.map { $0.fork(w.blocks) }
        // The parameters stay unchanged during the call, so their storage is stable.
        let weights = layers.map { layer in layer.weights.storage.withUnsafeBufferPointer { $0.baseAddress! } }
        let biases = layers.map { layer in layer.bias.withUnsafeBufferPointer { $0.baseAddress! } }
        let scale = 1 / Float(b)
        data.storage.withUnsafeBufferPointer { pd in
            // Phase 1: forward pass and deltas, by row blocks.
            Parallel.run(workers: w.blocks) { k in
                let rows = w.block(k, of: b)
                guard !rows.isEmpty else { return }
                let m = rows.count, r0 = rows.lowerBound
                func at(_ buffer: FloatBuffer, _ width: Int) -> UnsafeMutablePointer<Float> { buffer.pointer + r0 * width }
                let input = at(w.activations[0], sizes[0])
                for (i, r) in rows.enumerated() {
                    (input + i * sizes[0]).update(from: pd.baseAddress! + indices[indices.startIndex + r] * sizes[0], count: sizes[0])
                }
                for l in 0...last {
                    let n = sizes[l], out = sizes[l + 1]
                    let a = at(w.activations[l], n)
                    let p = l == 0 ? dropout.input : dropout.hidden
                    if p > 0, let streams {
                        streams[k].applyDropout(UnsafeMutableBufferPointer(start: a, count: m * n),
                                                mask: UnsafeMutableBufferPointer(start: at(w.masks[l], n), count: m * n), probability: p)
                    }
                    let z = at(w.activations[l + 1], out)
                    for i in 0..<m { (z + i * out).update(from: biases[l], count: out) }
                    Float.gemm(transposeA: false, transposeB: false, m: m, n: out, k: n, alpha: 1, a: a, lda: n,
                               b: weights[l], ldb: out, beta: 1, c: z, ldc: out)
                    if l == last {
                        Self.softmaxRows(z, rows: m, columns: out)
                    } else {
                        applyLogistic(UnsafeMutableBufferPointer(start: z, count: m * out))
                    }
                }
                // δ_L = (P − Y) / B and the block's loss.
                let c = sizes[last + 1]
                let dL = at(w.deltas[last + 1], c), pL = at(w.activations[last + 1], c)
                dL.update(from: pL, count: m * c)
                var loss = 0.0
                for (i, r) in rows.enumerated() {
                    let y = labels[indices[indices.startIndex + r]]
                    loss -= log(max(Double(dL[i * c + y]), 1e-30))
                    dL[i * c + y] -= 1
                }
                for i in 0..<(m * c) { dL[i] *= scale }
                w.blockLoss[k] = loss
                // δ_{l−1} = (δ_l W_lᵀ) ⊙ σ′, σ′ = a (1 − a) on the unmasked activation; with a mask
                // m ≠ 0 on a (a_m = a m) that is a_m (1 − a_m / m), and 0 where the unit was dropped.
                for l in stride(from: last, through: 1, by: -1) {
                    let n = sizes[l], out = sizes[l + 1]
                    let below = at(w.deltas[l], n)
                    Float.gemm(transposeA: false, transposeB: true, m: m, n: n, k: out, alpha: 1, a: at(w.deltas[l + 1], out), lda: out,
                               b: weights[l], ldb: out, beta: 0, c: below, ldc: n)
                    let act = at(w.activations[l], n)
                    if dropout.hidden > 0, streams != nil {
                        let mask = at(w.masks[l], n)
                        for i in 0..<(m * n) {
                            let mi = mask[i]
                            below[i] = mi == 0 ? 0 : below[i] * act[i] * (1 - act[i] / mi)
                        }
                    } else {
                        for i in 0..<(m * n) { below[i] *= act[i] * (1 - act[i]) }
                    }
                }
            }
            // Phase 2: ∂L/∂W_l = a_{l−1}ᵀ δ_l and ∂L/∂b_l = 1ᵀ δ_l, by column blocks of every layer.
            Parallel.run(workers: w.blocks) { k in
                for l in 0...last {
                    let n = sizes[l], out = sizes[l + 1]
                    let columns = w.block(k, of: out)
                    guard !columns.isEmpty else { continue }
                    let c0 = columns.lowerBound
                    Float.gemm(transposeA: true, transposeB: false, m: n, n: columns.count, k: b, alpha: 1,
                               a: w.activations[l].pointer, lda: n, b: w.deltas[l + 1].pointer + c0, ldb: out,
                               beta: 0, c: w.weightGradient[l].pointer + c0, ldc: out)
                    let g = w.biasGradient[l].pointer
                    for j in columns { g[j] = 0 }
                    for r in 0..<b {
                        let row = w.deltas[l + 1].pointer + r * out
                        for j in columns { g[j] += row[j] }
                    }
                }
            }
        }
        return (0..<w.blocks).reduce(0) { $0 + w.blockLoss[$1] } / Double(b)
    }
}
