import EnergyCore
import EnergyFormats
import Foundation

/// The whole training run of a deep belief network, as `ebm dbn train` runs it: greedy pretraining
/// of the stack (`Pretrainer`), unrolling it into a classifier (or, without pretraining, the same
/// architecture from random initialisation), and fine-tuning that classifier (`FineTuner`), with early
/// stopping on the last `validationSplit` examples when there are any. Both stages draw from one random stream seeded
/// with `configuration.seed`, and each checkpoints its progress, so that a run resumed from its
/// files continues exactly as an uninterrupted one.
///
///     let trainer = try DBNTrainer(configuration: .init(pretraining: .init(layers: [500, 500, 2000])))
///     let model = try trainer.train(images, labels: labels, checkpoints: "dbn.npz")
///     try trainer.writeModel(to: "dbn.npz")
public final class DBNTrainer {
    /// The settings of a DBN training run.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Hidden layer sizes, bottom first.
        public var layers: [Int]
        /// Greedy pretraining of `layers` (its `layers` must be the same); nil trains the same
        /// architecture from the random initialisation of Glorot & Bengio (2010) instead, so that the
        /// benefit of pretraining can be measured. Without pretraining, give `fineTuning` the rate
        /// `FineTuner.Configuration.defaultLearningRate(for:pretrained: false)`: its default is the
        /// pretrained one.
        public var pretraining: Pretrainer.Configuration?
        public var fineTuning: FineTuner.Configuration
        /// Examples held out from the end of the training data to choose the network kept (the one with
        /// the lowest validation error). Default 0: every example is trained on and the last network
        /// (the weight average, with `fineTuning.averaging`) is kept, as Hinton & Salakhutdinov (2006)
        /// retrain on all 60,000 MNIST digits once the settings are chosen on a split. The defaults
        /// were chosen with 10,000 held out (docs/dbn.md); a fixed count would also refuse smaller sets.
        public var validationSplit: Int
        /// Classes of the softmax output (and label units of a generative top); nil for one more than
        /// the largest training label.
        public var classes: Int?
        /// Up-down fine-tuning of the generative model after the classifier's fine-tuning
        /// (`UpDownFineTuner`; needs pretraining with `generativeTop`); nil (the default) skips it.
        /// The classifier is not changed by it.
        public var generativeFineTuning: UpDownFineTuner.Configuration?
        /// The run's one seed: every random number of the run comes from one stream seeded with it.
        /// The trainer writes it into `fineTuning.seed` and every `pretraining.training[k].seed`
        /// (which the model file records); the stages' own seeds are not used.
        public var seed: UInt64

        /// The settings; every one has its default. `layers` nil means `pretraining`'s layers (or
        /// 500, 500, 2000 without pretraining).
        public init(layers: [Int]? = nil, pretraining: Pretrainer.Configuration? = .init(), fineTuning: FineTuner.Configuration = .init(),
                    validationSplit: Int = 0, classes: Int? = nil, generativeFineTuning: UpDownFineTuner.Configuration? = nil,
                    seed: UInt64 = 1) {
            self.layers = layers ?? pretraining?.layers ?? [500, 500, 2000]
            self.pretraining = pretraining
            self.fineTuning = fineTuning
            self.validationSplit = validationSplit
            self.classes = classes
            self.generativeFineTuning = generativeFineTuning
            self.seed = seed
            self = seeded
        }

        /// The configuration with `seed` written into the stages.
        var seeded: Configuration {
            var c = self
            c.fineTuning.seed = seed
            c.pretraining?.seed = seed
            return c
        }

        /// The number of classes of a run on `labels`: `classes`, or one more than the largest label.
        public func classes(for labels: [Int]) -> Int { classes ?? (labels.max() ?? 0) + 1 }

        /// Throws `ConfigurationError` naming the field of the first unusable setting, e.g.
        /// `fineTuning.learningRate` or `pretraining.layers[1]` (a layer's RBM settings nest under
        /// `pretraining.training[k]`). The stages' own seeds are not checked: the trainer replaces them by `seed`.
        public func validate() throws {
            let (pretraining, fineTuning) = (seeded.pretraining, seeded.fineTuning)
            if let pretraining {
                try ConfigurationError.nesting("pretraining") { try pretraining.validate() }
                guard pretraining.layers == layers else {
                    throw ConfigurationError(field: "pretraining.layers", "expected the network's layers \(layers), got \(pretraining.layers)")
                }
            } else {
                try Pretrainer.Configuration.validate(layers: layers)
            }
            try ConfigurationError.nesting("fineTuning") { try fineTuning.validate() }
            guard validationSplit >= 0 else { throw ConfigurationError(field: "validationSplit", "expected 0 or more examples, got \(validationSplit)") }
            if let patience = fineTuning.patience, validationSplit == 0 {
                throw ConfigurationError(field: "fineTuning.patience", "expected no patience when no examples are held out for validation, got \(patience)")
            }
            if let classes, classes < 2 { throw ConfigurationError(field: "classes", "expected at least 2 classes, got \(classes)") }
            if let generativeFineTuning {
                try ConfigurationError.nesting("generativeFineTuning") { try generativeFineTuning.validate() }
                guard pretraining?.generativeTop == true else {
                    throw ConfigurationError(field: "generativeFineTuning", "up-down fine-tuning needs pretraining with a generative top layer (label units)")
                }
            }
        }
    }

    /// What one epoch of the run did: of a layer's pretraining, or of fine-tuning.
    public enum EpochReport: Codable, Sendable {
        case pretraining(Pretrainer.EpochReport)
        case fineTuning(FineTuner.EpochReport)
        case generativeFineTuning(UpDownFineTuner.EpochReport)
    }

    /// The settings, with the seed written into the stages.
    public let configuration: Configuration
    /// The run's random stream.
    public let random: RandomSource
    /// The pretraining stage (nil without pretraining, or when fine-tuning has been resumed).
    public private(set) var pretrainer: Pretrainer?
    /// The pretrained stack, once pretraining is done.
    public private(set) var stack: LayerStack?
    /// The fine-tuning stage, once it has begun.
    public private(set) var fineTuner: FineTuner?
    /// The checkpoint fine-tuning was resumed from, for messages.
    private var resumedFrom: String?

    /// A run from the start, on a stream seeded with `configuration.seed`.
    ///
    /// - Throws: `ConfigurationError` naming the field of an unusable setting.
    public convenience init(configuration: Configuration) throws {
        let c = configuration.seeded
        try c.validate()
        let random = RandomSource(seed: c.seed)
        try self.init(c, random: random, pretrainer: c.pretraining.map { try Pretrainer(configuration: $0, random: random) })
    }

    /// A run resumed from the checkpoints of the model file `model` (`ModelFileNaming`): from
    /// `X.checkpoint.npz` when fine-tuning has begun (every fine-tuning setting but the epochs, and
    /// the pretraining settings, must be the checkpoint's), else from the finished layers in
    /// `X.pretrain.npz` (the layers above them may have other settings), else from the start.
    ///
    /// - Throws: `ConfigurationError` naming the field of an unusable setting; `InputError` naming a
    ///   checkpoint that is malformed or of another run.
    public convenience init(resumingFrom model: String, configuration: Configuration) throws {
        let c = configuration.seeded
        try c.validate()
        let checkpoint = ModelFileNaming.checkpoint(for: model), pretraining = ModelFileNaming.pretraining(for: model)
        if FileManager.default.fileExists(atPath: checkpoint) {
            let archive = try NumpyArchive.read(checkpoint)
            let (saved, metadata) = try DBNModelFile.read(archive, file: checkpoint)
            guard metadata.pretraining == c.pretraining, (saved.stack != nil) == (c.pretraining != nil) else {
                throw InputError(file: checkpoint, "the checkpoint's network was "
                                 + (saved.stack == nil ? "not pretrained; resume without pretraining"
                                    : c.pretraining == nil ? "pretrained; resume with its pretraining settings"
                                    : "pretrained with other settings; resume with the same pretraining settings"))
            }
            let tuner = try FineTuner(resuming: archive, model: saved.classifier, file: checkpoint, configuration: c.fineTuning)
            try self.init(c, random: tuner.random, pretrainer: nil, stack: saved.stack, fineTuner: tuner)
            resumedFrom = checkpoint
        } else if let settings = c.pretraining, FileManager.default.fileExists(atPath: pretraining) {
            let random = RandomSource(seed: c.seed)
            try self.init(c, random: random, pretrainer: try Pretrainer(resumingFrom: pretraining, configuration: settings, random: random))
        } else {
            try self.init(configuration: c)
        }
    }

    private init(_ configuration: Configuration, random: RandomSource, pretrainer: Pretrainer?, stack: LayerStack? = nil,
                 fineTuner: FineTuner? = nil) throws {
        self.configuration = configuration
        self.random = random
        self.pretrainer = pretrainer
        self.stack = stack
        self.fineTuner = fineTuner
    }

    /// Runs (or continues) the whole training on `data` with one class label per row: the last
    /// `validationSplit` rows are held out for validation, the rest are trained on. With
    /// `checkpoints` (the model file's path `X.npz`), pretraining writes `X.pretrain.npz` after each
    /// layer and fine-tuning `X.checkpoint.npz` after each epoch, atomically, before `onEpoch` sees
    /// the epoch. Returns the stack with the classifier kept (also `model`): the best by validation
    /// error, or without a split the one after the last epoch.
    ///
    /// - Throws: `ConfigurationError` (`validationSplit`) when there are not more rows than held
    ///   out; `InputError` for labels that do not fit, or resumed layers of other sizes;
    ///   `NumericalError` when training diverges, naming the last good checkpoint, which is kept.
    @discardableResult
    public func train(_ data: Matrix<Float>, labels: [Int], checkpoints model: String? = nil, progress: (any ProgressObserver)? = nil,
                      onEpoch: (EpochReport) throws -> Void = { _ in }) throws -> DeepBeliefNetwork {
        let (train, validation, classes) = try split(data, labels: labels)
        let tuner = try fineTuner ?? startFineTuning(train, classes: classes, checkpoints: model, progress: progress, onEpoch: onEpoch)
        let sizes = [data.columns] + configuration.layers + [classes]
        guard tuner.model.sizes == sizes else {
            throw InputError(file: resumedFrom ?? "the fine-tuned network", "holds a network of sizes \(tuner.model.sizes); the data and the configuration ask for \(sizes)")
        }
        try tuner.train(train.x, labels: train.labels, validation: validation, checkpoint: model.map(ModelFileNaming.checkpoint(for:)),
                        progress: progress, onEpoch: { try onEpoch(.fineTuning($0)) }) { path in
            try tuner.writeCheckpoint(to: path, stack: stack, pretraining: configuration.pretraining)
        }
        if let settings = configuration.generativeFineTuning, let pretrained = stack {
            // Not checkpointed per epoch: a resumed run repeats it from the fine-tuning checkpoint's stack.
            let upDown = try UpDownFineTuner(configuration: settings, random: random)
            stack = try upDown.train(pretrained, data: train.x, labels: train.labels, source: resumedFrom ?? "the pretrained stack",
                                     progress: progress, onEpoch: { try onEpoch(.generativeFineTuning($0)) })
        }
        return DeepBeliefNetwork(stack: stack, classifier: tuner.best)
    }

    /// Pretraining (unless there is none or it is done), then the fine-tuner of the unrolled stack
    /// (or of a randomly initialised network), drawing on the run's stream.
    private func startFineTuning(_ train: (x: Matrix<Float>, labels: [Int]), classes: Int, checkpoints model: String?,
                                 progress: (any ProgressObserver)?, onEpoch: (EpochReport) throws -> Void) throws -> FineTuner {
        if let pretrainer {
            stack = try pretrainer.train(train.x, labels: train.labels, classes: classes, checkpoint: model.map(ModelFileNaming.pretraining(for:)),
                                         progress: progress, onEpoch: { try onEpoch(.pretraining($0)) })
        }
        let network = stack.map { FeedForwardNetwork(unrolling: $0, classes: classes, random: random) }
            ?? FeedForwardNetwork(sizes: [train.x.columns] + configuration.layers + [classes], random: random)
        let tuner = try FineTuner(model: network, configuration: configuration.fineTuning, random: random)
        fineTuner = tuner
        return tuner
    }

    /// The training rows, the validation rows (the last `validationSplit`) and the number of classes.
    private func split(_ data: Matrix<Float>, labels: [Int]) throws
        -> (train: (x: Matrix<Float>, labels: [Int]), validation: (Matrix<Float>, [Int])?, classes: Int) {
        let held = configuration.validationSplit
        guard held < data.rows else {
            throw ConfigurationError(field: "validationSplit", "expected fewer than the \(data.rows) training examples, got \(held)")
        }
        let classes = configuration.classes(for: labels)
        guard classes >= 2 else { throw InputError(file: "labels", "expected at least two classes, found only class 0") }
        try Classification.checkLabels(labels, rows: data.rows, classes: classes)
        let n = data.rows - held
        let validation = held > 0 ? (data.rows(n..<data.rows), Array(labels[n...])) : nil
        return ((data.rows(0..<n), Array(labels[0..<n])), validation, classes)
    }

    /// The network trained so far: the stack and the best classifier; nil before fine-tuning has begun.
    public var model: DeepBeliefNetwork? { fineTuner.map { DeepBeliefNetwork(stack: stack, classifier: $0.best) } }

    /// Writes `model` as a model file, with the settings, the best validation error and the epochs in its metadata.
    public func writeModel(to path: String) throws {
        guard let fineTuner, let model else { throw InputError(file: path, "nothing to write: the DBN has not been trained yet") }
        var metadata = fineTuner.metadata(of: model, pretraining: configuration.pretraining)
        metadata.generativeFineTuning = model.stack?.recognitionWeights == nil ? nil : configuration.generativeFineTuning
        try DBNModelFile.write(model, metadata: metadata, to: path)
    }
}
