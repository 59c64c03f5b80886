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

/// The optimiser's state: one velocity (SGD) or first and second moments (Adam) per parameter.
public struct OptimizerState: Equatable, Sendable {
    public var first: [[Float]]
    public var second: [[Float]]
    public var steps: Int

    /// Zero state for the parameters of `network` (weights then bias of each layer).
    public init(for network: FeedForwardNetwork) {
        first = network.layers.flatMap { [[Float](repeating: 0, count: $0.weights.storage.count), [Float](repeating: 0, count: $0.bias.count)] }
        second = first
        steps = 0
    }

    /// Applies one step to `network` from the gradients in `workspace`.
    public mutating func step(_ network: inout FeedForwardNetwork, _ workspace: BackpropWorkspace, kind: OptimizerKind,
                              learningRate lr: Float, momentum mu: Float, weightDecay lambda: Float) {
        steps += 1
        let beta1: Float = 0.9, beta2: Float = 0.999
        let c1 = 1 - Float(pow(Double(beta1), Double(steps))), c2 = 1 - Float(pow(Double(beta2), Double(steps)))
        for l in network.layers.indices {
            for part in 0..<2 {
                let k = 2 * l + part
                let decay = part == 0 ? lambda : 0
                func update(_ w: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) {
                    first[k].withUnsafeMutableBufferPointer { m in
                        switch kind {
                        case .sgd:
                            for i in w.indices {
                                m[i] = mu * m[i] - lr * (g[i] + decay * w[i])
                                w[i] += m[i]
                            }
                        case .adam:
                            second[k].withUnsafeMutableBufferPointer { s in
                                for i in w.indices {
                                    let gi = g[i] + decay * w[i]
                                    m[i] = beta1 * m[i] + (1 - beta1) * gi
                                    s[i] = beta2 * s[i] + (1 - beta2) * gi * gi
                                    w[i] -= lr * (m[i] / c1) / ((s[i] / c2).squareRoot() + 1e-8)
                                }
                            }
                        }
                    }
                }
                if part == 0 {
                    let g = UnsafeBufferPointer(workspace.weightGradient[l].buffer)
                    network.layers[l].weights.storage.withUnsafeMutableBufferPointer { w in update(w, g) }
                } else {
                    let g = UnsafeBufferPointer(workspace.biasGradient[l].buffer)
                    network.layers[l].bias.withUnsafeMutableBufferPointer { w in update(w, g) }
                }
            }
        }
    }
}
