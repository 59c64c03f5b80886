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

    // Mini-batch buffers, reused across batches.
    private var v0 = Matrix<Float>(rows: 0, columns: 0)
    private var p0 = Matrix<Float>(rows: 0, columns: 0)
    private var hidden = Matrix<Float>(rows: 0, columns: 0)
    private var negativeVisible = Matrix<Float>(rows: 0, columns: 0)
    private var negativeHidden = Matrix<Float>(rows: 0, columns: 0)

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
                           progress: ProgressReporter? = nil) throws -> EpochReport {
        let epoch = epochsDone
        let lr = configuration.learningRate(epoch: epoch), mu = configuration.momentum(epoch: epoch)
        let start = Date()
        if case .persistent(let c, _) = configuration.sampling, chains == nil {
            // Chains start from random training examples.
            chains = data.gatherRows((0..<c).map { _ in random.integer(below: data.rows) })
        }
        let order = random.permutation(data.rows)
        var batch = 0
        for first in stride(from: 0, to: data.rows, by: configuration.batchSize) {
            let indices = order[first..<min(first + configuration.batchSize, data.rows)]
            try update(data, indices, learningRate: Float(lr), momentum: Float(mu))
            batch += 1
            guard model.weights.isFinite, model.visibleBias.allFinite, model.hiddenBias.allFinite else {
                throw NumericalError("training diverged in epoch \(epoch + 1), mini-batch \(batch): the weights became NaN or infinite "
                                     + "(learning rate \(lr)); try a smaller --lr")
            }
            progress?.advance()
        }
        let seconds = Date().timeIntervalSince(start)
        epochsDone += 1
        return evaluate(data, validation: validation, learningRate: lr, momentum: mu, seconds: seconds)
    }

    private func ensureBuffers(batch: Int, negatives: Int) {
        let v = model.visibleCount, h = model.hiddenCount
        if v0.rows != batch {
            v0 = Matrix(rows: batch, columns: v)
            p0 = Matrix(rows: batch, columns: h)
        }
        if negativeVisible.rows != negatives {
            hidden = Matrix(rows: negatives, columns: h)
            negativeVisible = Matrix(rows: negatives, columns: v)
            negativeHidden = Matrix(rows: negatives, columns: h)
        }
    }

    private func update(_ data: Matrix<Float>, _ indices: ArraySlice<Int>, learningRate lr: Float, momentum mu: Float) throws {
        let b = indices.count
        switch configuration.sampling {
        case .contrastiveDivergence(let k):
            ensureBuffers(batch: b, negatives: b)
            v0.gatherRows(from: data, indices)
            model.hiddenProbabilities(v0, into: &p0)
            // k Gibbs steps from the data: h ~ P(h | v₀), v ~ P(v | h), …
            hidden.copyValues(from: p0)
            random.sampleBernoulli(&hidden.storage)
            for step in 0..<k {
                model.visibleMeans(hidden, into: &negativeVisible)
                model.sampleVisible(&negativeVisible, random: random)
                model.hiddenProbabilities(negativeVisible, into: &negativeHidden)
                if step < k - 1 {
                    hidden.copyValues(from: negativeHidden)
                    random.sampleBernoulli(&hidden.storage)
                }
            }
        case .persistent(let c, let k):
            ensureBuffers(batch: b, negatives: c)
            v0.gatherRows(from: data, indices)
            model.hiddenProbabilities(v0, into: &p0)
            negativeVisible.copyValues(from: chains!)
            for _ in 0..<k {
                model.hiddenProbabilities(negativeVisible, into: &hidden)
                random.sampleBernoulli(&hidden.storage)
                model.visibleMeans(hidden, into: &negativeVisible)
                model.sampleVisible(&negativeVisible, random: random)
            }
            model.hiddenProbabilities(negativeVisible, into: &negativeHidden)
            chains!.copyValues(from: negativeVisible)
        }
        let negatives = Float(negativeVisible.rows), positives = Float(b)

        weightVelocity.scale(by: mu)
        weightVelocity.multiply(v0, p0, transposeA: true, alpha: lr / positives, beta: 1)
        weightVelocity.multiply(negativeVisible, negativeHidden, transposeA: true, alpha: -lr / negatives, beta: 1)
        if configuration.weightDecay > 0 {
            weightVelocity.add(model.weights, scaledBy: -lr * Float(configuration.weightDecay))
        }
        v0.addColumnSums(into: &visibleVelocity, alpha: lr / positives, beta: mu)
        negativeVisible.addColumnSums(into: &visibleVelocity, alpha: -lr / negatives, beta: 1)
        p0.addColumnSums(into: &hiddenVelocity, alpha: lr / positives, beta: mu)
        negativeHidden.addColumnSums(into: &hiddenVelocity, alpha: -lr / negatives, beta: 1)

        if let target = configuration.sparsityTarget, configuration.sparsityCost > 0 {
            let cost = lr * Float(configuration.sparsityCost)
            let batchMean = p0.columnSums()
            var excess = [Float](repeating: 0, count: model.hiddenCount)
            for j in 0..<model.hiddenCount {
                hiddenActivity[j] = 0.9 * hiddenActivity[j] + 0.1 * batchMean[j] / positives
                excess[j] = hiddenActivity[j] - Float(target)
            }
            hiddenVelocity.axpy(excess, alpha: -cost)
            let visibleMean = v0.columnSums().map { $0 / positives }
            weightVelocity.addOuterProduct(visibleMean, excess, alpha: -cost)
        }

        model.weights.add(weightVelocity)
        model.visibleBias.axpy(visibleVelocity)
        model.hiddenBias.axpy(hiddenVelocity)
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
