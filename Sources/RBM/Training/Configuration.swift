import EnergyCore

/// How the negative phase of the gradient is sampled.
public enum GibbsSampling: Equatable, Sendable, Codable {
    /// CD-k (Hinton 2002): k Gibbs steps from each training example.
    case contrastiveDivergence(steps: Int)
    /// Persistent CD (Tieleman 2008): `chains` Markov chains kept across updates, advanced
    /// `steps` Gibbs steps per update.
    case persistent(chains: Int, steps: Int)
    /// Parallel tempering (Desjardins et al. 2010): `chains` persistent chains at each of
    /// `temperatures` inverse temperatures, geometrically spaced from 1 down to `minimumBeta`,
    /// each advanced `steps` Gibbs steps per update, then swapped between neighbouring
    /// temperatures (`TemperedChains`); the β = 1 chains give the negative phase.
    case tempered(chains: Int, steps: Int, temperatures: Int, minimumBeta: Double)

    /// The Gibbs steps per update, k.
    public var steps: Int {
        switch self {
        case .contrastiveDivergence(let k), .persistent(_, let k), .tempered(_, let k, _, _): return k
        }
    }

    /// The persistent chains at β = 1 (nil for CD).
    public var chains: Int? {
        switch self {
        case .contrastiveDivergence: return nil
        case .persistent(let c, _), .tempered(let c, _, _, _): return c
        }
    }

    /// A short name, e.g. `CD-1` or `PCD-1 (100 chains)`.
    public var name: String {
        switch self {
        case .contrastiveDivergence(let k): return "CD-\(k)"
        case .persistent(let c, let k): return "PCD-\(k) (\(c) chains)"
        case .tempered(let c, let k, let t, let b): return "PT-\(k) (\(c) chains × \(t) temperatures, β ≥ \(b))"
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
    /// The settings of RBM training. The defaults are centred (Melchior, Fischer & Wiskott 2016) PCD-3
    /// (three Gibbs steps per update) with 100 chains (Tieleman 2008) for 100 epochs, learning rate 0.05 decaying linearly to zero,
    /// momentum 0.5, and the weight initialisation and small L2 weight decay of Hinton's practical guide
    /// (2010). Momentum can ramp (e.g. 0.5 → 0.9 for CD).
    ///
    /// They were chosen by measurement (docs/rbm.md, "The runs that chose the defaults"): on MNIST with
    /// 500 hidden units they give an AIS test log-likelihood of −85.98 and −85.96 nats on two seeds (the
    /// paper's 14,501 temperatures), where PCD-1 gave −86.28 and −86.43, the earlier defaults
    /// (uncentred PCD-1, 50 epochs) −91.83 and Salakhutdinov & Murray's (2008) CD-25 −86.34; on a second
    /// data set (the 10,000 MNIST test digits as training data, scored on 10,000 training digits) centred
    /// training beat the earlier defaults by 7.1 nats, and on scikit-learn's 8×8 digits (exact log Z)
    /// PCD-3 and PCD-1 are level.
    public struct Configuration: Equatable, Sendable, Codable {
        /// CD-k or PCD, and its Gibbs steps.
        public var sampling: GibbsSampling
        /// Epochs of the run. 100 by default: centred PCD-1, 500 hidden units on MNIST, 100 epochs gave
        /// −86.32 nats (AIS, 14,501 temperatures) and 200 epochs no better (−87.28, with an AIS interval
        /// open below: its weights grow and AIS loses precision). With PCD-10 and no weight decay, 200
        /// epochs reach −84.80 and −84.71 on two seeds, but take 16.7 minutes against the defaults' 3.6
        /// (docs/rbm.md, "The long recipe").
        public var epochs: Int
        /// Examples per mini-batch, B.
        public var batchSize: Int
        /// ε₀, the initial learning rate. 0.05 by default: centred, 100 epochs on MNIST, it gave −86.11 nats
        /// where 0.1 gave −86.76 and 0.02 gave −87.13 (AIS screening with 3,000 temperatures; docs/rbm.md).
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
        /// Centring (Melchior, Fischer & Wiskott 2016): the gradient is taken around visible and hidden
        /// offsets μ, λ that follow the data means (their variant "dd"); see `RBMTrainer`. On by default:
        /// at equal epochs it gained 5.7 nats on MNIST with 100 hidden units (5 epochs) and 1.3 nats with
        /// 500 hidden units (100 epochs, −86.11 against −87.37 by AIS screening; docs/rbm.md). The saved
        /// model is an ordinary RBM either way.
        public var centring: Bool
        /// The rate ν of the offsets' exponential moving averages, μ ← (1 − ν) μ + ν mean(v₀) and
        /// λ ← (1 − ν) λ + ν mean(P(h | v₀)), per mini-batch (Melchior et al. use 0.01).
        public var offsetRate: Double
        /// The GSL generator (`RandomSource.algorithms`) of the streams that draw the Gibbs samples of
        /// each mini-batch, one stream per block of the batch, seeded from the run's stream (an
        /// `mt19937` started from `seed`, which draws the initial weights, the example order and these
        /// seeds). These streams draw one number per unit and Gibbs step (about 77 million per CD-1
        /// epoch of MNIST with 500 hidden units), so their speed shows: `taus2` (L'Ecuyer 1996, a
        /// maximally equidistributed combined Tausworthe generator of period 2⁸⁸), the default, draws
        /// about 3.5 times faster than `mt19937` through GSL; runs before this field existed used `mt19937`.
        public var samplingGenerator: String

        public init(sampling: GibbsSampling = .persistent(chains: 100, steps: 3), epochs: Int = 100, batchSize: Int = 100,
                    learningRate: Double = 0.05, decay: LearningRateDecay = .linear, initialMomentum: Double = 0.5,
                    finalMomentum: Double = 0.5, momentumRampEpochs: Int = 5, weightDecay: Double = 0.0002,
                    sparsityTarget: Double? = nil, sparsityCost: Double = 0, initialWeightScale: Double = 0.01, seed: UInt64 = 1,
                    centring: Bool = true, offsetRate: Double = 0.01, samplingGenerator: String = "taus2") {
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
            self.centring = centring
            self.offsetRate = offsetRate
            self.samplingGenerator = samplingGenerator
        }

        private enum CodingKeys: String, CodingKey {
            case sampling, epochs, batchSize, learningRate, decay, initialMomentum, finalMomentum, momentumRampEpochs, weightDecay,
                 sparsityTarget, sparsityCost, initialWeightScale, seed, centring, offsetRate, samplingGenerator
        }

        /// Decodes the settings; files written before centring existed read as uncentred, and those
        /// written before `samplingGenerator` existed as sampling with `mt19937`, as they did.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(sampling: try c.decode(GibbsSampling.self, forKey: .sampling), epochs: try c.decode(Int.self, forKey: .epochs),
                      batchSize: try c.decode(Int.self, forKey: .batchSize), learningRate: try c.decode(Double.self, forKey: .learningRate),
                      decay: try c.decode(LearningRateDecay.self, forKey: .decay),
                      initialMomentum: try c.decode(Double.self, forKey: .initialMomentum),
                      finalMomentum: try c.decode(Double.self, forKey: .finalMomentum),
                      momentumRampEpochs: try c.decode(Int.self, forKey: .momentumRampEpochs),
                      weightDecay: try c.decode(Double.self, forKey: .weightDecay),
                      sparsityTarget: try c.decodeIfPresent(Double.self, forKey: .sparsityTarget),
                      sparsityCost: try c.decode(Double.self, forKey: .sparsityCost),
                      initialWeightScale: try c.decode(Double.self, forKey: .initialWeightScale), seed: try c.decode(UInt64.self, forKey: .seed),
                      centring: try c.decodeIfPresent(Bool.self, forKey: .centring) ?? false,
                      offsetRate: try c.decodeIfPresent(Double.self, forKey: .offsetRate) ?? 0.01,
                      samplingGenerator: try c.decodeIfPresent(String.self, forKey: .samplingGenerator) ?? "mt19937")
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
            if let c = sampling.chains, c < 1 { throw bad("sampling.chains", "expected at least 1 chain, got \(c)") }
            if case .tempered(_, _, let t, let b) = sampling {
                guard t >= 2 else { throw bad("sampling.temperatures", "expected at least 2 temperatures, got \(t)") }
                guard b > 0, b < 1 else { throw bad("sampling.minimumBeta", "expected a lowest inverse temperature in (0, 1), got \(b)") }
            }
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
            guard offsetRate > 0, offsetRate <= 1 else { throw bad("offsetRate", "expected a moving-average rate in (0, 1], got \(offsetRate)") }
            guard RandomSource.algorithms.contains(samplingGenerator) else {
                throw bad("samplingGenerator", "unknown GSL generator '\(samplingGenerator)'; expected one of: "
                          + RandomSource.algorithms.joined(separator: ", "))
            }
        }

        /// The stream that binarises the training and validation data of a run: derived from `seed`
        /// but apart from the training stream, so binarising never moves training.
        var dataRandom: RandomSource { RandomSource(seed: seed ^ 0xB1A5) }
    }
}
