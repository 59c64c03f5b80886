import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// Mini-batch backpropagation of a `FeedForwardNetwork` with early stopping on a validation split
/// (Hinton & Salakhutdinov 2006 fine-tune a pretrained DBN this way; dropout as in Srivastava et
/// al. 2014). With `averaging`, an exponential moving average of the weights (Polyak & Juditsky
/// 1992) is what gets validated. With validation data the best network by validation error is kept
/// (early stopping in the sense of Prechelt 1998), and with a `patience` the run also ends after that
/// many epochs without improvement; without it, the network after the last epoch is kept.
public final class FineTuner {
    /// The settings of supervised fine-tuning by backpropagation.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Epochs of the linear learning-rate decay. Default 140: on MNIST the averaged network's
        /// validation error is still at its lowest in the last, low-rate epochs, and 140 epochs of the
        /// default network fit in the 30-minute budget with pretraining (docs/dbn.md).
        public var epochs: Int
        public var batchSize: Int
        public var optimizer: OptimizerKind
        /// Initial learning rate ε; by default `defaultLearningRate(for: optimizer, pretrained: true)`.
        public var learningRate: Double
        /// How ε falls over the epochs (linear: to 0 at the last epoch).
        public var decay: LearningRateDecay
        /// Momentum μ (SGD). Default 0.9.
        public var momentum: Double
        /// L2 weight decay λ. Default 0.
        public var weightDecay: Double
        /// Dropout probability of the input units (Srivastava et al. 2014). Default 0.1: chosen on
        /// the validation split against 0.2 (docs/dbn.md, "The runs that chose the defaults").
        public var inputDropout: Double
        /// Dropout probability of the hidden units (Srivastava et al. 2014). Default 0.3: with the
        /// pretrained 784-500-500-2000 stack and 140 epochs, 0.5 under-fits (validation error 1.18%
        /// against 1.06% after 40 epochs; docs/dbn.md).
        public var hiddenDropout: Double
        /// Stop after this many epochs without a better validation error; nil (the default) runs every
        /// epoch. The network with the lowest validation error is kept either way. With the linear decay
        /// the best networks come in the last, low-rate epochs, after plateaus of 50 epochs and more at
        /// high rates, so stopping on a plateau would end the run before them.
        public var patience: Int?
        /// Decay α of the exponential moving average of the weights, w̄ ← α w̄ + (1 − α) w after every
        /// step (Polyak & Juditsky 1992); the average is what is validated, kept and saved. Default
        /// 0.999 (a horizon of about 1,000 steps); nil trains and keeps the weights themselves.
        public var averaging: Double?
        /// The first `outputLayerEpochs` epochs train the softmax output layer alone, the pretrained
        /// layers below held fixed, so that the randomly initialised output layer is fitted before its
        /// errors are propagated into them (Hinton & Salakhutdinov 2006's `backpropclassify` does so for
        /// its first 5 of 200 epochs). They count among `epochs` and follow its learning-rate
        /// schedule. Default 0.
        public var outputLayerEpochs: Int
        /// The seed of the fine-tuner's random stream (shuffling, dropout) when it makes its own.
        public var seed: UInt64

        /// The settings; every one has its default. A nil `learningRate` is
        /// `defaultLearningRate(for: optimizer, pretrained: true)` (pass `pretrained: false`'s rate
        /// for a randomly initialised network).
        public init(epochs: Int = 140, batchSize: Int = 100, optimizer: OptimizerKind = .sgd, learningRate: Double? = nil,
                    decay: LearningRateDecay = .linear, momentum: Double = 0.9, weightDecay: Double = 0,
                    inputDropout: Double = 0.1, hiddenDropout: Double = 0.3, patience: Int? = nil, averaging: Double? = 0.999,
                    outputLayerEpochs: Int = 0, seed: UInt64 = 1) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.optimizer = optimizer
            self.learningRate = learningRate ?? Self.defaultLearningRate(for: optimizer, pretrained: true)
            self.decay = decay
            self.momentum = momentum
            self.weightDecay = weightDecay
            self.inputDropout = inputDropout
            self.hiddenDropout = hiddenDropout
            self.patience = patience
            self.averaging = averaging
            self.outputLayerEpochs = outputLayerEpochs
            self.seed = seed
        }

        private enum CodingKeys: String, CodingKey {
            case epochs, batchSize, optimizer, learningRate, decay, momentum, weightDecay, inputDropout, hiddenDropout, patience,
                 averaging, outputLayerEpochs, seed
        }

        /// Decodes the settings; files written before `outputLayerEpochs` existed read as 0.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(epochs: try c.decode(Int.self, forKey: .epochs), batchSize: try c.decode(Int.self, forKey: .batchSize),
                      optimizer: try c.decode(OptimizerKind.self, forKey: .optimizer),
                      learningRate: try c.decode(Double.self, forKey: .learningRate),
                      decay: try c.decode(LearningRateDecay.self, forKey: .decay), momentum: try c.decode(Double.self, forKey: .momentum),
                      weightDecay: try c.decode(Double.self, forKey: .weightDecay),
                      inputDropout: try c.decode(Double.self, forKey: .inputDropout),
                      hiddenDropout: try c.decode(Double.self, forKey: .hiddenDropout),
                      patience: try c.decodeIfPresent(Int.self, forKey: .patience),
                      averaging: try c.decodeIfPresent(Double.self, forKey: .averaging),
                      outputLayerEpochs: try c.decodeIfPresent(Int.self, forKey: .outputLayerEpochs) ?? 0,
                      seed: try c.decode(UInt64.self, forKey: .seed))
        }

        /// The default ε. SGD from a pretrained stack: 0.5 (sigmoid units, mean cross-entropy); on
        /// MNIST, 20-epoch runs from the same pretrained stack reach 1.76% validation error with 0.1,
        /// 1.43% with 0.3 and 1.36% with 1.0, while 3.0 is unstable (docs/dbn.md). SGD from random
        /// initialisation: 0.1, since at 0.5 the same network with dropout stays at chance. Adam: 0.001
        /// (Kingma & Ba 2015).
        public static func defaultLearningRate(for optimizer: OptimizerKind, pretrained: Bool) -> Double {
            switch optimizer {
            case .sgd: pretrained ? 0.5 : 0.1
            case .adam: 0.001
            }
        }

        /// ε at `epoch` (0-based).
        public func learningRate(epoch: Int) -> Double { decay.rate(learningRate, epoch: epoch, of: epochs) }

        /// Throws `ConfigurationError` naming the field of the first unusable setting.
        public func validate() throws {
            func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) throws {
                if !ok { throw ConfigurationError(field: field, message()) }
            }
            try check(epochs >= 1, "epochs", "expected at least 1 epoch, got \(epochs)")
            try check(batchSize >= 1, "batchSize", "expected a batch of at least 1, got \(batchSize)")
            try check(learningRate > 0 && learningRate.isFinite, "learningRate", "expected a learning rate > 0, got \(learningRate)")
            try check(momentum >= 0 && momentum < 1, "momentum", "expected a momentum in [0, 1), got \(momentum)")
            try check(weightDecay >= 0, "weightDecay", "expected a weight decay ≥ 0, got \(weightDecay)")
            try check(inputDropout >= 0 && inputDropout < 1, "inputDropout", "expected a probability in [0, 1), got \(inputDropout)")
            try check(hiddenDropout >= 0 && hiddenDropout < 1, "hiddenDropout", "expected a probability in [0, 1), got \(hiddenDropout)")
            try check(outputLayerEpochs >= 0 && outputLayerEpochs <= epochs, "outputLayerEpochs",
                      "expected 0 to \(epochs) epochs (of the \(epochs) fine-tuning epochs), got \(outputLayerEpochs)")
            if let patience { try check(patience >= 1, "patience", "expected at least 1 epoch, got \(patience)") }
            if let averaging {
                try check(averaging > 0 && averaging < 1, "averaging", "expected a decay in (0, 1), or none for no averaging, got \(averaging)")
            }
        }
    }

    /// What one fine-tuning epoch did.
    public struct EpochReport: Codable, Sendable {
        /// The epoch just finished, 1-based.
        public var epoch: Int
        public var learningRate: Double
        /// Mean training cross-entropy over the epoch's batches (with dropout), nats.
        public var trainingLoss: Double
        /// Validation error rate of the network being kept (the averaged one when averaging), when there is validation data.
        public var validationError: Double?
        /// Validation error rate of the current, not averaged, weights (only when averaging).
        public var currentValidationError: Double?
        public var seconds: Double
    }

    /// The network being trained.
    public private(set) var model: FeedForwardNetwork
    /// The network with the lowest validation error so far; without validation data, the one after
    /// the last epoch (the weight average when averaging, else the current weights).
    public internal(set) var best: FeedForwardNetwork
    public internal(set) var bestValidationError: Double = .infinity
    public internal(set) var epochsSinceBest = 0
    public let configuration: Configuration
    /// Epochs completed so far.
    public internal(set) var epochsDone = 0
    /// The fingerprint of the training data and labels the run started on (saved in checkpoints; a
    /// resumed run must be given the same).
    public internal(set) var trainingData: DataFingerprint?
    /// The checkpoint this fine-tuner was resumed from, for messages.
    var source: String?
    /// The run's random stream (shuffling and dropout masks).
    public let random: RandomSource
    var optimizer: OptimizerState
    private var workspace: BackpropWorkspace?

    /// A fine-tuner starting from `model`, drawing from a stream seeded with `configuration.seed`.
    ///
    /// - Throws: `ConfigurationError` naming the field of an unusable setting.
    public convenience init(model: FeedForwardNetwork, configuration: Configuration) throws {
        try self.init(model: model, configuration: configuration, random: RandomSource(seed: configuration.seed))
    }

    /// A fine-tuner drawing from `random`, a stream it shares with the run it is part of (a DBN
    /// unrolls its stack with the same stream before fine-tuning).
    package init(model: FeedForwardNetwork, configuration: Configuration, random: RandomSource) throws {
        try configuration.validate()
        self.model = model
        self.best = model
        self.configuration = configuration
        self.random = random
        optimizer = OptimizerState(for: model, averaging: configuration.averaging != nil)
    }

    /// The moving average of the weights (the current network when not averaging).
    public var averagedModel: FeedForwardNetwork { optimizer.averaged(like: model) }

    /// Whether the run is over: every epoch done, or early stopping has ended it.
    public var stopped: Bool { epochsSinceBest >= configuration.patience ?? .max || epochsDone >= configuration.epochs }

    /// Epochs until `configuration.epochs` (or until early stopping), each followed by a checkpoint
    /// written atomically to `checkpoint` (when given) and then `onEpoch`. A resumed fine-tuner
    /// continues after `epochsDone`.
    ///
    /// - Throws: `InputError` for labels that do not fit the data or the network; `NumericalError`
    ///   when training diverges, naming the last good checkpoint, which is kept.
    public func train(_ data: Matrix<Float>, labels: [Int], validation: (Matrix<Float>, [Int])? = nil, checkpoint: String? = nil,
                      progress: (any ProgressObserver)? = nil, onEpoch: (EpochReport) throws -> Void = { _ in }) throws {
        try train(data, labels: labels, validation: validation, checkpoint: checkpoint, progress: progress, onEpoch: onEpoch) {
            try self.writeCheckpoint(to: $0)
        }
    }

    /// The loop of `train`, with `save` writing the checkpoint (a DBN's carries its stack along).
    func train(_ data: Matrix<Float>, labels: [Int], validation: (Matrix<Float>, [Int])?, checkpoint: String?,
               progress: (any ProgressObserver)?, onEpoch: (EpochReport) throws -> Void, save: (String) throws -> Void) throws {
        if let saved = trainingData {
            let given = DataFingerprint(data, labels: labels)
            guard given == saved else {
                throw InputError(file: source ?? "the checkpoint", "the run started on other training data (\(saved)); this run gives \(given): "
                                 + "resume with the same images, labels and limit")
            }
        }
        while !stopped {
            let report: EpochReport
            do {
                report = try trainEpoch(data, labels: labels, validation: validation, progress: progress)
            } catch let error as NumericalError {
                throw error.keeping(checkpoint: checkpoint)
            }
            if let checkpoint { try save(checkpoint) }
            try onEpoch(report)
        }
    }

    /// One epoch over `data` in a fresh random order, then the validation error.
    ///
    /// - Throws: `InputError` for labels that do not fit the data or the network; `NumericalError`
    ///   when the loss or the weights become NaN or infinite.
    public func trainEpoch(_ data: Matrix<Float>, labels: [Int], validation: (Matrix<Float>, [Int])? = nil,
                           progress: (any ProgressObserver)? = nil) throws -> EpochReport {
        try check(data, labels: labels, source: "training data")
        if trainingData == nil { trainingData = DataFingerprint(data, labels: labels) }
        if let (vx, vy) = validation { try check(vx, labels: vy, source: "validation data") }
        let start = Date()
        let lr = configuration.learningRate(epoch: epochsDone)
        // The layers trained this epoch: the output layer alone for the first outputLayerEpochs.
        let lowest = epochsDone < configuration.outputLayerEpochs ? model.layers.count - 1 : 0
        let order = random.permutation(data.rows)
        var total = 0.0, batches = 0
        progress?.begin("fine-tuning epoch \(epochsDone + 1)/\(configuration.epochs)", total: (data.rows + configuration.batchSize - 1) / configuration.batchSize)
        defer { progress?.end() }
        for first in stride(from: 0, to: data.rows, by: configuration.batchSize) {
            let indices = order[first..<min(first + configuration.batchSize, data.rows)]
            if workspace?.batch != indices.count { workspace = BackpropWorkspace(network: model, batch: indices.count) }
            guard let workspace else { break }
            let loss = model.backpropagate(data, labels: labels, indices: indices, workspace: workspace,
                                           dropout: (configuration.inputDropout, configuration.hiddenDropout), random: random,
                                           fromLayer: lowest)
            guard loss.isFinite else {
                throw NumericalError("fine-tuning diverged in epoch \(epochsDone + 1), mini-batch \(batches + 1): the loss became \(loss) "
                                     + "(learning rate \(lr)); try a smaller learningRate")
            }
            optimizer.step(&model, workspace, kind: configuration.optimizer, learningRate: Float(lr),
                           momentum: Float(configuration.momentum), weightDecay: Float(configuration.weightDecay),
                           averageDecay: Float(configuration.averaging ?? 0), fromLayer: lowest)
            total += loss
            batches += 1
            progress?.advance(by: 1)
        }
        guard model.layers.allSatisfy({ $0.weights.isFinite && $0.bias.allFinite }) else {
            throw NumericalError("fine-tuning diverged in epoch \(epochsDone + 1): the weights became NaN or infinite; try a smaller learningRate")
        }
        epochsDone += 1
        let (validationError, currentValidationError) = validate(on: validation)
        return EpochReport(epoch: epochsDone, learningRate: lr, trainingLoss: total / Double(max(batches, 1)),
                           validationError: validationError, currentValidationError: currentValidationError,
                           seconds: Date().timeIntervalSince(start))
    }

    /// After an epoch: the validation error of the kept (averaged) network and of the current
    /// weights (when averaging), and the best network so far updated.
    private func validate(on validation: (Matrix<Float>, [Int])?) -> (kept: Double?, current: Double?) {
        let kept = averagedModel
        guard let (vx, vy) = validation else {
            best = kept
            return (nil, nil)
        }
        let error = Classification.evaluate(kept.probabilities(vx), labels: vy).errorRate
        let current = configuration.averaging == nil ? nil : Classification.evaluate(model.probabilities(vx), labels: vy).errorRate
        if error < bestValidationError {
            bestValidationError = error
            best = kept
            epochsSinceBest = 0
        } else {
            epochsSinceBest += 1
        }
        return (error, current)
    }

    /// Throws unless `x` has the network's inputs and `labels` one class of the network per row.
    private func check(_ x: Matrix<Float>, labels: [Int], source: String) throws {
        guard x.columns == model.sizes.first else {
            throw InputError(file: source, "has \(x.columns) values per example; the network expects \(model.sizes.first ?? 0)")
        }
        try Classification.checkLabels(labels, rows: x.rows, classes: model.classes, source: source + " labels")
    }
}

extension NumericalError {
    /// The error with the last good checkpoint named, when one has been written.
    func keeping(checkpoint: String?) -> NumericalError {
        guard let checkpoint, FileManager.default.fileExists(atPath: checkpoint) else { return self }
        return NumericalError(code: code, message + "; the last good checkpoint is kept: \(checkpoint)")
    }
}
