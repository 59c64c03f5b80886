import EnergyCore

/// How the negative phase of the gradient is sampled.
public enum GibbsSampling: Equatable, Sendable, Codable {
    /// CD-k (Hinton 2002): k Gibbs steps from each training example.
    case contrastiveDivergence(steps: Int)
    /// Persistent CD (Tieleman 2008): `chains` Markov chains kept across updates, advanced
    /// `steps` Gibbs steps per update.
    case persistent(chains: Int, steps: Int)

    /// The Gibbs steps per update, k.
    public var steps: Int {
        switch self {
        case .contrastiveDivergence(let k), .persistent(_, let k): return k
        }
    }

    /// A short name, e.g. `CD-1` or `PCD-1 (100 chains)`.
    public var name: String {
        switch self {
        case .contrastiveDivergence(let k): return "CD-\(k)"
        case .persistent(let c, let k): return "PCD-\(k) (\(c) chains)"
        }
    }
}

/// How the learning rate changes over the epochs.
public enum LearningRateDecay: String, Equatable, Sendable, Codable, CaseIterable {
    /// Constant.
    case none
    /// Linearly from the initial rate to zero at the end of the last epoch (Tieleman 2008).
    case linear
    /// ε_t = ε₀ / (1 + t), t the epoch.
    case inverse

    /// The rate during `epoch` (0-based) of a run of `epochs`, starting from `initial`.
    public func rate(_ initial: Double, epoch: Int, of epochs: Int) -> Double {
        switch self {
        case .none: return initial
        case .linear: return initial * Double(max(epochs - epoch, 0)) / Double(max(epochs, 1))
        case .inverse: return initial / Double(1 + epoch)
        }
    }
}

extension RBMTrainer {
    /// The settings of RBM training. The defaults are PCD-1 with 100 chains (Tieleman 2008), learning
    /// rate 0.05 decaying linearly to zero, momentum 0.5, and the weight initialisation and small L2
    /// weight decay of Hinton's practical guide (2010). Momentum can ramp (e.g. 0.5 → 0.9 for CD).
    public struct Configuration: Equatable, Sendable, Codable {
        /// CD-k or PCD, and its Gibbs steps.
        public var sampling: GibbsSampling
        public var epochs: Int
        /// Examples per mini-batch, B.
        public var batchSize: Int
        /// ε₀, the initial learning rate.
        public var learningRate: Double
        public var decay: LearningRateDecay
        /// Momentum at the first epoch.
        public var initialMomentum: Double
        /// Momentum reached after `momentumRampEpochs` epochs. PCD's persistent chains become unstable
        /// with the 0.9 often used for CD (measured on MNIST: see docs/rbm.md), so the default stays at 0.5.
        public var finalMomentum: Double
        /// Epochs over which momentum rises linearly.
        public var momentumRampEpochs: Int
        /// L2 weight decay λ: the update of W includes −ε λ W.
        public var weightDecay: Double
        /// Target mean activation of each hidden unit (Hinton 2010 §11), or nil for none.
        public var sparsityTarget: Double?
        /// Weight of the sparsity penalty.
        public var sparsityCost: Double
        /// Standard deviation of the initial weights.
        public var initialWeightScale: Double
        /// The seed of the run: the trainer's random stream, and the stream that binarises its data
        /// (`RBMTrainingData`), both start from it.
        public var seed: UInt64

        public init(sampling: GibbsSampling = .persistent(chains: 100, steps: 1), epochs: Int = 50, batchSize: Int = 100,
                    learningRate: Double = 0.05, decay: LearningRateDecay = .linear, initialMomentum: Double = 0.5,
                    finalMomentum: Double = 0.5, momentumRampEpochs: Int = 5, weightDecay: Double = 0.0002,
                    sparsityTarget: Double? = nil, sparsityCost: Double = 0, initialWeightScale: Double = 0.01, seed: UInt64 = 1) {
            self.sampling = sampling
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.decay = decay
            self.initialMomentum = initialMomentum
            self.finalMomentum = finalMomentum
            self.momentumRampEpochs = momentumRampEpochs
            self.weightDecay = weightDecay
            self.sparsityTarget = sparsityTarget
            self.sparsityCost = sparsityCost
            self.initialWeightScale = initialWeightScale
            self.seed = seed
        }

        /// The learning rate during `epoch` (0-based).
        public func learningRate(epoch: Int) -> Double { decay.rate(learningRate, epoch: epoch, of: epochs) }

        /// The momentum during `epoch` (0-based).
        public func momentum(epoch: Int) -> Double {
            guard momentumRampEpochs > 0 else { return finalMomentum }
            let f = min(1, Double(epoch) / Double(momentumRampEpochs))
            return initialMomentum + f * (finalMomentum - initialMomentum)
        }

        /// Refuses settings that cannot train.
        ///
        /// - Throws: `ConfigurationError` naming the field, e.g. `learningRate` or `sampling.chains`.
        public func validate() throws {
            func bad(_ field: String, _ message: String) -> ConfigurationError { ConfigurationError(field: field, message) }
            if case .persistent(let c, _) = sampling, c < 1 { throw bad("sampling.chains", "expected at least 1 chain, got \(c)") }
            guard sampling.steps >= 1 else { throw bad("sampling.steps", "expected at least 1 Gibbs step, got \(sampling.steps)") }
            guard epochs >= 1 else { throw bad("epochs", "expected at least 1 epoch, got \(epochs)") }
            guard batchSize >= 1 else { throw bad("batchSize", "expected a batch size of at least 1, got \(batchSize)") }
            guard learningRate > 0, learningRate.isFinite else { throw bad("learningRate", "expected a positive learning rate, got \(learningRate)") }
            guard (0..<1).contains(initialMomentum) else { throw bad("initialMomentum", "expected a momentum in [0, 1), got \(initialMomentum)") }
            guard (0..<1).contains(finalMomentum) else { throw bad("finalMomentum", "expected a momentum in [0, 1), got \(finalMomentum)") }
            guard momentumRampEpochs >= 0 else { throw bad("momentumRampEpochs", "expected 0 or more epochs, got \(momentumRampEpochs)") }
            guard weightDecay >= 0, weightDecay.isFinite else { throw bad("weightDecay", "expected a non-negative weight decay, got \(weightDecay)") }
            if let p = sparsityTarget, !(p > 0 && p < 1) { throw bad("sparsityTarget", "expected a target in (0, 1), got \(p)") }
            guard sparsityCost >= 0, sparsityCost.isFinite else { throw bad("sparsityCost", "expected a non-negative cost, got \(sparsityCost)") }
            guard initialWeightScale >= 0, initialWeightScale.isFinite else {
                throw bad("initialWeightScale", "expected a non-negative standard deviation, got \(initialWeightScale)")
            }
        }

        /// The stream that binarises the training and validation data of a run: derived from `seed`
        /// but apart from the training stream, so binarising never moves training.
        var dataRandom: RandomSource { RandomSource(seed: seed ^ 0xB1A5) }
    }
}
