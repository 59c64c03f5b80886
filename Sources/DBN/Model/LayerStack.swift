import EnergyCore
import RBM

/// The stack of RBMs of a deep belief network (Hinton, Osindero & Teh 2006).
///
/// Layer k's hidden units are layer k+1's visible units, so consecutive RBMs must agree in size.
/// The recognition (up) pass maps data to the top layer through the hidden probabilities
/// P(h = 1 | v) = σ(b + vᵀW) of each RBM in turn: the deterministic up-pass used both for greedy
/// pretraining (each RBM is trained on the previous one's hidden probabilities) and to initialise
/// the unrolled feed-forward network for fine-tuning.
public struct LayerStack: Equatable, Sendable {
    /// The RBMs, bottom (data) first.
    public private(set) var layers: [RestrictedBoltzmannMachine]

    /// A stack of RBMs whose sizes chain.
    ///
    /// - Throws: `InputError` (naming `source`) when a layer's visible size differs from the previous
    ///   layer's hidden size, or when a layer above the first has Gaussian visible units.
    public init(_ layers: [RestrictedBoltzmannMachine], source: String = "model") throws {
        for k in layers.indices.dropFirst() {
            guard layers[k].visibleCount == layers[k - 1].hiddenCount else {
                throw InputError(file: source, .record(k), "layer \(k) has \(layers[k].visibleCount) visible units; "
                                 + "expected \(layers[k - 1].hiddenCount), the hidden units of layer \(k - 1)")
            }
            guard layers[k].visibleUnits == .bernoulli else {
                throw InputError(file: source, .record(k), "layer \(k) has Gaussian visible units; only the first layer may")
            }
        }
        self.layers = layers
    }

    /// The layer sizes, data first (e.g. [784, 500, 500, 2000]).
    public var sizes: [Int] { layers.isEmpty ? [] : [layers[0].visibleCount] + layers.map(\.hiddenCount) }

    /// The hidden probabilities of every layer for a batch of data rows, bottom first.
    public func upPass(_ data: Matrix<Float>) -> [Matrix<Float>] {
        var out: [Matrix<Float>] = []
        var x = data
        for rbm in layers {
            x = rbm.hiddenProbabilities(x)
            out.append(x)
        }
        return out
    }
}
