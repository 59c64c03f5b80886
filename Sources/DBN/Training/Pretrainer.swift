import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// Greedy layer-wise pretraining (Hinton, Osindero & Teh 2006): RBM 1 on the data, RBM 2 on RBM 1's
/// hidden probabilities, and so on; with `generativeTop`, the top RBM sees the penultimate layer
/// and the one-hot labels together. Each layer is trained by the RBM module's trainer, on a stream
/// split from the pretrainer's, and the finished layers are checkpointed after each layer.
public final class Pretrainer {
    /// The settings of greedy layer-wise pretraining.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Hidden sizes, bottom first. Default 500, 500, 2000 (Hinton, Osindero & Teh 2006).
        public var layers: [Int]
        /// The training of each layer's RBM, bottom first (one entry per layer). The default follows
        /// Hinton & Salakhutdinov (2006): CD-1, learning rate 0.1, momentum 0.5 rising to 0.9 after 5
        /// epochs, weight decay 0.0002, batch 100, 20 epochs; a label-joined top layer gets CD-10 for
        /// 10 epochs instead (`associativeTopSteps`, `associativeTopEpochs`).
        public var training: [RBMTrainer.Configuration]
        /// Unit type of the first layer's visible units (Gaussian for standardised real-valued data).
        public var visibleUnits: VisibleUnits
        /// Train the top RBM on the penultimate layer joined to one-hot label units, the associative
        /// memory of Hinton et al. (2006) that `DBNSampler` samples class-conditionally. Default true.
        public var generativeTop: Bool

        /// Gibbs steps per update of a label-joined top RBM by default. Longer negative chains than
        /// CD-1 (Hinton, Osindero & Teh 2006 ran up to CD-10 for the associative memory) let the label
        /// units shape the top RBM's modes: with CD-1, chains clamped to a label drift into the basins
        /// of other digits (`docs/dbn.md`, Generation).
        public static let associativeTopSteps = 10
        /// Epochs of a label-joined top RBM by default (each costs about 3.7 CD-1 epochs).
        public static let associativeTopEpochs = 10

        /// The settings; every one has its default.
        ///
        /// - Parameters:
        ///   - layers: hidden sizes, bottom first.
        ///   - epochs: for the default `training`, one count for every layer or one per layer; nil for
        ///     20 per layer and `associativeTopEpochs` for a label-joined top.
        ///   - training: each layer's RBM training; nil for the defaults above (which follow
        ///     `generativeTop`: the label-joined top gets CD-`associativeTopSteps`).
        ///   - visibleUnits: the units of the first layer's visible side: Bernoulli, or Gaussian for
        ///     standardised real-valued data.
        ///   - generativeTop: join the top RBM's visible layer to one-hot label units (Hinton et al. 2006).
        ///   - seed: the pretraining's seed, written into every layer's `training` (see `seed`).
        public init(layers: [Int] = [500, 500, 2000], epochs: [Int]? = nil, training: [RBMTrainer.Configuration]? = nil,
                    visibleUnits: VisibleUnits = .bernoulli, generativeTop: Bool = true, seed: UInt64 = 1) {
            self.layers = layers
            self.training = training ?? layers.indices.map { k in
                Self.defaultTraining(top: generativeTop && k == layers.count - 1,
                                     epochs: epochs.flatMap { $0.isEmpty ? nil : $0[min(k, $0.count - 1)] })
            }
            self.visibleUnits = visibleUnits
            self.generativeTop = generativeTop
            self.seed = seed
        }

        /// The default training of one layer (of a label-joined top with `top`), for `epochs` epochs
        /// or the default count.
        public static func defaultTraining(top: Bool, epochs: Int? = nil) -> RBMTrainer.Configuration {
            var c = RBMTrainer.Configuration()
            c.epochs = epochs ?? (top ? associativeTopEpochs : 20)
            c.sampling = .contrastiveDivergence(steps: top ? associativeTopSteps : 1)
            c.learningRate = 0.1
            c.decay = .none
            c.initialMomentum = 0.5
            c.finalMomentum = 0.9
            c.momentumRampEpochs = 5
            // Pinned, not inherited: the RBM module's own defaults (centred PCD, chosen for the
            // log-likelihood of a single RBM) are not the recipe the DBN's accuracy was measured with.
            c.batchSize = 100
            c.weightDecay = 0.0002
            c.centring = false
            return c
        }

        /// The seed of the pretraining: every layer draws its stream from one source seeded with it
        /// (split once per layer). It is each layer's `training[k].seed`, which the model file records;
        /// setting it sets them all.
        public var seed: UInt64 {
            get { training.first?.seed ?? 1 }
            set { for k in training.indices { training[k].seed = newValue } }
        }

        /// Throws `ConfigurationError` naming the field of the first unusable setting, e.g.
        /// `layers[1]` or `training[2].seed` (a layer's own settings are nested under `training[k]`).
        public func validate() throws {
            try Self.validate(layers: layers)
            guard training.count == layers.count else {
                throw ConfigurationError(field: "training", "expected one setting per layer (\(layers.count)), got \(training.count)")
            }
            for (k, layer) in training.enumerated() {
                try ConfigurationError.nesting("training[\(k)]") { try layer.validate() }
                guard layer.seed == seed else {
                    throw ConfigurationError(field: "training[\(k)].seed",
                                             "expected the pretraining's seed \(seed) (every layer draws from one stream), got \(layer.seed)")
                }
            }
        }

        /// Throws `ConfigurationError` (`layers`, `layers[k]`) unless there is at least one layer and every size is positive.
        static func validate(layers: [Int]) throws {
            guard !layers.isEmpty else { throw ConfigurationError(field: "layers", "expected at least one layer, e.g. [500, 500, 2000]") }
            if let k = layers.firstIndex(where: { $0 < 1 }) {
                throw ConfigurationError(field: "layers[\(k)]", "expected a positive layer size, got \(layers[k])")
            }
        }
    }

    /// What one epoch of one layer did.
    public struct EpochReport: Codable, Sendable {
        /// The layer being trained, 1-based, bottom first.
        public var layer: Int
        /// The epoch of that layer's RBM training.
        public var training: RBMTrainer.EpochReport
    }

    public let configuration: Configuration
    /// The run's random stream; each layer's RBM trainer gets a stream split from it.
    public let random: RandomSource
    /// The finished layers, bottom first.
    public private(set) var trained: [RestrictedBoltzmannMachine]
    /// Where the finished layers came from, for messages.
    var source = "the pretrained layers"
    /// The fingerprint of the data (and labels, for a generative top) the run started on.
    public internal(set) var trainingData: DataFingerprint?

    /// A pretrainer drawing from a stream seeded with `configuration.seed`.
    ///
    /// - Throws: `ConfigurationError` naming the field of an unusable setting.
    public convenience init(configuration: Configuration) throws {
        try self.init(configuration: configuration, random: RandomSource(seed: configuration.seed))
    }

    /// A pretrainer drawing from `random`, a stream it shares with the run it is part of, whose
    /// first layers are already `trained` (from a checkpoint).
    package init(configuration: Configuration, random: RandomSource, trained: [RestrictedBoltzmannMachine] = []) throws {
        try configuration.validate()
        self.configuration = configuration
        self.random = random
        self.trained = trained
        // Each layer draws its own stream from `random`; skipping the finished layers' draws keeps a
        // resumed run on exactly the stream of an uninterrupted one.
        for _ in trained.indices { _ = random.split() }
    }

    /// Whether every layer is trained.
    public var finished: Bool { trained.count == configuration.layers.count }

    /// Trains the layers not yet trained, writing the finished layers atomically to `checkpoint`
    /// (when given) after each, and returns the stack. `labels` (one class in 0..<`classes` per
    /// row) are needed only for a generative top.
    ///
    /// - Throws: `InputError` for labels that do not fit the data; `NumericalError` when a layer's
    ///   training diverges, naming the last good checkpoint, which is kept.
    public func train(_ data: Matrix<Float>, labels: [Int], classes: Int, checkpoint: String? = nil,
                      progress: (any ProgressObserver)? = nil, onEpoch: (EpochReport) throws -> Void = { _ in }) throws -> LayerStack {
        if configuration.generativeTop { try Classification.checkLabels(labels, rows: data.rows, classes: classes) }
        try checkTrained(inputs: data.columns, classes: classes)
        let given = DataFingerprint(data, labels: configuration.generativeTop ? labels : nil)
        if let saved = trainingData, saved != given {
            throw InputError(file: source, "the pretraining started on other training data (\(saved)); this run gives \(given): "
                             + "resume with the same images, labels and limit")
        }
        trainingData = given
        // The input of the first layer still to train (the top, which may hold label units, is never below one).
        var x = data
        if !finished { for rbm in trained { x = rbm.hiddenProbabilities(x) } }
        for k in trained.count..<configuration.layers.count {
            let top = k == configuration.layers.count - 1
            let input = layerInput(x, labels: labels, classes: classes, top: top)
            let model = try trainLayer(k, on: input, checkpoint: checkpoint, progress: progress) { report in
                try onEpoch(EpochReport(layer: k + 1, training: report))
            }
            trained.append(model)
            if let checkpoint { try writeCheckpoint(to: checkpoint) }
            if !top { x = model.hiddenProbabilities(x) }
        }
        return try LayerStack(trained, labelUnits: configuration.generativeTop ? classes : 0)
    }

    /// Layer `k`'s RBM, trained on `input` by the RBM module's trainer for its epochs.
    private func trainLayer(_ k: Int, on input: Matrix<Float>, checkpoint: String?, progress: (any ProgressObserver)?,
                            onEpoch: (RBMTrainer.EpochReport) throws -> Void) throws -> RestrictedBoltzmannMachine {
        let settings = configuration.training[k]
        let layerRandom = random.split()
        let units: VisibleUnits = k == 0 ? configuration.visibleUnits : .bernoulli
        let trainer = try RBMTrainer(model: .initialized(visible: input.columns, hidden: configuration.layers[k], visibleUnits: units,
                                                         data: input, weightScale: settings.initialWeightScale, random: layerRandom),
                                     configuration: settings, random: layerRandom)
        let labelled = progress.map { LabelledProgress("layer \(k + 1)", $0) }
        for _ in 0..<settings.epochs {
            do {
                try onEpoch(try trainer.trainEpoch(input, progress: labelled))
            } catch let error as NumericalError {
                throw error.keeping(checkpoint: checkpoint)
            }
        }
        return trainer.model
    }

    /// The input of layer `k`: `x`, joined to one-hot `labels` for a generative top.
    private func layerInput(_ x: Matrix<Float>, labels: [Int], classes: Int, top: Bool) -> Matrix<Float> {
        guard top, configuration.generativeTop else { return x }
        var joined = Matrix<Float>(rows: x.rows, columns: x.columns + classes)
        for r in 0..<x.rows {
            for c in 0..<x.columns { joined[r, c] = x[r, c] }
            joined[r, x.columns + labels[r]] = 1
        }
        return joined
    }
}
