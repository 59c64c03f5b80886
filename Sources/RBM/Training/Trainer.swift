import EnergyCore
import Foundation

/// What one epoch of training did.
public struct EpochReport: Sendable, Codable {
    /// The epoch just finished, 1-based.
    public var epoch: Int
    public var learningRate: Double
    public var momentum: Double
    /// Mean squared reconstruction error per example, Σᵢ (vᵢ − E[vᵢ | P(h | v)])², on a fixed
    /// subset of up to 1000 training examples.
    public var reconstructionError: Double
    /// Mean free energy F(v) of that training subset.
    public var freeEnergyTrain: Double
    /// Mean free energy of the validation data; a growing gap to the training value shows overfitting
    /// (Hinton 2010 §6).
    public var freeEnergyValidation: Double?
    /// Stochastic pseudo-log-likelihood per example on the training subset (Bernoulli units only).
    public var pseudoLikelihood: Double?
    /// Wall-clock seconds of the epoch's updates.
    public var seconds: Double
}

/// Training of an RBM by contrastive divergence (Hinton 2002) or persistent contrastive divergence
/// (Tieleman 2008), on mini-batches, in Float32 with every product a BLAS GEMM.
///
/// For a mini-batch of B examples with hidden probabilities p₀ = P(h | v₀) and negative samples
/// (v⁻, p⁻ = P(h | v⁻)) from the Gibbs chains, the updates are
///
///     ΔW ← μ ΔW + ε [ (v₀ᵀ p₀) / B − (v⁻ᵀ p⁻) / C − λ W ]
///     Δa ← μ Δa + ε [ mean(v₀) − mean(v⁻) ]
///     Δb ← μ Δb + ε [ mean(p₀) − mean(p⁻) ]
///
/// with momentum μ, learning rate ε, weight decay λ, and C the number of negative samples (B for
/// CD, the number of chains for PCD). With a sparsity target p and cost c, a running mean q of each
/// hidden unit's activation adds −ε c (q − p) to the hidden biases and −ε c mean(v₀)(q − p)ᵀ to W
/// (Hinton 2010 §11).
///
/// Every random draw comes from one `RandomSource`; with its state saved in a checkpoint, a
/// resumed run continues bit for bit.
public final class RBMTrainer {
    /// The model being trained.
    public private(set) var model: RestrictedBoltzmannMachine
    /// The settings.
    public let configuration: TrainingConfiguration
    /// Epochs completed so far.
    public internal(set) var epochsDone: Int
    /// The run's random stream.
    public let random: RandomSource

    var weightVelocity: Matrix<Float>
    var visibleVelocity: [Float]
    var hiddenVelocity: [Float]
    /// The persistent chains' visible states (PCD only).
    var chains: Matrix<Float>?
    /// Running mean activation of each hidden unit (sparsity).
    var hiddenActivity: [Float]

    /// The mini-batch buffers, reused across batches.
    private var step: MiniBatchStep?
    /// Blocks each mini-batch is split into: one per core, so results depend on the seed and the
    /// core count (see `MiniBatchStep`).
    let blocks = ProcessInfo.processInfo.activeProcessorCount

    /// A trainer starting from `model` (see `RestrictedBoltzmannMachine.initialized`).
    public init(model: RestrictedBoltzmannMachine, configuration: TrainingConfiguration, random: RandomSource) throws {
        try configuration.validate()
        self.model = model
        self.configuration = configuration
        self.random = random
        self.epochsDone = 0
        weightVelocity = Matrix(rows: model.visibleCount, columns: model.hiddenCount)
        visibleVelocity = [Float](repeating: 0, count: model.visibleCount)
        hiddenVelocity = [Float](repeating: 0, count: model.hiddenCount)
        hiddenActivity = [Float](repeating: Float(configuration.sparsityTarget ?? 0), count: model.hiddenCount)
    }

    /// Trains one epoch over `data` (one example per row) in a fresh random order.
    ///
    /// - Throws: `NumericalError` when an update produces NaN or infinity; the trainer then holds
    ///   the diverged parameters and must not be checkpointed.
    public func trainEpoch(_ data: Matrix<Float>, validation: Matrix<Float>? = nil,
                           progress: (any ProgressObserver)? = nil) throws -> EpochReport {
        let epoch = epochsDone
        let lr = configuration.learningRate(epoch: epoch), mu = configuration.momentum(epoch: epoch)
        let start = Date()
        if case .persistent(let c, _) = configuration.sampling, chains == nil {
            // Chains start from random training examples.
            chains = data.gatherRows((0..<c).map { _ in random.integer(below: data.rows) })
        }
        let order = random.permutation(data.rows)
        var batch = 0
        progress?.begin("epoch \(epoch + 1)/\(configuration.epochs)", total: (data.rows + configuration.batchSize - 1) / configuration.batchSize)
        defer { progress?.end() }
        for first in stride(from: 0, to: data.rows, by: configuration.batchSize) {
            let indices = order[first..<min(first + configuration.batchSize, data.rows)]
            batch += 1
            do {
                try update(data, indices, learningRate: Float(lr), momentum: Float(mu))
            } catch is NumericalError {
                throw diverged(epoch: epoch, batch: batch, learningRate: lr)
            }
            progress?.advance(by: 1)
        }
        guard model.weights.isFinite else { throw diverged(epoch: epoch, batch: batch, learningRate: lr) }
        let seconds = Date().timeIntervalSince(start)
        epochsDone += 1
        return evaluate(data, validation: validation, learningRate: lr, momentum: mu, seconds: seconds)
    }

    private func diverged(epoch: Int, batch: Int, learningRate lr: Double) -> NumericalError {
        NumericalError("training diverged in epoch \(epoch + 1), mini-batch \(batch): the parameters became NaN or infinite "
                       + "(learning rate \(lr)); try a smaller --lr")
    }

    private func update(_ data: Matrix<Float>, _ indices: ArraySlice<Int>, learningRate lr: Float, momentum mu: Float) throws {
        let b = indices.count
        let negatives: Int, k: Int
        switch configuration.sampling {
        case .contrastiveDivergence(let steps): (negatives, k) = (b, steps)
        case .persistent(let c, let steps): (negatives, k) = (c, steps)
        }
        if step == nil || step?.positives != b || step?.negatives != negatives {
            step = MiniBatchStep(visible: model.visibleCount, hidden: model.hiddenCount, positives: b, negatives: negatives, blocks: blocks)
        }
        guard let step else { return }
        let streams = random.fork(step.blocks)
        let v = model.visibleCount, h = model.hiddenCount, all = b + negatives
        let decay = lr * Float(configuration.weightDecay), rate = lr / Float(b)
        let gaussian = model.visibleUnits == .gaussian

        // Move the parameters out of their owners so that raw pointers can be shared by the workers.
        var weights = model.weights.storage, a = model.visibleBias, hb = model.hiddenBias
        var velocity = weightVelocity.storage, va = visibleVelocity, vb = hiddenVelocity
        var chainStates = chains?.storage
        model.weights.storage = []; model.visibleBias = []; model.hiddenBias = []
        weightVelocity.storage = []; visibleVelocity = []; hiddenVelocity = []; chains?.storage = []
        defer {
            model.weights.storage = weights; model.visibleBias = a; model.hiddenBias = hb
            weightVelocity.storage = velocity; visibleVelocity = va; hiddenVelocity = vb
            if let chainStates { chains?.storage = chainStates }
        }
        weights.withUnsafeMutableBufferPointer { pw in
        a.withUnsafeMutableBufferPointer { pa in
        hb.withUnsafeMutableBufferPointer { pb in
        velocity.withUnsafeMutableBufferPointer { pvw in
        va.withUnsafeMutableBufferPointer { pva in
        vb.withUnsafeMutableBufferPointer { pvb in
        data.storage.withUnsafeBufferPointer { pd in
            let parameters = Conditionals(weights: pw.baseAddress, visibleBias: pa.baseAddress, hiddenBias: pb.baseAddress,
                                          visibleCount: v, hiddenCount: h, gaussianVisible: gaussian)
            let chainPointer = chainStates?.withUnsafeMutableBufferPointer { $0.baseAddress }
            Parallel.run(workers: step.blocks) { w in
                step.sample(block: w, data: pd.baseAddress!, batch: indices, chains: chainPointer, steps: k,
                            model: parameters, random: streams[w])
            }
            let sparsity = sparsityCorrection(step, learningRate: lr)
            // ΔW ← μ ΔW + (ε/B) [v₀; v⁻]ᵀ [p₀; −(B/C) p⁻] − ελW (plus the sparsity term); W ← W + ΔW.
            Parallel.run(workers: step.blocks) { w in
                let columns = step.block(w, of: h)
                guard !columns.isEmpty else { return }
                let n = columns.count, c0 = columns.lowerBound
                Float.gemm(transposeA: true, transposeB: false, m: v, n: n, k: all, alpha: rate,
                           a: step.visible, lda: v, b: step.hidden + c0, ldb: h, beta: mu, c: pvw.baseAddress! + c0, ldc: h)
                for i in 0..<v {
                    let vel = pvw.baseAddress! + i * h + c0, wt = pw.baseAddress! + i * h + c0
                    if let sparsity {
                        let visibleTerm = -sparsity.cost * sparsity.visibleMean[i]
                        for j in 0..<n { vel[j] += visibleTerm * sparsity.excess[c0 + j] }
                    }
                    for j in 0..<n {
                        let d = vel[j] - decay * wt[j]
                        vel[j] = d
                        wt[j] += d
                    }
                }
                // Bias gradients: column sums, accumulated row by row for contiguous access.
                var sums = [Float](repeating: 0, count: n)
                for r in 0..<all {
                    let row = step.hidden + r * h + c0
                    for j in 0..<n { sums[j] += row[j] }
                }
                for j in columns {
                    var d = mu * pvb[j] + rate * sums[j - c0]
                    if let sparsity { d -= sparsity.cost * sparsity.excess[j] }
                    pvb[j] = d
                    pb[j] += d
                }
                let visibleColumns = step.block(w, of: v), i0 = visibleColumns.lowerBound
                let negativeScale = -Float(b) / Float(negatives)
                var positive = [Float](repeating: 0, count: visibleColumns.count), negative = positive
                for r in 0..<all {
                    let row = step.visible + r * v + i0
                    if r < b {
                        for i in 0..<visibleColumns.count { positive[i] += row[i] }
                    } else {
                        for i in 0..<visibleColumns.count { negative[i] += row[i] }
                    }
                }
                for i in visibleColumns {
                    let d = mu * pva[i] + rate * (positive[i - i0] + negativeScale * negative[i - i0])
                    pva[i] = d
                    pa[i] += d
                }
            }
        }}}}}}}
        guard step.hiddenIsFinite(), a.allFinite, hb.allFinite else {
            throw NumericalError("the hidden probabilities or biases became NaN or infinite")
        }
    }

    /// The sparsity term of Hinton (2010 §11) for this batch, updating the running activity q:
    /// q ← 0.9 q + 0.1 mean(p₀); the excess q − p enters ΔW as −ε c mean(v₀)(q − p)ᵀ and Δb as −ε c (q − p).
    private func sparsityCorrection(_ step: MiniBatchStep, learningRate lr: Float) -> (cost: Float, excess: [Float], visibleMean: [Float])? {
        guard let target = configuration.sparsityTarget, configuration.sparsityCost > 0 else { return nil }
        let b = step.positives, h = step.hiddenCount, v = step.visibleCount
        var excess = [Float](repeating: 0, count: h)
        for j in 0..<h {
            var s: Float = 0
            for r in 0..<b { s += step.hidden[r * h + j] }
            hiddenActivity[j] = 0.9 * hiddenActivity[j] + 0.1 * s / Float(b)
            excess[j] = hiddenActivity[j] - Float(target)
        }
        var visibleMean = [Float](repeating: 0, count: v)
        for r in 0..<b { for i in 0..<v { visibleMean[i] += step.visible[r * v + i] / Float(b) } }
        return (lr * Float(configuration.sparsityCost), excess, visibleMean)
    }

    /// The end-of-epoch report, on a fixed subset of the training data.
    private func evaluate(_ data: Matrix<Float>, validation: Matrix<Float>?, learningRate: Double, momentum: Double,
                          seconds: Double) -> EpochReport {
        let subset = data.rows(0..<min(1000, data.rows))
        let reconstruction = RBMMetrics.reconstructionError(model, subset)
        let fTrain = RBMMetrics.meanFreeEnergy(model, subset)
        let fValidation = validation.map { RBMMetrics.meanFreeEnergy(model, $0) }
        // A separate stream, so evaluating never changes the training stream.
        let pl = model.visibleUnits == .bernoulli
            ? RBMMetrics.pseudoLikelihood(model, subset, random: RandomSource(seed: configuration.seed &+ UInt64(epochsDone) &* 0x9E37_79B9))
            : nil
        return EpochReport(epoch: epochsDone, learningRate: learningRate, momentum: momentum, reconstructionError: reconstruction,
                           freeEnergyTrain: fTrain, freeEnergyValidation: fValidation, pseudoLikelihood: pl, seconds: seconds)
    }
}
