import EnergyCore
import Foundation

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

    /// Row `row` of a buffer of rows of `width` values.
    func row(_ buffer: FloatBuffer, _ row: Int, width: Int) -> UnsafeMutablePointer<Float> { buffer.pointer + row * width }
}

extension FeedForwardNetwork {
    /// Forward and backward pass on the rows `indices` of `data`: fills the workspace's gradients
    /// of the mean cross-entropy and returns that loss. `dropout` gives the drop probability of the
    /// input units and of the hidden units; each row block draws its masks from its own stream,
    /// split from `random` (so a run depends on the seed and the number of blocks). With
    /// `fromLayer` f > 0 only the gradients of layers f, f + 1, … are computed (the deltas stop
    /// there); the lower layers' gradient buffers keep their old contents and must not be used.
    ///
    /// The steps: by row blocks, concurrently, `gatherRows`, `forward` (the network's one forward
    /// kernel), `outputDeltas` and `backwardDeltas`; then, by column blocks, `parameterGradients`.
    @discardableResult
    public func backpropagate(_ data: Matrix<Float>, labels: [Int], indices: ArraySlice<Int>, workspace w: BackpropWorkspace,
                              dropout: (input: Double, hidden: Double) = (0, 0), random: RandomSource? = nil,
                              fromLayer first: Int = 0) -> Double {
        let b = indices.count
        precondition(w.batch == b, "workspace for \(w.batch) rows, batch of \(b)")
        precondition(layers.indices.contains(first), "fromLayer \(first) of \(layers.count) layers")
        let streams = random.map { $0.fork(w.blocks) }
        // The parameters stay unchanged during the call, so their storage is stable.
        let parameters = ParameterPointers(self), sizes = w.sizes
        let masked = dropout.hidden > 0 && streams != nil
        data.storage.withUnsafeBufferPointer { pd in
            guard let source = pd.baseAddress else { return }
            Parallel.run(workers: w.blocks) { k in
                let rows = w.block(k, of: b)
                guard !rows.isEmpty else { return }
                w.gatherRows(rows, from: source, indices: indices)
                Self.forward(parameters, rows: rows.count, dropout: dropout, stream: streams?[k]) { l in
                    (w.row(w.activations[l], rows.lowerBound, width: sizes[l]),
                     l < w.masks.count ? w.row(w.masks[l], rows.lowerBound, width: sizes[l]) : nil)
                }
                w.blockLoss[k] = w.outputDeltas(rows, labels: labels, indices: indices, scale: 1 / Float(b))
                w.backwardDeltas(rows, parameters, masked: masked, downTo: first + 1)
            }
            Parallel.run(workers: w.blocks) { k in w.parameterGradients(columnBlock: k, rows: b, fromLayer: first) }
        }
        return (0..<w.blocks).reduce(0) { $0 + w.blockLoss[$1] } / Double(b)
    }
}

extension BackpropWorkspace {
    /// Copies the data rows `indices[rows]` into the input activations.
    func gatherRows(_ rows: Range<Int>, from data: UnsafePointer<Float>, indices: ArraySlice<Int>) {
        let n = sizes[0]
        for r in rows { row(activations[0], r, width: n).update(from: data + indices[indices.startIndex + r] * n, count: n) }
    }

    /// δ_L = (P − Y) / B for the batch rows `rows`, from the softmax outputs; returns those rows'
    /// cross-entropy −Σ log p(y | x) (not divided by B).
    func outputDeltas(_ rows: Range<Int>, labels: [Int], indices: ArraySlice<Int>, scale: Float) -> Double {
        let top = sizes.count - 1, c = sizes[top], m = rows.count
        let delta = row(deltas[top], rows.lowerBound, width: c)
        delta.update(from: row(activations[top], rows.lowerBound, width: c), count: m * c)
        var loss = 0.0
        for (i, r) in rows.enumerated() {
            let y = labels[indices[indices.startIndex + r]]
            loss -= log(max(Double(delta[i * c + y]), 1e-30))
            delta[i * c + y] -= 1
        }
        for i in 0..<(m * c) { delta[i] *= scale }
        return loss
    }

    /// δ_{l−1} = (δ_l W_lᵀ) ⊙ σ′ for the batch rows `rows`, from the top down, with σ′ = a (1 − a) on
    /// the unmasked activation. With dropout (`masked`), a mask m ≠ 0 on a (a_m = a m) makes that
    /// a_m (1 − a_m / m), and 0 where the unit was dropped. The deltas stop at δ_`lowest` (≥ 1).
    func backwardDeltas(_ rows: Range<Int>, _ p: FeedForwardNetwork.ParameterPointers, masked: Bool, downTo lowest: Int = 1) {
        let m = rows.count, r0 = rows.lowerBound
        for l in stride(from: sizes.count - 2, through: max(lowest, 1), by: -1) {
            let n = sizes[l], out = sizes[l + 1]
            let below = row(deltas[l], r0, width: n), act = row(activations[l], r0, width: n)
            Float.gemm(transposeA: false, transposeB: true, m: m, n: n, k: out, alpha: 1, a: row(deltas[l + 1], r0, width: out), lda: out,
                       b: p.weights[l], ldb: out, beta: 0, c: below, ldc: n)
            if masked {
                let mask = row(masks[l], r0, width: n)
                for i in 0..<(m * n) {
                    let mi = mask[i]
                    below[i] = mi == 0 ? 0 : below[i] * act[i] * (1 - act[i] / mi)
                }
            } else {
                for i in 0..<(m * n) { below[i] *= act[i] * (1 - act[i]) }
            }
        }
    }

    /// ∂L/∂W_l = a_{l−1}ᵀ δ_l and ∂L/∂b_l = 1ᵀ δ_l over all `rows` of the batch, for the columns of
    /// column block `k` of every layer from `first` up.
    func parameterGradients(columnBlock k: Int, rows b: Int, fromLayer first: Int = 0) {
        for l in first..<(sizes.count - 1) {
            let n = sizes[l], out = sizes[l + 1]
            let columns = block(k, of: out)
            guard !columns.isEmpty else { continue }
            let c0 = columns.lowerBound
            Float.gemm(transposeA: true, transposeB: false, m: n, n: columns.count, k: b, alpha: 1,
                       a: activations[l].pointer, lda: n, b: deltas[l + 1].pointer + c0, ldb: out,
                       beta: 0, c: weightGradient[l].pointer + c0, ldc: out)
            let g = biasGradient[l].pointer
            for j in columns { g[j] = 0 }
            for r in 0..<b {
                let delta = row(deltas[l + 1], r, width: out)
                for j in columns { g[j] += delta[j] }
            }
        }
    }
}
