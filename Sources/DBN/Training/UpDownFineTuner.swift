import EnergyCore
import Foundation
import RBM

/// The up-down algorithm, a contrastive version of wake-sleep, that fine-tunes a DBN as a
/// generative model of images and labels (Hinton, Osindero & Teh 2006, "A fast learning algorithm
/// for deep belief nets", section 5 and appendix B; wake-sleep: Hinton, Dayan, Frey & Neal 1995).
///
/// Greedy pretraining ties each lower layer's recognition (up) weights R to its generative (down)
/// weights G. Up-down unties them and, per mini-batch of images v⁰ with one-hot labels y:
///
/// 1. **Wake (up) pass.** Binary states sampled bottom up with R: s¹ ~ σ(b⁰ + s⁰R⁰), …, up to the
///    penultimate layer p, with s⁰ = v⁰. The generative weights learn to reconstruct each layer
///    from the one above: G^k += ε (s^k − q^k)ᵀ s^{k+1} / B, a^k += ε mean(s^k − q^k), with the
///    prediction q^k = σ(a^k + s^{k+1} G^kᵀ).
/// 2. **The top RBM** (the associative memory over [p, y]) gets a CD-`topSteps` update started at
///    [p, y]: W += ε (v₊ᵀh₊ − v₋ᵀh₋) / B and its biases alike. In the negative phase the penultimate
///    units are Bernoulli and the label units a softmax, as in the paper.
/// 3. **Sleep (down) pass** from the negative phase's penultimate state, with G: s̃^k ~ σ(a^k +
///    s̃^{k+1} G^kᵀ) (probabilities at the data layer). The recognition weights learn to predict each
///    layer from the one below: R^k += ε s̃^kᵀ (s̃^{k+1} − r^{k+1}) / B, b^k += ε mean(s̃^{k+1} −
///    r^{k+1}), with r^{k+1} = σ(b^k + s̃^k R^k).
///
/// The classifier is not changed: this fine-tunes the generative model that `DBNSampler` draws
/// from. Its measure is `GenerativeReconstruction` (and the classifier-judged fidelity of samples).
public final class UpDownFineTuner {
    /// The settings of up-down fine-tuning.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Passes over the training images.
        public var epochs: Int
        public var batchSize: Int
        /// ε of every update. Default 0.01: on the toy problem of the tests 0.01 lowers the
        /// reconstruction error steadily, and the paper's fine-tuning used small rates after pretraining.
        public var learningRate: Double
        /// Gibbs steps of the top RBM's negative phase. Default 10, the last (and longest) of the paper's
        /// CD-3, CD-6, CD-10 schedule.
        public var topSteps: Int

        public init(epochs: Int = 10, batchSize: Int = 100, learningRate: Double = 0.01, topSteps: Int = 10) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.topSteps = topSteps
        }

        /// Throws `ConfigurationError` naming the field of the first unusable setting.
        public func validate() throws {
            guard epochs >= 1 else { throw ConfigurationError(field: "epochs", "expected at least 1 epoch, got \(epochs)") }
            guard batchSize >= 1 else { throw ConfigurationError(field: "batchSize", "expected a batch of at least 1, got \(batchSize)") }
            guard learningRate > 0, learningRate.isFinite else {
                throw ConfigurationError(field: "learningRate", "expected a learning rate > 0, got \(learningRate)")
            }
            guard topSteps >= 1 else { throw ConfigurationError(field: "topSteps", "expected at least 1 Gibbs step, got \(topSteps)") }
        }
    }

    /// What one epoch did.
    public struct EpochReport: Codable, Sendable {
        /// The epoch just finished, 1-based.
        public var epoch: Int
        /// `GenerativeReconstruction.error` of the training images after the epoch.
        public var reconstructionError: Double
        public var seconds: Double
    }

    public let configuration: Configuration
    public let random: RandomSource

    /// - Throws: `ConfigurationError` naming the field of an unusable setting.
    public init(configuration: Configuration, random: RandomSource) throws {
        try configuration.validate()
        self.configuration = configuration
        self.random = random
    }

    /// Fine-tunes `stack` (which must have a generative top: label units) on `data` with one label
    /// per row, and returns it with untied recognition weights.
    ///
    /// - Throws: `InputError` naming `source` when the stack has no label units or the data does
    ///   not fit it; `NumericalError` when a parameter becomes NaN or infinite (the stack given is
    ///   then the last good one).
    public func train(_ stack: LayerStack, data: Matrix<Float>, labels: [Int], source: String = "model",
                      progress: (any ProgressObserver)? = nil, onEpoch: (EpochReport) throws -> Void = { _ in }) throws -> LayerStack {
        guard stack.labelUnits > 0, let top = stack.layers.last else {
            throw InputError(file: source, "up-down fine-tuning needs a generative top layer (label units); the model has none")
        }
        guard let first = stack.layers.first, data.columns == first.visibleCount - (stack.layers.count == 1 ? stack.labelUnits : 0) else {
            throw InputError(file: "data", "has \(data.columns) values per example; the model's data layer has \(stack.sizes.first ?? 0)")
        }
        try Classification.checkLabels(labels, rows: data.rows, classes: stack.labelUnits)
        var state = State(stack)
        let batches = (data.rows + configuration.batchSize - 1) / configuration.batchSize
        progress?.begin("up-down fine-tuning", total: batches * configuration.epochs)
        defer { progress?.end() }
        var current = stack
        for epoch in 1...configuration.epochs {
            let start = Date()
            let order = random.permutation(data.rows)
            var workspace = Workspace(state, top: top, rows: configuration.batchSize, labelUnits: stack.labelUnits)
            var b = 0
            while b < data.rows {
                let rows = Array(order[b..<min(b + configuration.batchSize, data.rows)])
                if rows.count != workspace.rows { workspace = Workspace(state, top: top, rows: rows.count, labelUnits: stack.labelUnits) }
                step(&state, &workspace, data: data, labels: labels, rows: rows, labelUnits: stack.labelUnits)
                b += rows.count
                progress?.advance(by: 1)
            }
            guard state.isFinite else {
                throw NumericalError("up-down fine-tuning diverged in epoch \(epoch) (a parameter became NaN or infinite); "
                                     + "lower learningRate (the stack of epoch \(epoch - 1) is kept)")
            }
            current = try state.stack(like: stack)
            let error = GenerativeReconstruction.error(current, data: data, labels: labels)
            try onEpoch(EpochReport(epoch: epoch, reconstructionError: error, seconds: Date().timeIntervalSince(start)))
        }
        return current
    }

    /// The parameters being trained: per lower layer G, a (generative) and R, b (recognition); the top RBM.
    struct State {
        var generative: [Matrix<Float>], generativeBias: [[Float]]
        var recognition: [Matrix<Float>], recognitionBias: [[Float]]
        var top: RestrictedBoltzmannMachine

        init(_ stack: LayerStack) {
            let lower = stack.layers.dropLast()
            generative = lower.map(\.weights)
            generativeBias = lower.map(\.visibleBias)
            recognition = stack.recognitionWeights ?? lower.map(\.weights)
            recognitionBias = lower.map(\.hiddenBias)
            top = stack.layers[stack.layers.count - 1]
        }

        var isFinite: Bool {
            generative.allSatisfy(\.isFinite) && recognition.allSatisfy(\.isFinite) && generativeBias.allSatisfy(\.allFinite)
                && recognitionBias.allSatisfy(\.allFinite) && top.weights.isFinite && top.visibleBias.allFinite && top.hiddenBias.allFinite
        }

        func stack(like old: LayerStack) throws -> LayerStack {
            var layers = old.layers
            for k in generative.indices {
                layers[k] = RestrictedBoltzmannMachine(weights: generative[k], visibleBias: generativeBias[k],
                                                       hiddenBias: recognitionBias[k], visibleUnits: layers[k].visibleUnits)
            }
            layers[layers.count - 1] = top
            return try old.updating(layers: layers, recognitionWeights: recognition)
        }
    }

    /// Preallocated batch matrices: the wake states s^k, the sleep states s̃^k, the predictions, and
    /// the top RBM's phases; reallocated only when the batch size changes (the last batch).
    struct Workspace {
        let rows: Int
        var wake: [Matrix<Float>], sleep: [Matrix<Float>], prediction: [Matrix<Float>]
        var positive: Matrix<Float>, negative: Matrix<Float>, hiddenPositive: Matrix<Float>, hiddenNegative: Matrix<Float>

        init(_ state: State, top: RestrictedBoltzmannMachine, rows: Int, labelUnits: Int) {
            self.rows = rows
            let sizes = state.generative.map(\.rows) + [top.visibleCount - labelUnits]
            wake = sizes.map { Matrix(rows: rows, columns: $0) }
            sleep = sizes.map { Matrix(rows: rows, columns: $0) }
            prediction = sizes.map { Matrix(rows: rows, columns: $0) }
            positive = Matrix(rows: rows, columns: top.visibleCount)
            negative = Matrix(rows: rows, columns: top.visibleCount)
            hiddenPositive = Matrix(rows: rows, columns: top.hiddenCount)
            hiddenNegative = Matrix(rows: rows, columns: top.hiddenCount)
        }
    }

    /// One mini-batch of the three phases.
    private func step(_ s: inout State, _ w: inout Workspace, data: Matrix<Float>, labels: [Int], rows: [Int], labelUnits: Int) {
        let lower = s.generative.count, n = Float(rows.count), eps = Float(configuration.learningRate) / n
        let pen = s.top.visibleCount - labelUnits
        // Wake: a stochastic up pass with the recognition weights.
        w.wake[0].gatherRows(from: data, rows)
        for k in 0..<lower {
            w.wake[k + 1].multiply(w.wake[k], s.recognition[k])
            w.wake[k + 1].addToEachRow(s.recognitionBias[k])
            w.wake[k + 1].applyLogistic()
            random.sampleBernoulli(&w.wake[k + 1].storage)
        }
        // The top RBM: CD-topSteps from [p, y].
        for (i, r) in rows.enumerated() {
            for j in 0..<pen { w.positive[i, j] = w.wake[lower][i, j] }
            for c in 0..<labelUnits { w.positive[i, pen + c] = c == labels[r] ? 1 : 0 }
        }
        s.top.hiddenProbabilities(w.positive, into: &w.hiddenPositive)
        w.hiddenNegative.copyValues(from: w.hiddenPositive)
        for _ in 0..<configuration.topSteps {
            random.sampleBernoulli(&w.hiddenNegative.storage)
            s.top.visibleMeans(w.hiddenNegative, into: &w.negative)
            sampleTopVisible(&w.negative, hidden: w.hiddenNegative, top: s.top, pen: pen, labelUnits: labelUnits)
            s.top.hiddenProbabilities(w.negative, into: &w.hiddenNegative)
        }
        s.top.weights.multiply(w.positive, w.hiddenPositive, transposeA: true, alpha: eps, beta: 1)
        s.top.weights.multiply(w.negative, w.hiddenNegative, transposeA: true, alpha: -eps, beta: 1)
        w.positive.addColumnSums(into: &s.top.visibleBias, alpha: eps)
        w.negative.addColumnSums(into: &s.top.visibleBias, alpha: -eps)
        w.hiddenPositive.addColumnSums(into: &s.top.hiddenBias, alpha: eps)
        w.hiddenNegative.addColumnSums(into: &s.top.hiddenBias, alpha: -eps)
        // Generative updates from the wake states: G^k += ε (s^k − q^k)ᵀ s^{k+1}.
        for k in 0..<lower {
            predictDown(&w.prediction[k], from: w.wake[k + 1], s.generative[k], s.generativeBias[k])
            w.prediction[k].combine(with: w.wake[k]) { q, target in target - q }
            s.generative[k].multiply(w.prediction[k], w.wake[k + 1], transposeA: true, alpha: eps, beta: 1)
            w.prediction[k].addColumnSums(into: &s.generativeBias[k], alpha: eps)
        }
        // Sleep: a stochastic down pass from the negative phase's penultimate state.
        for i in 0..<rows.count { for j in 0..<pen { w.sleep[lower][i, j] = w.negative[i, j] } }
        for k in stride(from: lower - 1, through: 0, by: -1) {
            predictDown(&w.sleep[k], from: w.sleep[k + 1], s.generative[k], s.generativeBias[k])
            if k > 0 { random.sampleBernoulli(&w.sleep[k].storage) }
        }
        // Recognition updates from the sleep states: R^k += ε s̃^kᵀ (s̃^{k+1} − r^{k+1}).
        for k in 0..<lower {
            w.prediction[k + 1].multiply(w.sleep[k], s.recognition[k])
            w.prediction[k + 1].addToEachRow(s.recognitionBias[k])
            w.prediction[k + 1].applyLogistic()
            w.prediction[k + 1].combine(with: w.sleep[k + 1]) { r, target in target - r }
            s.recognition[k].multiply(w.sleep[k], w.prediction[k + 1], transposeA: true, alpha: eps, beta: 1)
            w.prediction[k + 1].addColumnSums(into: &s.recognitionBias[k], alpha: eps)
        }
    }

    /// q ← σ(a + s Gᵀ), the generative prediction of a layer from the one above.
    private func predictDown(_ q: inout Matrix<Float>, from above: Matrix<Float>, _ g: Matrix<Float>, _ a: [Float]) {
        q.multiply(above, g, transposeB: true)
        q.addToEachRow(a)
        q.applyLogistic()
    }

    /// Samples the top RBM's visible state given hidden states `h`, in place of its means `v`:
    /// Bernoulli for the penultimate units, and one class from the softmax of the label units'
    /// inputs x_c = a_c + Σ_j W_cj h_j.
    private func sampleTopVisible(_ v: inout Matrix<Float>, hidden h: Matrix<Float>, top: RestrictedBoltzmannMachine, pen: Int, labelUnits: Int) {
        let columns = v.columns, hiddenCount = h.columns
        var inputs = [Double](repeating: 0, count: labelUnits)
        v.storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<v.rows {
                random.sampleBernoulli(UnsafeMutableBufferPointer(rebasing: p[(r * columns)..<(r * columns + pen)]))
                for c in 0..<labelUnits {
                    var x = Double(top.visibleBias[pen + c])
                    for j in 0..<hiddenCount { x += Double(top.weights.storage[(pen + c) * hiddenCount + j] * h.storage[r * hiddenCount + j]) }
                    inputs[c] = x
                }
                let largest = inputs.max() ?? 0
                var total = 0.0
                for c in 0..<labelUnits { inputs[c] = Foundation.exp(inputs[c] - largest); total += inputs[c] }
                var u = random.uniform() * total, chosen = labelUnits - 1
                for c in 0..<labelUnits {
                    u -= inputs[c]
                    if u < 0 { chosen = c; break }
                }
                for c in 0..<labelUnits { p[r * columns + pen + c] = c == chosen ? 1 : 0 }
            }
        }
    }
}
