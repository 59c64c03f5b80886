import EnergyCore
import EnergyFormats
import Foundation

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
/// The negative samples may also come from parallel tempering (`GibbsSampling.tempered`,
/// `TemperedChains`; Desjardins et al. 2010), and with `centring` the step is the centred gradient of
/// Melchior et al. (2016), mapped to the ordinary parameters (`CentringOffsets`); the model is always
/// kept, checkpointed and saved in the ordinary parameterisation above.
///
/// Every random draw comes from one `RandomSource`, started from `configuration.seed`: directly
/// (initial weights, example order), or through the streams it seeds for each mini-batch's Gibbs
/// samples (`configuration.samplingGenerator`, one per block). With its state saved in a
/// checkpoint, a resumed run continues bit for bit.
///
/// A whole run, like scikit-learn's `BernoulliRBM(n_components=16).fit(x)`:
///
///     let trainer = try RBMTrainer(hidden: 16, data: x, configuration: .init(epochs: 10, seed: 3))
///     try trainer.train(data: x)
///     try trainer.writeModel(to: "rbm.npz")
public final class RBMTrainer {
    /// What one epoch of training did.
    public struct EpochReport: Sendable, Codable {
        /// The epoch just finished, 1-based.
        public var epoch: Int
        public var learningRate: Double
        public var momentum: Double
        /// Mean squared reconstruction error per example, Σᵢ (vᵢ − E[vᵢ | P(h | v)])², on a fixed
        /// subset of up to `RBMTrainer.reportExamples` training examples.
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
        /// With parallel tempering, the fraction of accepted swaps between each pair of neighbouring
        /// temperatures (βₘ, βₘ₊₁), m = 0 … M − 2, over the epoch; nil for CD and PCD.
        public var swapAcceptance: [Double]?
        /// The inverse temperatures of parallel tempering, from 1 down; nil for CD and PCD.
        public var temperatures: [Double]?
    }

    /// The training examples (the first ones) on which the end-of-epoch report is computed.
    public static let reportExamples = 1000

    /// The model being trained.
    public private(set) var model: RestrictedBoltzmannMachine
    /// The settings.
    public let configuration: Configuration
    /// Epochs completed so far.
    public internal(set) var epochsDone: Int
    /// The checkpoint this trainer last wrote or was resumed from: its last good state.
    public internal(set) var lastCheckpoint: String?
    /// The run's random stream.
    package let random: RandomSource
    /// The fingerprint of the training data the run started on (saved in checkpoints; a resumed run
    /// must be given the same data).
    public internal(set) var trainingData: DataFingerprint?

    var weightVelocity: Matrix<Float>
    var visibleVelocity: [Float]
    var hiddenVelocity: [Float]
    /// The persistent chains' visible states (PCD only).
    var chains: Matrix<Float>?
    /// Running mean activation of each hidden unit (sparsity).
    var hiddenActivity: [Float]
    /// The offsets μ, λ of centring (nil before the first epoch, and without centring).
    public internal(set) var offsets: CentringOffsets?
    /// The temperature ladder and swap counts of parallel tempering (nil otherwise); its chains
    /// are `chains`, temperature by temperature.
    var tempering: TemperedChains?
    /// Whether an update diverged: the parameters are then not fit to be checkpointed.
    private var diverged = false

    /// The mini-batch buffers, reused across batches.
    private var step: MiniBatchStep?
    /// Whether the mini-batch products may be computed sparse (`MiniBatchStep`); the same products up
    /// to the order of summation, so this only changes the speed (and the last bits). Tests turn it
    /// off to compare the two.
    var sparseProducts = true
    /// Whether the last update computed its weight gradient sparse, and had Wᵀ for sparse hWᵀ (tests).
    var usedSparseProducts: (update: Bool, transposed: Bool) { (step?.sparseUpdate ?? false, step?.transposedIsCurrent ?? false) }
    /// Blocks each mini-batch is split into: one per core, so results depend on the seed and the
    /// core count (see `MiniBatchStep`).
    let blocks = ProcessInfo.processInfo.activeProcessorCount

    /// A trainer starting from `model` on the stream `random`, for composing trainers (DBN
    /// pretraining hands each layer its own split of one stream).
    package init(model: RestrictedBoltzmannMachine, configuration: Configuration, random: RandomSource) throws {
        try configuration.validate()
        self.model = model
        self.configuration = configuration
        self.random = random
        self.epochsDone = 0
        weightVelocity = Matrix(rows: model.visibleCount, columns: model.hiddenCount)
        visibleVelocity = [Float](repeating: 0, count: model.visibleCount)
        hiddenVelocity = [Float](repeating: 0, count: model.hiddenCount)
        hiddenActivity = [Float](repeating: Float(configuration.sparsityTarget ?? 0), count: model.hiddenCount)
        if case .tempered(let c, _, let t, let b) = configuration.sampling {
            tempering = TemperedChains(chains: c, temperatures: t, minimumBeta: b)
        }
    }

    /// A trainer starting from `model`, drawing from a stream seeded with `configuration.seed`.
    ///
    /// - Throws: `ConfigurationError` naming the field of a setting that cannot train.
    public convenience init(model: RestrictedBoltzmannMachine, configuration: Configuration) throws {
        try self.init(model: model, configuration: configuration, random: RandomSource(seed: configuration.seed))
    }

    /// A trainer for an RBM with `hidden` hidden units over the columns of `data`.
    ///
    /// Without `checkpoint`, the model is new: `RestrictedBoltzmannMachine.initialized` from `data`
    /// with `configuration.initialWeightScale`, drawn from the run's stream (seeded with
    /// `configuration.seed`), which then goes on to train it. With `checkpoint`, the run saved there
    /// resumes (`init(resumingFrom:configuration:)`), and its model must have this shape and unit type.
    ///
    /// - Throws: `ConfigurationError` naming `hidden` or a configuration field; `InputError` naming
    ///   the checkpoint when it cannot be read or holds another run.
    public convenience init(hidden: Int, visibleUnits: VisibleUnits = .bernoulli, data: Matrix<Float>, configuration: Configuration,
                            resumingFrom checkpoint: String? = nil) throws {
        guard hidden >= 1 else { throw ConfigurationError(field: "hidden", "expected at least 1 hidden unit, got \(hidden)") }
        // W and its momentum are visible × hidden floats each: refuse a size that cannot be held.
        guard let weights = Sizes.product([data.columns, hidden, 2 * MemoryLayout<Float>.size]), weights <= Sizes.allocationLimit else {
            throw ConfigurationError(field: "hidden", "\(hidden) hidden units × \(data.columns) visible need more than the allocation limit of "
                                     + "\(Sizes.describe(bytes: Sizes.allocationLimit)) for the weights (set EBM_MAX_ALLOCATION to raise it)")
        }
        if let checkpoint {
            try self.init(resumingFrom: checkpoint, configuration: configuration)
            guard model.visibleCount == data.columns, model.hiddenCount == hidden, model.visibleUnits == visibleUnits else {
                throw InputError(file: checkpoint, "the checkpoint is a \(model.visibleCount)×\(model.hiddenCount) RBM with \(model.visibleUnits.rawValue) "
                                 + "visible units; this run asks for \(data.columns)×\(hidden) (the data's columns × hidden) with \(visibleUnits.rawValue) units")
            }
        } else {
            let random = RandomSource(seed: configuration.seed)
            let model = RestrictedBoltzmannMachine.initialized(visible: data.columns, hidden: hidden, visibleUnits: visibleUnits, data: data,
                                                               weightScale: configuration.initialWeightScale, random: random)
            try self.init(model: model, configuration: configuration, random: random)
        }
    }

    // MARK: Training

    /// Trains from `epochsDone` to `configuration.epochs` over `data` (one example per row), writing
    /// the checkpoint atomically after every epoch and then handing `onEpoch` the epoch's report.
    ///
    /// - Parameters:
    ///   - data: the training examples, one per row.
    ///   - validation: examples whose mean free energy each report compares with the training data's.
    ///   - checkpoint: the checkpoint file, or nil for none.
    ///   - progress: told of the mini-batches of each epoch.
    ///   - onEpoch: handed each epoch's report, after the checkpoint is written.
    /// - Throws: `InputError` for data of the wrong width; `NumericalError` when an update produces
    ///   NaN or infinity, whose message names the last good checkpoint, which is kept.
    public func train(data: Matrix<Float>, validation: Matrix<Float>? = nil, checkpoint: String? = nil,
                      progress: (any ProgressObserver)? = nil, onEpoch: (EpochReport) throws -> Void = { _ in }) throws {
        try checkTrainingData(data)
        while epochsDone < configuration.epochs {
            let report = try trainEpoch(data, validation: validation, progress: progress)
            if let checkpoint { try writeCheckpoint(to: checkpoint) }
            try onEpoch(report)
        }
    }

    /// Trains one epoch over `data` (one example per row) in a fresh random order.
    ///
    /// - Throws: `InputError` for data of the wrong width; `NumericalError` when an update produces
    ///   NaN or infinity. The trainer then holds the diverged parameters and refuses to write a
    ///   checkpoint; the message names the last good one (`lastCheckpoint`).
    public func trainEpoch(_ data: Matrix<Float>, validation: Matrix<Float>? = nil,
                           progress: (any ProgressObserver)? = nil) throws -> EpochReport {
        try checkWidth(data, validation: validation)
        if trainingData == nil { trainingData = DataFingerprint(data) }
        let epoch = epochsDone
        let lr = configuration.learningRate(epoch: epoch), mu = configuration.momentum(epoch: epoch)
        let start = Date()
        if let c = configuration.sampling.chains, chains == nil {
            // Chains start from random training examples (at every temperature for tempering).
            chains = data.gatherRows((0..<(c * (tempering?.betas.count ?? 1))).map { _ in random.integer(below: data.rows) })
        }
        if configuration.centring, offsets == nil { offsets = CentringOffsets.initial(model, data: data) }
        tempering?.resetCounts()
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
                throw divergence(epoch: epoch, batch: batch, learningRate: lr)
            }
            progress?.advance(by: 1)
        }
        guard model.weights.isFinite else { throw divergence(epoch: epoch, batch: batch, learningRate: lr) }
        let seconds = Date().timeIntervalSince(start)
        epochsDone += 1
        return evaluate(data, validation: validation, learningRate: lr, momentum: mu, seconds: seconds)
    }

    /// Writes the trained model with its metadata (these settings, the epochs done) atomically.
    ///
    /// - Throws: `NumericalError` after an update diverged.
    public func writeModel(to path: String) throws {
        try checkNotDiverged()
        try RBMModelFile.write(model, metadata: .init(model: model, training: configuration, epochs: epochsDone), to: path)
    }

    private func checkWidth(_ data: Matrix<Float>, validation: Matrix<Float>?) throws {
        guard data.rows >= 1 else { throw InputError(file: "training data", "expected at least 1 example, got none") }
        try model.checkVisible(data, file: "training data")
        if let validation { try model.checkVisible(validation, file: "validation data") }
    }

    private func divergence(epoch: Int, batch: Int, learningRate lr: Double) -> NumericalError {
        diverged = true
        let kept = lastCheckpoint.map { "; the last good checkpoint is kept: \($0)" } ?? ""
        return NumericalError("training diverged in epoch \(epoch + 1), mini-batch \(batch): the parameters became NaN or infinite "
                              + "(learning rate \(lr)); try a smaller learningRate" + kept)
    }

    /// Checks that the parameters may be saved.
    func checkNotDiverged() throws {
        guard !diverged else { throw NumericalError("training diverged; the parameters are not saved") }
    }

    // MARK: One mini-batch

    /// One update on the rows `indices` of `data`: phase 1 samples, phase 2 updates (`MiniBatchStep`).
    private func update(_ data: Matrix<Float>, _ indices: ArraySlice<Int>, learningRate lr: Float, momentum mu: Float) throws {
        let step = miniBatchStep(positives: indices.count)
        var k = configuration.sampling.steps
        if tempering != nil {
            // The tempered chains move (and swap) first; the β = 1 chains, the first rows, are then
            // read as persistent chains with no further steps.
            tempering?.advance(&chains, model: model, steps: k, random: random)
            k = 0
        }
        let streams = try random.fork(step.blocks, algorithm: configuration.samplingGenerator)
        let rule = UpdateRule(rate: lr / Float(indices.count), momentum: mu, decay: lr * Float(configuration.weightDecay))
        let finite = withUpdateTarget { target, chainStates in
            data.storage.withUnsafeBufferPointer { pd in
                guard let rows = pd.baseAddress else { return }
                let conditionals = Conditionals(weights: target.weights, visibleBias: target.visibleBias, hiddenBias: target.hiddenBias,
                                                visibleCount: model.visibleCount, hiddenCount: model.hiddenCount,
                                                gaussianVisible: model.visibleUnits == .gaussian)
                if step.needsTransposed && !step.transposedIsCurrent {
                    Parallel.run(workers: step.blocks) { w in step.refreshTransposed(block: w, weights: target.weights) }
                    step.transposedIsCurrent = true
                }
                Parallel.run(workers: step.blocks) { w in
                    step.sample(block: w, data: rows, batch: indices, chains: chainStates, steps: k, model: conditionals, random: streams[w])
                }
                let sparsity = sparsityCorrection(step, learningRate: lr)
                if configuration.centring, var offsets {
                    offsets.follow(step, rate: Float(configuration.offsetRate))
                    offsets.centre(step)
                    self.offsets = offsets
                }
                step.chooseUpdate(centred: configuration.centring)
                Parallel.run(workers: step.blocks) { w in
                    step.update(block: w, of: target, rule: rule, sparsity: sparsity)
                }
            }
        }
        if configuration.centring, let offsets {
            offsets.reparameterise(&model, weightStep: weightVelocity)
        }
        guard finite, step.hiddenIsFinite(), !configuration.centring || (model.visibleBias.allFinite && model.hiddenBias.allFinite) else {
            throw NumericalError("the hidden probabilities or biases became NaN or infinite")
        }
    }

    /// The mini-batch buffers for `positives` examples, reused while the batch size stays.
    private func miniBatchStep(positives b: Int) -> MiniBatchStep {
        let negatives: Int
        switch configuration.sampling {
        case .contrastiveDivergence: negatives = b
        case .persistent(let c, _), .tempered(let c, _, _, _): negatives = c
        }
        if let step, step.positives == b, step.negatives == negatives, step.sparse == sparseProducts { return step }
        let fresh = MiniBatchStep(visible: model.visibleCount, hidden: model.hiddenCount, positives: b, negatives: negatives, blocks: blocks,
                                  sparse: sparseProducts)
        step = fresh
        return fresh
    }

    /// Runs `body` with raw views of the parameters, their velocities and the persistent chains (nil
    /// for CD), which are moved out of their owners meanwhile so that the workers can share them.
    /// Returns whether the biases are finite afterwards.
    private func withUpdateTarget(_ body: (UpdateTarget, UnsafeMutablePointer<Float>?) -> Void) -> Bool {
        var weights = model.weights.storage, a = model.visibleBias, hb = model.hiddenBias
        var velocity = weightVelocity.storage, va = visibleVelocity, vb = hiddenVelocity
        var chainStates = chains?.storage ?? []
        model.weights.storage = []; model.visibleBias = []; model.hiddenBias = []
        weightVelocity.storage = []; visibleVelocity = []; hiddenVelocity = []; chains?.storage = []
        defer {
            model.weights.storage = weights; model.visibleBias = a; model.hiddenBias = hb
            weightVelocity.storage = velocity; visibleVelocity = va; hiddenVelocity = vb
            chains?.storage = chainStates
        }
        weights.withUnsafeMutableBufferPointer { pw in
        a.withUnsafeMutableBufferPointer { pa in
        hb.withUnsafeMutableBufferPointer { pb in
        velocity.withUnsafeMutableBufferPointer { pvw in
        va.withUnsafeMutableBufferPointer { pva in
        vb.withUnsafeMutableBufferPointer { pvb in
        chainStates.withUnsafeMutableBufferPointer { pc in
            guard let w = pw.baseAddress, let a = pa.baseAddress, let b = pb.baseAddress,
                  let vw = pvw.baseAddress, let va = pva.baseAddress, let vb = pvb.baseAddress else { return }
            body(UpdateTarget(weights: w, visibleBias: a, hiddenBias: b, weightVelocity: vw, visibleVelocity: va, hiddenVelocity: vb),
                 pc.isEmpty ? nil : pc.baseAddress)
        }}}}}}}
        return a.allFinite && hb.allFinite
    }

    /// The sparsity term of Hinton (2010 §11) for this batch, updating the running activity q:
    /// q ← 0.9 q + 0.1 mean(p₀); the excess q − p enters ΔW as −ε c mean(v₀)(q − p)ᵀ and Δb as −ε c (q − p).
    private func sparsityCorrection(_ step: MiniBatchStep, learningRate lr: Float) -> SparsityCorrection? {
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
        return SparsityCorrection(cost: lr * Float(configuration.sparsityCost), excess: excess, visibleMean: visibleMean)
    }

    // MARK: Reports

    /// The end-of-epoch report, on a fixed subset of the training data.
    private func evaluate(_ data: Matrix<Float>, validation: Matrix<Float>?, learningRate: Double, momentum: Double,
                          seconds: Double) -> EpochReport {
        let subset = data.rows(0..<min(Self.reportExamples, data.rows))
        let reconstruction = RBMMetrics.reconstructionError(model, subset)
        let fTrain = RBMMetrics.meanFreeEnergy(model, subset)
        let fValidation = validation.map { RBMMetrics.meanFreeEnergy(model, $0) }
        // A separate stream, so evaluating never changes the training stream.
        let pl = model.visibleUnits == .bernoulli
            ? RBMMetrics.pseudoLikelihood(model, subset, random: RandomSource(seed: configuration.seed &+ UInt64(epochsDone) &* 0x9E37_79B9))
            : nil
        return EpochReport(epoch: epochsDone, learningRate: learningRate, momentum: momentum, reconstructionError: reconstruction,
                           freeEnergyTrain: fTrain, freeEnergyValidation: fValidation, pseudoLikelihood: pl, seconds: seconds,
                           swapAcceptance: tempering?.acceptanceRates, temperatures: tempering?.betas)
    }
}
