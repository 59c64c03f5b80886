import ArgumentParser
import DBN
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm dbn train`: greedy pretraining, then fine-tuning (with early stopping when images are held out), by `DBNTrainer`.
struct DBNTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Pretrain a DBN greedily (stacked RBMs) and fine-tune it by backprop as a classifier.",
        discussion: """
        By default every training image is trained on and the last (weight-averaged) network is kept; \
        with --validation-split N the last N are held out and the network with the lowest validation error \
        is kept. The test set is read only at the end (--test/--test-labels). Pretraining writes OUT.pretrain.npz after each layer and \
        fine-tuning OUT.checkpoint.npz after each epoch, atomically; --resume continues from them. List \
        options take comma-separated values without empty items (500,,500 is refused).
        """)

    @Option(help: "Training images.") var data: String
    @Option(help: "Training labels.") var labels: String
    @Option(help: "Images held out from the end of the training data for early stopping (0: none, the last network is kept).") var validationSplit = DBNTrainer.Configuration().validationSplit
    @Option(help: "Use only the first N training images (before the split).", transform: OptionRange.integer(1...)) var limit: Int?
    @Option(help: "Classes (default: one more than the largest training label).") var classes: Int?
    @Option(help: "Test images, evaluated once at the end.") var test: String?
    @Option(help: "Test labels.") var testLabels: String?
    @Option(help: "Hidden layer sizes, bottom first.") var layers = "500,500,2000"
    @Option(help: "Pretraining epochs: one number for every layer, or one per layer (e.g. 20,20,30). Default 20, and 10 for the label-joined top.")
    var pretrainEpochs: String?
    @Option(help: "Pretraining learning rate: one for every layer, or one per layer.")
    var pretrainLr = String(Pretrainer.Configuration.defaultTraining(top: false).learningRate)
    @Option(help: "Pretraining momentum, reached after 5 epochs from 0.5: one for every layer, or one per layer.")
    var pretrainMomentum = String(Pretrainer.Configuration.defaultTraining(top: false).finalMomentum)
    @Option(name: .customLong("pretrain-cd"), help: "Gibbs steps per pretraining update: one for every layer, or one per layer. Default 1, and 10 for the label-joined top.")
    var pretrainSteps: String?
    @Option(help: "Pretraining sampler, cd or pcd (persistent CD, 100 chains): one for every layer, or one per layer (e.g. cd,cd,pcd).")
    var pretrainSampling = PretrainingSampler.cd.rawValue
    @Option(help: "Visible units of the first layer: bernoulli or gaussian.") var visibleUnits = VisibleUnits.bernoulli
    @Flag(inversion: .prefixedNo, help: "Train the top RBM with label units (for `ebm dbn generate`).") var generative = true
    @Flag(help: "Train the same architecture from random initialisation.") var noPretrain = false
    @Option(help: "Fine-tuning epochs (at most: --patience may end sooner).") var finetuneEpochs = FineTuner.Configuration().epochs
    @Option(help: "Fine-tuning mini-batch size.") var batch = FineTuner.Configuration().batchSize
    @Option(help: "Optimizer: sgd or adam.") var optimizer = FineTuner.Configuration().optimizer
    @Option(help: "Fine-tuning learning rate (default: sgd 0.5 from a pretrained stack, 0.1 with --no-pretrain; adam 0.001).") var lr: Double?
    @Option(help: "Learning-rate decay: none, linear or inverse.") var lrDecay = FineTuner.Configuration().decay
    @Option(help: "SGD momentum.") var momentum = FineTuner.Configuration().momentum
    @Option(help: "L2 weight decay.") var weightDecay = FineTuner.Configuration().weightDecay
    @Option(help: "Dropout probability of hidden units.") var dropout = FineTuner.Configuration().hiddenDropout
    @Option(help: "Dropout probability of input units.") var inputDropout = FineTuner.Configuration().inputDropout
    @Option(help: "Stop after this many epochs without a better validation error; needs --validation-split (default: run every epoch; with a split the best network is kept either way).")
    var patience: Int?
    @Option(help: "Decay of the moving average of the weights that is validated and kept (0: the weights themselves).")
    var averaging = FineTuner.Configuration().averaging ?? 0
    @Option(help: "Fine-tuning epochs, of --finetune-epochs, that train the softmax output layer alone first, the pretrained layers held fixed (as Hinton & Salakhutdinov's backpropclassify).",
            transform: OptionRange.integer(0...))
    var outputLayerEpochs = FineTuner.Configuration().outputLayerEpochs
    @Option(help: "Up-down (contrastive wake-sleep) fine-tuning epochs of the generative model after the classifier's fine-tuning (Hinton, Osindero & Teh 2006); default none. Needs --generative.",
            transform: OptionRange.integer(1...)) var generativeFinetune: Int?
    @Option(help: "Learning rate of up-down fine-tuning.") var generativeLr = UpDownFineTuner.Configuration().learningRate
    @Option(help: "Gibbs steps of the top RBM in up-down fine-tuning.") var generativeCd = UpDownFineTuner.Configuration().topSteps
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The model file to write (.npz).") var out: String
    @Flag(help: "Resume from OUT.pretrain.npz / OUT.checkpoint.npz.") var resume = false
    @Flag(help: "No progress bars or per-epoch lines.") var quiet = false

    /// The options that set each configuration field (per-layer fields named with their layer).
    static func flags(layers: Int) -> ConfigurationFlags {
        var names = [
            "layers": "--layers", "pretraining.layers": "--layers", "pretraining.visibleUnits": "--visible-units",
            "validationSplit": "--validation-split", "classes": "--classes",
            "fineTuning.epochs": "--finetune-epochs", "fineTuning.batchSize": "--batch", "fineTuning.learningRate": "--lr",
            "fineTuning.decay": "--lr-decay", "fineTuning.momentum": "--momentum", "fineTuning.weightDecay": "--weight-decay",
            "fineTuning.inputDropout": "--input-dropout", "fineTuning.hiddenDropout": "--dropout",
            "fineTuning.patience": "--patience", "fineTuning.averaging": "--averaging",
            "fineTuning.outputLayerEpochs": "--output-layer-epochs",
            "generativeFineTuning": "--generative-finetune", "generativeFineTuning.epochs": "--generative-finetune",
            "generativeFineTuning.learningRate": "--generative-lr", "generativeFineTuning.topSteps": "--generative-cd",
            "generativeFineTuning.batchSize": "--batch",
        ]
        for k in 0..<layers {
            let field = "pretraining.training[\(k)].", layer = " (layer \(k + 1))"
            names[field + "epochs"] = "--pretrain-epochs" + layer
            names[field + "learningRate"] = "--pretrain-lr" + layer
            names[field + "initialMomentum"] = "--pretrain-momentum" + layer
            names[field + "finalMomentum"] = "--pretrain-momentum" + layer
            names[field + "sampling"] = "--pretrain-cd" + layer
        }
        return ConfigurationFlags(names)
    }

    /// The options as a `DBNTrainer.Configuration`, checked by the library.
    ///
    /// - Throws: a usage error naming the option of a value that cannot be used.
    func trainerConfiguration() throws -> DBNTrainer.Configuration {
        let sizes = try CommaList.values(layers, option: "--layers", expected: "a positive integer", CommaList.positiveInteger)
        let configuration = DBNTrainer.Configuration(layers: sizes, pretraining: noPretrain ? nil : try pretrainingConfiguration(layers: sizes),
                                                     fineTuning: try fineTuningConfiguration(), validationSplit: validationSplit,
                                                     classes: classes,
                                                     generativeFineTuning: generativeFinetune.map {
                                                         UpDownFineTuner.Configuration(epochs: $0, batchSize: batch, learningRate: generativeLr, topSteps: generativeCd)
                                                     },
                                                     seed: seed)
        try Self.flags(layers: sizes.count).map { try configuration.validate() }
        return configuration
    }

    /// The pretraining options; each per-layer list has one value for every layer or one per layer.
    func pretrainingConfiguration(layers sizes: [Int]) throws -> Pretrainer.Configuration {
        func perLayer<T>(_ list: String, _ option: String, _ expected: String, _ parse: (String) -> T?) throws -> [T] {
            try CommaList.perLayer(list, option: option, layers: sizes.count, expected: expected, parse)
        }
        let epochs = try pretrainEpochs.map { try perLayer($0, "--pretrain-epochs", "a positive integer", CommaList.positiveInteger) }
        let rates = try perLayer(pretrainLr, "--pretrain-lr", "a positive number") { Double(argument: $0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
        let momenta = try perLayer(pretrainMomentum, "--pretrain-momentum", "a number in [0, 1)") { Double(argument: $0).flatMap { (0..<1).contains($0) ? $0 : nil } }
        let steps = try pretrainSteps.map { try perLayer($0, "--pretrain-cd", "a positive integer", CommaList.positiveInteger) }
        let samplers = try perLayer(pretrainSampling, "--pretrain-sampling", "cd or pcd", PretrainingSampler.init(argument:))
        var c = Pretrainer.Configuration(layers: sizes, epochs: epochs, visibleUnits: visibleUnits, generativeTop: generative, seed: seed)
        for k in c.training.indices {
            c.training[k].learningRate = rates[k]
            c.training[k].finalMomentum = momenta[k]
            c.training[k].sampling = samplers[k].sampling(steps: steps?[k] ?? c.training[k].sampling.steps)
        }
        return c
    }

    /// The fine-tuning options.
    func fineTuningConfiguration() throws -> FineTuner.Configuration {
        return FineTuner.Configuration(epochs: finetuneEpochs, batchSize: batch, optimizer: optimizer,
                                       learningRate: lr ?? FineTuner.Configuration.defaultLearningRate(for: optimizer, pretrained: !noPretrain),
                                       decay: lrDecay, momentum: momentum, weightDecay: weightDecay, inputDropout: inputDropout,
                                       hiddenDropout: dropout, patience: patience, averaging: averaging == 0 ? nil : averaging,
                                       outputLayerEpochs: outputLayerEpochs, seed: seed)
    }

    func validate() throws {
        guard (test == nil) == (testLabels == nil) else { throw ValidationError("--test and --test-labels go together") }
        _ = try trainerConfiguration()
    }

    func run() throws {
        let configuration = try trainerConfiguration()
        try AtomicFile.checkOutput(out, isNotAnyOf: [data, labels] + [test, testLabels].compactMap { $0 })
        let (x, y) = try DBNCommand.load(images: data, labels: labels, classes: classes, limit: limit)
        let flags = Self.flags(layers: configuration.layers.count)
        let log = DBNTrainingLog(quiet: quiet)
        let trainer = try flags.map {
            resume ? try DBNTrainer(resumingFrom: out, configuration: configuration) : try DBNTrainer(configuration: configuration)
        }
        log.begin(trainer, inputs: x.columns, classes: configuration.classes(for: y), examples: x.rows, data: data, out: out)
        let model = try flags.map {
            try trainer.train(x, labels: y, checkpoints: out, progress: ProgressReporter(quiet: quiet), onEpoch: log.epoch)
        }
        log.end(trainer)
        try trainer.writeModel(to: out)
        print("wrote \(out)" + String(format: " (total %.1f s)", log.elapsed))
        if let test, let testLabels {
            let (tx, ty) = try DBNCommand.load(images: test, labels: testLabels, classes: model.classes)
            let result = try model.evaluate(tx, labels: ty, source: test, labelSource: testLabels)
            print(String(format: "test accuracy %.4f (error %.4f) on %d images of %@", result.accuracy, result.errorRate, result.total, test))
        }
    }
}

/// The lines `ebm dbn train` prints about a run (none when quiet): what is trained on what, where
/// it resumed, each pretraining and fine-tuning epoch, and how long each stage took.
final class DBNTrainingLog {
    let quiet: Bool
    private let start = Date()
    /// When the last pretraining epoch ended (nil when no pretraining ran).
    private var pretrainingEnd: Date?
    private var fineTuningBegun = false

    init(quiet: Bool) { self.quiet = quiet }

    /// Seconds since the log was made.
    var elapsed: Double { Date().timeIntervalSince(start) }

    func say(_ s: String) {
        guard !quiet else { return }
        // Unbuffered, so that a log file sees each line as it happens.
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    /// The run's architecture and data, and where it resumes.
    func begin(_ trainer: DBNTrainer, inputs: Int, classes: Int, examples: Int, data: String, out: String) {
        let c = trainer.configuration
        let held = c.validationSplit < examples ? c.validationSplit : 0
        say("DBN \(([inputs] + c.layers + [classes]).map(String.init).joined(separator: "-")) on \(examples - held) images of \(data)"
            + (held > 0 ? ", \(held) held out for validation" : ""))
        if let tuner = trainer.fineTuner {
            say("resumed fine-tuning from \(ModelFileNaming.checkpoint(for: out)) after epoch \(tuner.epochsDone)")
        } else if let pretrainer = trainer.pretrainer, !pretrainer.trained.isEmpty {
            say("resumed pretraining from \(ModelFileNaming.pretraining(for: out)): \(pretrainer.trained.count) layer(s) done")
        } else if c.pretraining == nil {
            say("no pretraining: random initialisation (Glorot & Bengio 2010)")
        }
    }

    /// One epoch's line; before the first fine-tuning epoch, how long pretraining took.
    func epoch(_ report: DBNTrainer.EpochReport) {
        switch report {
        case .pretraining(let r):
            pretrainingEnd = Date()
            say("  layer \(r.layer) " + RBMTrain.describe(r.training))
        case .fineTuning(let r):
            if !fineTuningBegun, let pretrainingEnd {
                say(String(format: "pretraining took %.1f s", pretrainingEnd.timeIntervalSince(start)))
            }
            fineTuningBegun = true
            say(Self.describe(r))
        case .generativeFineTuning(let r):
            say(String(format: "  up-down epoch %3d  reconstruction error %.5f  %.1f s", r.epoch, r.reconstructionError, r.seconds))
        }
    }

    /// How long fine-tuning took and what it kept.
    func end(_ trainer: DBNTrainer) {
        guard let tuner = trainer.fineTuner else { return }
        let kept = tuner.bestValidationError.isFinite ? String(format: "best validation error %.4f", tuner.bestValidationError)
                                                      : "no validation split, the last network kept"
        say(String(format: "fine-tuning took %.1f s (%d epochs); ", Date().timeIntervalSince(pretrainingEnd ?? start), tuner.epochsDone) + kept)
    }

    /// A fine-tuning epoch: loss, validation errors, learning rate and time.
    static func describe(_ r: FineTuner.EpochReport) -> String {
        String(format: "  epoch %3d  loss %.4f", r.epoch, r.trainingLoss)
            + (r.validationError.map { String(format: "  validation error %.4f", $0) } ?? "")
            + (r.currentValidationError.map { String(format: " (current weights %.4f)", $0) } ?? "")
            + String(format: "  lr %.4f  %.1f s", r.learningRate, r.seconds)
    }
}
