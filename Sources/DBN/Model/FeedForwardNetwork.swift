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

    /// Rows evaluated together by `probabilities`: a fixed number, so that the result does not
    /// depend on the number of cores.
    static let inferenceRows = 256

    /// Class probabilities for each row of `x` (which must have `sizes[0]` columns): the forward
    /// pass of training without dropout, on blocks of `inferenceRows` rows spread over the cores.
    public func probabilities(_ x: Matrix<Float>) -> Matrix<Float> {
        precondition(x.columns == sizes.first, "probabilities: \(x.columns) inputs, the network has \(sizes.first ?? 0)")
        var out = Matrix<Float>(rows: x.rows, columns: classes)
        guard x.rows > 0 else { return out }
        // Activations 0 (the input) … depth (the output); the hidden ones of a block live in each
        // worker's scratch, layer l at offset[l].
        let parameters = ParameterPointers(self), sizes = parameters.sizes, depth = layers.count
        var offset = [Int](repeating: 0, count: depth + 1)
        for l in 1..<depth { offset[l + 1] = offset[l] + Self.inferenceRows * sizes[l] }
        let blocks = (x.rows + Self.inferenceRows - 1) / Self.inferenceRows
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, blocks)
        x.storage.withUnsafeBufferPointer { px in
            out.storage.withUnsafeMutableBufferPointer { po in
                // The input is only read: without dropout, the kernel never writes layer 0.
                guard let input = px.baseAddress.map(UnsafeMutablePointer.init(mutating:)), let output = po.baseAddress else { return }
                Parallel.run(workers: workers) { worker in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(offset[depth], 1))
                    defer { scratch.deallocate() }
                    for block in stride(from: worker, to: blocks, by: workers) {
                        let r0 = block * Self.inferenceRows, m = min(Self.inferenceRows, x.rows - r0)
                        Self.forward(parameters, rows: m) { l in
                            if l == 0 { return (input + r0 * sizes[0], nil) }
                            if l == depth { return (output + r0 * sizes[depth], nil) }
                            return (scratch + offset[l], nil)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The mean cross-entropy of `labels` under the network, in nats.
    public func loss(_ x: Matrix<Float>, labels: ArraySlice<Int>) -> Double {
        let p = probabilities(x)
        var total = 0.0
        for (r, y) in labels.enumerated() { total -= log(max(Double(p[r, y]), 1e-30)) }
        return total / Double(labels.count)
    }
}

// MARK: - The forward kernel

extension FeedForwardNetwork {
    /// Base addresses of every layer's weights and bias, for the kernels. The network must stay
    /// unchanged while they are in use (its arrays are not copied).
    struct ParameterPointers {
        let weights: [UnsafePointer<Float>]
        let biases: [UnsafePointer<Float>]
        /// The layer sizes, input first.
        let sizes: [Int]

        init(_ network: FeedForwardNetwork) {
            weights = network.layers.map { layer in layer.weights.storage.withUnsafeBufferPointer { $0.baseAddress! } }
            biases = network.layers.map { layer in layer.bias.withUnsafeBufferPointer { $0.baseAddress! } }
            sizes = network.sizes
        }
    }

    /// The forward pass of `m` rows through every layer: the one implementation, for training
    /// (`backpropagate`) and for inference (`probabilities`).
    ///
    /// `buffers(l)` gives where layer l's activations live (m rows of `sizes[l]`, row-major; l = 0
    /// is the input, already filled) and, for l below the top, where its dropout mask goes. For each
    /// layer, in this order: with a `stream` and a drop probability p > 0 (`dropout.input` for the
    /// input, `dropout.hidden` above), its input is dropped out in place and the mask kept; then
    /// z ← b in every row and z ← a W + z, one single-threaded GEMM; then the logistic sigmoid, or
    /// at the top the softmax. No allocation.
    static func forward(_ p: ParameterPointers, rows m: Int, dropout: (input: Double, hidden: Double) = (0, 0), stream: RandomSource? = nil,
                        buffers: (Int) -> (activation: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>?)) {
        let top = p.weights.count - 1
        for l in 0...top {
            let n = p.sizes[l], out = p.sizes[l + 1]
            let (a, mask) = buffers(l)
            let probability = l == 0 ? dropout.input : dropout.hidden
            if probability > 0, let stream, let mask {
                stream.applyDropout(UnsafeMutableBufferPointer(start: a, count: m * n),
                                    mask: UnsafeMutableBufferPointer(start: mask, count: m * n), probability: probability)
            }
            let z = buffers(l + 1).activation
            for i in 0..<m { (z + i * out).update(from: p.biases[l], count: out) }
            Float.gemm(transposeA: false, transposeB: false, m: m, n: out, k: n, alpha: 1, a: a, lda: n,
                       b: p.weights[l], ldb: out, beta: 1, c: z, ldc: out)
            if l == top {
                softmaxRows(z, rows: m, columns: out)
            } else {
                applyLogistic(UnsafeMutableBufferPointer(start: z, count: m * out))
            }
        }
    }

    /// Softmax of each of `rows` rows of `columns` values at `z`, in place: exp(z − max) / Σ exp(z − max).
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
}
