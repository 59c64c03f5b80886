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
    /// Label units appended to the top RBM's visible layer (0 without a generative top): the
    /// associative memory of Hinton, Osindero & Teh (2006), whose visible units are the
    /// penultimate layer joined to a one-hot label.
    public let labelUnits: Int
    /// The recognition (up) weights of the layers below the top, once up-down fine-tuning has untied
    /// them from the generative (down) weights (Hinton, Osindero & Teh 2006, section 5); nil while
    /// they are tied, as after greedy pretraining. When present, layer k's `weights` and
    /// `visibleBias` are its generative weights and biases, its `hiddenBias` the recognition bias,
    /// and `recognitionWeights[k]` (the same shape as `weights`) the recognition weights.
    public private(set) var recognitionWeights: [Matrix<Float>]?

    /// A stack of RBMs whose sizes chain.
    ///
    /// - Throws: `InputError` (naming `source`) when a layer's visible size differs from the previous
    ///   layer's hidden size (plus `labelUnits` for the top layer), when a layer above the first has
    ///   Gaussian visible units, or when `recognitionWeights` are not one matrix of the layer's shape,
    ///   with finite values, per layer below the top.
    public init(_ layers: [RestrictedBoltzmannMachine], labelUnits: Int = 0, recognitionWeights: [Matrix<Float>]? = nil,
                source: String = "model") throws {
        if let recognitionWeights {
            guard recognitionWeights.count == max(0, layers.count - 1) else {
                throw InputError(file: source, "\(recognitionWeights.count) recognition weight matrices: expected one per layer below the top, \(max(0, layers.count - 1))")
            }
            for (k, r) in recognitionWeights.enumerated() {
                guard r.rows == layers[k].visibleCount, r.columns == layers[k].hiddenCount else {
                    throw InputError(file: source, .record(k), "recognition weights of layer \(k) are \(r.rows)×\(r.columns); expected "
                                     + "\(layers[k].visibleCount)×\(layers[k].hiddenCount), the layer's generative weights")
                }
                guard r.isFinite else { throw InputError(file: source, .record(k), "recognition weights of layer \(k) hold NaN or infinite values") }
            }
        }
        self.recognitionWeights = recognitionWeights
        guard labelUnits >= 0, labelUnits <= (layers.last?.visibleCount ?? 0) else {
            throw InputError(file: source, "\(labelUnits) label units: expected 0 to the \(layers.last?.visibleCount ?? 0) visible units of the top layer")
        }
        for k in layers.indices.dropFirst() {
            let extra = k == layers.count - 1 ? labelUnits : 0
            guard layers[k].visibleCount == layers[k - 1].hiddenCount + extra else {
                throw InputError(file: source, .record(k), "layer \(k) has \(layers[k].visibleCount) visible units; "
                                 + "expected \(layers[k - 1].hiddenCount + extra), the hidden units of layer \(k - 1)"
                                 + (extra > 0 ? " plus \(extra) label units" : ""))
            }
            guard layers[k].visibleUnits == .bernoulli else {
                throw InputError(file: source, .record(k), "layer \(k) has Gaussian visible units; only the first layer may")
            }
        }
        self.layers = layers
        self.labelUnits = labelUnits
    }

    /// The layer sizes, data first (e.g. [784, 500, 500, 2000]); label units are not counted.
    public var sizes: [Int] {
        guard let first = layers.first else { return [] }
        return [first.visibleCount - (layers.count == 1 ? labelUnits : 0)] + layers.map(\.hiddenCount)
    }

    /// The RBMs as the recognition (up) pass sees them: with the label units of a generative top
    /// off, its label rows of W and their visible biases play no part and are dropped.
    /// The layers below the top use their recognition weights when up-down fine-tuning has untied them.
    public var recognitionLayers: [RestrictedBoltzmannMachine] {
        var lower = Array(layers.dropLast())
        if let recognitionWeights {
            for k in lower.indices { lower[k].weights = recognitionWeights[k] }
        }
        guard let top = layers.last else { return lower }
        guard labelUnits > 0 else { return lower + [top] }
        let n = top.visibleCount - labelUnits
        return lower + [RestrictedBoltzmannMachine(weights: top.weights.rows(0..<n), visibleBias: Array(top.visibleBias[0..<n]),
                                                   hiddenBias: top.hiddenBias, visibleUnits: top.visibleUnits)]
    }

    /// The stack with other parameters of the same shapes: `layers` (generative weights below the
    /// top) and untied `recognitionWeights`, as up-down fine-tuning leaves them.
    ///
    /// - Throws: `InputError` when the shapes differ from this stack's.
    public func updating(layers new: [RestrictedBoltzmannMachine], recognitionWeights: [Matrix<Float>]) throws -> LayerStack {
        guard new.map(\.weights.rows) == layers.map(\.weights.rows), new.map(\.weights.columns) == layers.map(\.weights.columns) else {
            throw InputError(file: "model", "the updated layers are not of the stack's shapes")
        }
        return try LayerStack(new, labelUnits: labelUnits, recognitionWeights: recognitionWeights)
    }

    /// The hidden probabilities of every layer for a batch of data rows, bottom first (label units
    /// of a generative top off).
    public func upPass(_ data: Matrix<Float>) -> [Matrix<Float>] {
        var out: [Matrix<Float>] = []
        var x = data
        for rbm in recognitionLayers {
            x = rbm.hiddenProbabilities(x)
            out.append(x)
        }
        return out
    }
}
