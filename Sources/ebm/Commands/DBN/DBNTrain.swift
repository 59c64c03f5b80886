import ArgumentParser
import DBN
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm dbn train`: greedy pretraining, then fine-tuning with early stopping.
struct DBNTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Pretrain a DBN greedily (stacked RBMs) and fine-tune it by backprop as a classifier.",
        discussion: """
        The last --validation-split training images are held out for early stopping; the test set is read \
        only at the end (--test/--test-labels). Pretraining writes OUT.pretrain.npz after each layer and \
        fine-tuning OUT.checkpoint.npz after each epoch, atomically; --resume continues from them.
        """)

    @Option(help: "Training images.") var data: String
    @Option(help: "Training labels.") var labels: String
    @Option(help: "Images held out from the end of the training data for early stopping.") var validationSplit = 10_000
    @Option(help: "Use only the first N training images (before the split).") var limit: Int?
    @Option(help: "Test images, evaluated once at the end.") var test: String?
    @Option(help: "Test labels.") var testLabels: String?
    @Option(help: "Hidden layer sizes, bottom first.") var layers = "500,500,2000"
    @Option(help: "Pretraining epochs: one number for every layer, or one per layer (e.g. 20,20,30). Default 20, and 10 for the label-joined top.")
    var pretrainEpochs: String?
    @Option(help: "Pretraining learning rate: one for every layer, or one per layer.")
    var pretrainLr = String(PretrainingConfiguration().training[0].learningRate)
    @Option(help: "Pretraining momentum, reached after 5 epochs from 0.5: one for every layer, or one per layer.")
    var pretrainMomentum = String(PretrainingConfiguration().training[0].finalMomentum)
    @Option(name: .customLong("pretrain-cd"), help: "Gibbs steps per pretraining update: one for every layer, or one per layer. Default 1, and 10 for the label-joined top.")
    var pretrainSteps: String?
    @Option(help: "Pretraining sampler, cd or pcd (persistent CD, 100 chains): one for every layer, or one per layer (e.g. cd,cd,pcd).")
    var pretrainSampling = "cd"
    @Option(help: "Visible units of the first layer: bernoulli or gaussian.") var visibleUnits = "bernoulli"
    @Flag(inversion: .prefixedNo, help: "Train the top RBM with label units (for `ebm dbn generate`).") var generative = true
    @Flag(help: "Train the same architecture from random initialisation.") var noPretrain = false
    @Option(help: "Fine-tuning epochs (at most; early stopping may end sooner).") var finetuneEpochs = FineTuningConfiguration().epochs
    @Option(help: "Fine-tuning mini-batch size.") var batch = FineTuningConfiguration().batchSize
    @Option(help: "Optimizer: sgd or adam.") var optimizer = FineTuningConfiguration().optimizer.rawValue
    @Option(help: "Fine-tuning learning rate (default: sgd 0.5 from a pretrained stack, 0.1 with --no-pretrain; adam 0.001).") var lr: Double?
    @Option(help: "Learning-rate decay: none, linear or inverse.") var lrDecay = FineTuningConfiguration().decay.rawValue
    @Option(help: "SGD momentum.") var momentum = FineTuningConfiguration().momentum
    @Option(help: "L2 weight decay.") var weightDecay = FineTuningConfiguration().weightDecay
    @Option(help: "Dropout probability of hidden units.") var dropout = FineTuningConfiguration().hiddenDropout
    @Option(help: "Dropout probability of input units.") var inputDropout = FineTuningConfiguration().inputDropout
    @Option(help: "Stop after this many epochs without a better validation error (default: run every epoch; the best network is kept either way).")
    var patience: Int?
    @Option(help: "Decay of the moving average of the weights that is validated and kept (0: the weights themselves).")
    var averaging = FineTuningConfiguration().averaging ?? 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The model file to write (.npz).") var out: String
    @Flag(help: "Resume from OUT.pretrain.npz / OUT.checkpoint.npz.") var resume = false
    @Flag(help: "No progress bars or per-epoch lines.") var quiet = false

    func pretrainingConfiguration() throws -> PretrainingConfiguration {
        let sizes = try Self.integers(layers, option: "--layers")
        func perLayer<T>(_ list: String, _ option: String, _ expected: String, _ parse: (String) -> T?) throws -> [T] {
            try Self.perLayer(list, option: option, layers: sizes.count, expected: expected, parse)
        }
        let epochs = try pretrainEpochs.map { try perLayer($0, "--pretrain-epochs", "a positive integer", Self.positiveInteger) }
        let rates = try perLayer(pretrainLr, "--pretrain-lr", "a positive number") { Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
        let momenta = try perLayer(pretrainMomentum, "--pretrain-momentum", "a number in [0, 1)") { Double($0).flatMap { (0..<1).contains($0) ? $0 : nil } }
        let steps = try pretrainSteps.map { try perLayer($0, "--pretrain-cd", "a positive integer", Self.positiveInteger) }
        let persistent = try perLayer(pretrainSampling, "--pretrain-sampling", "cd or pcd") { ["cd": false, "pcd": true][$0] }
        var c = PretrainingConfiguration(layers: sizes, epochs: epochs, generativeTop: generative)
        guard let units = VisibleUnits(rawValue: visibleUnits) else { throw InputError(file: "--visible-units", "expected bernoulli or gaussian, got '\(visibleUnits)'") }
        c.visibleUnits = units
        for k in c.training.indices {
            c.training[k].learningRate = rates[k]
            c.training[k].finalMomentum = momenta[k]
            let gibbs = steps?[k] ?? c.training[k].sampling.steps
            c.training[k].sampling = persistent[k] ? .persistent(chains: 100, steps: gibbs) : .contrastiveDivergence(steps: gibbs)
            c.training[k].seed = seed
        }
        try c.validate()
        return c
    }

    func fineTuningConfiguration() throws -> FineTuningConfiguration {
        var c = FineTuningConfiguration()
        guard let kind = OptimizerKind(rawValue: optimizer) else { throw InputError(file: "--optimizer", "expected sgd or adam, got '\(optimizer)'") }
        guard let decay = LearningRateDecay(rawValue: lrDecay) else { throw InputError(file: "--lr-decay", "expected none, linear or inverse, got '\(lrDecay)'") }
        c.optimizer = kind
        c.learningRate = lr ?? FineTuningConfiguration.defaultLearningRate(for: kind, pretrained: !noPretrain)
        c.decay = decay
        c.epochs = finetuneEpochs
        c.batchSize = batch
        c.momentum = momentum
        c.weightDecay = weightDecay
        c.hiddenDropout = dropout
        c.inputDropout = inputDropout
        c.patience = patience
        c.averaging = averaging == 0 ? nil : averaging
        c.seed = seed
        try c.validate()
        return c
    }

    /// The values of a per-layer option: one value for every layer, or exactly one per layer, each
    /// checked by `parse`.
    ///
    /// - Throws: `InputError` naming the option, the layer and what was expected.
    static func perLayer<T>(_ list: String, option: String, layers: Int, expected: String, _ parse: (String) -> T?) throws -> [T] {
        let parts = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 1 || parts.count == layers else {
            throw InputError(file: option, "expected one value or \(layers) (one per layer), got \(parts.count) in '\(list)'")
        }
        let values = try parts.enumerated().map { k, part in
            guard let value = parse(part) else {
                throw InputError(file: option, "expected \(expected)\(parts.count > 1 ? " for layer \(k + 1)" : ""), got '\(part)'")
            }
            return value
        }
        return parts.count == 1 ? Array(repeating: values[0], count: layers) : values
    }

    /// `text` as an integer ≥ 1, or nil.
    static func positiveInteger(_ text: String) -> Int? { Int(text).flatMap { $0 > 0 ? $0 : nil } }

    static func integers(_ list: String, option: String) throws -> [Int] {
        let parts = list.split(separator: ",").map { positiveInteger($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
            throw InputError(file: option, "expected positive integers separated by commas, got '\(list)'")
        }
        return parts.compactMap { $0 }
    }

    func run() throws {
        let pre = try pretrainingConfiguration(), fine = try fineTuningConfiguration()
        let inputs = [data, labels] + [test, testLabels].compactMap { $0 }
        try AtomicFile.checkOutput(out, isNotAnyOf: inputs)
        let folder = (out as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) else {
            throw InputError(file: out, "cannot write: folder '\(folder)' does not exist")
        }
        let pretrainPath = ModelFileNaming.pretraining(for: out), checkpointPath = ModelFileNaming.checkpoint(for: out)
        let (all, allLabels) = try DBNCommand.load(images: data, labels: labels, limit: limit)
        guard validationSplit >= 0, validationSplit < all.rows else {
            throw InputError(file: "--validation-split", "expected fewer than the \(all.rows) training images, got \(validationSplit)")
        }
        let n = all.rows - validationSplit
        let train = all.rows(0..<n), trainLabels = Array(allLabels[0..<n])
        let validation = validationSplit > 0 ? (all.rows(n..<all.rows), Array(allLabels[n...])) : nil
        let classes = 10
        let start = Date()
        let random = RandomSource(seed: seed)
        say("DBN \(([train.columns] + pre.layers + [classes]).map(String.init).joined(separator: "-")) on \(n) images of \(data)"
            + (validation.map { ", \($0.0.rows) held out for validation" } ?? ""))

        var tuner: FineTuner
        var stack: LayerStack?
        if resume, FileManager.default.fileExists(atPath: checkpointPath) {
            (tuner, stack) = try FineTuner.resume(from: checkpointPath, configuration: fine)
            say("resumed fine-tuning from \(checkpointPath) after epoch \(tuner.epochsDone)")
        } else {
            if noPretrain {
                stack = nil
                say("no pretraining: random initialisation (Glorot & Bengio 2010)")
            } else {
                var done: [RestrictedBoltzmannMachine] = []
                if resume, FileManager.default.fileExists(atPath: pretrainPath) {
                    done = try Self.readPretrained(pretrainPath)
                    say("resumed pretraining from \(pretrainPath): \(done.count) layer(s) done")
                }
                let t0 = Date()
                stack = try Pretraining.run(data: train, labels: trainLabels, classes: classes, configuration: pre, startingWith: done,
                                            random: random, progress: ProgressReporter(quiet: quiet), onEpoch: { k, report in
                                                say("  layer \(k + 1) " + RBMTrain.describe(report))
                                            }, onLayer: { rbms in
                                                try Self.writePretrained(rbms, total: pre.layers.count, to: pretrainPath)
                                            })
                say(String(format: "pretraining took %.1f s", Date().timeIntervalSince(t0)))
            }
            let network = stack.map { FeedForwardNetwork(unrolling: $0, classes: classes, random: random) }
                ?? FeedForwardNetwork(sizes: [train.columns] + pre.layers + [classes], random: random)
            tuner = try FineTuner(network: network, configuration: fine, random: random)
        }
        let t1 = Date()
        while !tuner.stopped {
            let progress = ProgressReporter(quiet: quiet)
            let report = try tuner.trainEpoch(train, labels: trainLabels, validation: validation, progress: progress)
            try tuner.writeCheckpoint(to: checkpointPath, stack: stack, pretraining: noPretrain ? nil : pre)
            say(String(format: "  epoch %3d  loss %.4f", report.epoch, report.trainingLoss)
                + (report.validationError.map { String(format: "  validation error %.4f", $0) } ?? "")
                + (report.currentValidationError.map { String(format: " (current weights %.4f)", $0) } ?? "")
                + String(format: "  lr %.4f  %.1f s", report.learningRate, report.seconds))
        }
        say(String(format: "fine-tuning took %.1f s (%d epochs); best validation error %.4f", Date().timeIntervalSince(t1), tuner.epochsDone,
                   tuner.bestValidationError.isFinite ? tuner.bestValidationError : .nan))
        let model = DeepBeliefNetwork(stack: stack, classifier: tuner.best)
        try DBNModelFile.write(model, metadata: .init(model: model, pretraining: noPretrain ? nil : pre, fineTuning: fine,
                                                      validationError: tuner.bestValidationError.isFinite ? tuner.bestValidationError : nil,
                                                      epochs: tuner.epochsDone), to: out)
        print("wrote \(out)" + String(format: " (total %.1f s)", Date().timeIntervalSince(start)))
        if let test, let testLabels {
            let (tx, ty) = try DBNCommand.load(images: test, labels: testLabels)
            try DBNCommand.check(tx, file: test, model: model, modelFile: out)
            let result = Classification.evaluate(model.classifier.probabilities(tx), labels: ty)
            print(String(format: "test accuracy %.4f (error %.4f) on %d images of %@", result.accuracy, result.errorRate, result.total, test))
        }

        func say(_ s: String) {
            guard !quiet else { return }
            // Unbuffered, so that a log file sees each line as it happens.
            FileHandle.standardOutput.write(Data((s + "\n").utf8))
        }
    }

    /// Writes the finished lower layers as a pretraining checkpoint.
    static func writePretrained(_ rbms: [RestrictedBoltzmannMachine], total: Int, to path: String) throws {
        var archive = NumpyArchive(DBNModelFile.rbmArrays(rbms))
        archive["metadata"] = NumpyArray(string: "{\"format\":\"energymodels.dbn-pretraining\",\"layers_done\":\(rbms.count),\"layers\":\(total)}")
        try archive.write(to: path)
    }

    /// Reads the finished lower layers of a pretraining checkpoint.
    static func readPretrained(_ path: String) throws -> [RestrictedBoltzmannMachine] {
        try DBNModelFile.readRBMs(try NumpyArchive.read(path), file: path)
    }
}
