import EnergyCore
import Foundation

/// The parameter update rule of fine-tuning.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// SGD with momentum: v ← μ v − ε (g + λ w), w ← w + v.
    case sgd
    /// Adam (Kingma & Ba 2015): m ← β₁ m + (1 − β₁) g', s ← β₂ s + (1 − β₂) g'², w ← w − ε m̂ / (√ŝ + 10⁻⁸),
    /// with g' = g + λ w and bias-corrected m̂, ŝ.
    case adam
}

/// The optimiser's state: one velocity (SGD) or first and second moments (Adam) per parameter,
/// and optionally an exponential moving average of the parameters.
public struct OptimizerState: Equatable, Sendable {
    public var first: [[Float]]
    public var second: [[Float]]
    /// The moving average w̄ of every parameter (weights then bias of each layer); empty when not averaging.
    public var average: [[Float]]
    public var steps: Int

    /// Zero state for the parameters of `network` (weights then bias of each layer); with
    /// `averaging`, the average starts at the network's parameters.
    public init(for network: FeedForwardNetwork, averaging: Bool = false) {
        first = network.layers.flatMap { [[Float](repeating: 0, count: $0.weights.storage.count), [Float](repeating: 0, count: $0.bias.count)] }
        second = first
        average = averaging ? network.layers.flatMap { [$0.weights.storage, $0.bias] } : []
        steps = 0
    }

    /// The network with the averaged parameters, shaped like `network`; `network` itself when not averaging.
    public func averaged(like network: FeedForwardNetwork) -> FeedForwardNetwork {
        guard average.count == 2 * network.layers.count else { return network }
        return FeedForwardNetwork(layers: network.layers.indices.map { l in
            DenseLayer(weights: Matrix(rows: network.layers[l].inputs, columns: network.layers[l].outputs, storage: average[2 * l]),
                       bias: average[2 * l + 1])
        })
    }

    /// Applies one step to `network` from the gradients in `workspace`, then, when averaging, moves
    /// the average towards the new parameters: w̄ ← w̄ + (1 − α_t)(w − w̄) after step t, with
    /// α_t = min(α, (1 + t)/(10 + t)) and α = `averageDecay` (Polyak & Juditsky 1992, in its
    /// exponential form; the ramp is TensorFlow's `ExponentialMovingAverage` with `num_updates`, so
    /// that a short run averages over its last tenth rather than dragging its starting point along).
    ///
    /// With `fromLayer` f > 0 the layers below f are held fixed: their parameters, velocities,
    /// moments and averages are not touched (their gradients need not have been computed).
    ///
    /// The update is elementwise, so each parameter array is cut into one contiguous chunk per
    /// core and the chunks run concurrently; the result does not depend on the number of chunks.
    public mutating func step(_ network: inout FeedForwardNetwork, _ workspace: BackpropWorkspace, kind: OptimizerKind,
                              learningRate lr: Float, momentum mu: Float, weightDecay lambda: Float, averageDecay alpha: Float = 0,
                              fromLayer lowest: Int = 0) {
        steps += 1
        let beta1: Float = 0.9, beta2: Float = 0.999
        let c1 = 1 - Float(pow(Double(beta1), Double(steps))), c2 = 1 - Float(pow(Double(beta2), Double(steps)))
        // Parameters (weights then bias of each layer), gradients and state, as base addresses. The
        // mutable accessors make every array's storage unique first, so no copy shares the writes.
        var parameters: [(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                          s: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>?, count: Int, decay: Float)] = []
        let averaging = average.count == 2 * network.layers.count
        let alpha = min(alpha, (1 + Float(steps)) / (10 + Float(steps)))
        for l in network.layers.indices where l >= lowest {
            for part in 0..<2 {
                let k = 2 * l + part
                let w = part == 0 ? network.layers[l].weights.storage.withUnsafeMutableBufferPointer { $0.baseAddress! }
                                  : network.layers[l].bias.withUnsafeMutableBufferPointer { $0.baseAddress! }
                let g = part == 0 ? workspace.weightGradient[l] : workspace.biasGradient[l]
                let m = first[k].withUnsafeMutableBufferPointer { $0.baseAddress! }
                let s = kind == .adam ? second[k].withUnsafeMutableBufferPointer { $0.baseAddress! } : m
                let a = averaging ? average[k].withUnsafeMutableBufferPointer { $0.baseAddress! } : nil
                parameters.append((w, g.pointer, m, s, a, g.count, part == 0 ? lambda : 0))
            }
        }
        let chunks = workspace.blocks
        Parallel.run(workers: chunks) { chunk in
            for (w, g, m, s, a, count, decay) in parameters {
                let range = (chunk * count / chunks)..<((chunk + 1) * count / chunks)
                switch kind {
                case .sgd:
                    for i in range {
                        m[i] = mu * m[i] - lr * (g[i] + decay * w[i])
                        w[i] += m[i]
                    }
                case .adam:
                    for i in range {
                        let gi = g[i] + decay * w[i]
                        m[i] = beta1 * m[i] + (1 - beta1) * gi
                        s[i] = beta2 * s[i] + (1 - beta2) * gi * gi
                        w[i] -= lr * (m[i] / c1) / ((s[i] / c2).squareRoot() + 1e-8)
                    }
                }
                if let a {
                    for i in range { a[i] += (1 - alpha) * (w[i] - a[i]) }
                }
            }
        }
    }
}
