import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm rbm train`: train an RBM by CD-k or PCD, with a checkpoint after every epoch.
struct RBMTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an RBM by contrastive divergence (CD-k) or persistent CD.",
        discussion: """
        Data: MNIST IDX (gzip or raw), .npy or numeric CSV, one example per row; IDX and uint8 pixels are \
        scaled to [0, 1]. After every epoch it prints the reconstruction error, the mean free energy of \
        the training and validation data, the pseudo-log-likelihood and the time, and writes a checkpoint \
        (MODEL.checkpoint.npz) atomically; --resume continues from it bit for bit. Training that produces \
        NaN or Inf stops with a message, and the last good checkpoint is kept.
        """)

    @Option(help: "Training data.") var data: String
    @Option(help: "Validation data (free-energy gap).") var validation: String?
    @Option(help: "Use only the first N training examples.") var limit: Int?
    @Option(help: "Hidden units.") var hidden: Int
    @Option(help: "Visible units: bernoulli or gaussian.") var visibleUnits = "bernoulli"
    @Option(help: "Binarize the data: threshold, stochastic or none.") var binarize = "none"
    @Option(name: .customLong("cd"), help: "Gibbs steps k (CD-k, or per update with --pcd).") var cdSteps = 1
    @Flag(name: .customLong("pcd"), inversion: .prefixedNo, help: "Persistent contrastive divergence (the default).") var persistent = true
    @Option(help: "Persistent chains (PCD).") var chains = 100
    @Option(help: "Epochs.") var epochs = RBMTrainer.Configuration().epochs
    @Option(help: "Mini-batch size.") var batch = RBMTrainer.Configuration().batchSize
    @Option(help: "Initial learning rate.") var lr = RBMTrainer.Configuration().learningRate
    @Option(help: "Learning-rate decay: none, linear (to 0 at the end) or inverse (lr/(1+epoch)).") var lrDecay = RBMTrainer.Configuration().decay.rawValue
    @Option(help: "Final momentum (reached after --momentum-ramp epochs).") var momentum = RBMTrainer.Configuration().finalMomentum
    @Option(help: "Initial momentum.") var initialMomentum = RBMTrainer.Configuration().initialMomentum
    @Option(help: "Epochs over which momentum rises.") var momentumRamp = RBMTrainer.Configuration().momentumRampEpochs
    @Option(help: "L2 weight decay.") var weightDecay = RBMTrainer.Configuration().weightDecay
    @Option(help: "Target mean hidden activation (sparsity).") var sparsityTarget: Double?
    @Option(help: "Sparsity penalty weight.") var sparsityCost = 0.0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The model file to write (.npz).") var out: String
    @Option(help: "The checkpoint file (default: OUT with .checkpoint.npz).") var checkpoint: String?
    @Flag(help: "Resume from the checkpoint.") var resume = false
    @Flag(help: "No progress bar or per-epoch lines.") var quiet = false

    /// The settings as an `RBMTrainer.Configuration`.
    func trainingConfiguration() throws -> RBMTrainer.Configuration {
        var c = RBMTrainer.Configuration()
        c.sampling = persistent ? .persistent(chains: chains, steps: cdSteps) : .contrastiveDivergence(steps: cdSteps)
        c.epochs = epochs
        c.batchSize = batch
        c.learningRate = lr
        guard let decay = LearningRateDecay(rawValue: lrDecay) else {
            throw InputError(file: "--lr-decay", "expected none, linear or inverse, got '\(lrDecay)'")
        }
        c.decay = decay
        c.initialMomentum = initialMomentum
        c.finalMomentum = momentum
        c.momentumRampEpochs = momentumRamp
        c.weightDecay = weightDecay
        c.sparsityTarget = sparsityTarget
        c.sparsityCost = sparsityCost
        c.seed = seed
        try c.validate()
        return c
    }

    func run() throws {
        guard hidden >= 1 else { throw InputError(file: "--hidden", "expected at least 1 hidden unit, got \(hidden)") }
        guard let units = VisibleUnits(rawValue: visibleUnits) else {
            throw InputError(file: "--visible-units", "expected bernoulli or gaussian, got '\(visibleUnits)'")
        }
        guard let binarization = Binarization(rawValue: binarize) else {
            throw InputError(file: "--binarize", "expected threshold, stochastic or none, got '\(binarize)'")
        }
        let config = try trainingConfiguration()
        let checkpointPath = checkpoint ?? ModelFileNaming.checkpoint(for: out)
        try AtomicFile.checkOutput(out, isNotAnyOf: [data] + (validation.map { [$0] } ?? []))
        try AtomicFile.checkOutput(checkpointPath, isNotAnyOf: [data, out] + (validation.map { [$0] } ?? []))

        let random = try RandomSource(seed: seed)
        var train = try DataMatrix.load(data)
        if let limit {
            guard limit >= 1 else { throw InputError(file: "--limit", "expected at least 1 example, got \(limit)") }
            train = train.rows(0..<min(limit, train.rows))
        }
        let dataRandom = RandomSource(seed: seed ^ 0xB1A5)
        train = DataMatrix.binarize(train, binarization, random: dataRandom)
        var valid = try validation.map { try DataMatrix.binarize(DataMatrix.load($0), binarization, random: dataRandom) }
        if units == .bernoulli {
            try RBMCommandSupport.checkUnitInterval(train, file: data)
            if let valid, let validation { try RBMCommandSupport.checkUnitInterval(valid, file: validation) }
        }
        if let v = valid, v.columns != train.columns {
            throw InputError(file: validation ?? "", "validation examples have \(v.columns) values; training examples have \(train.columns)")
        }
        valid = valid.map { $0.rows(0..<min($0.rows, 10_000)) }

        let trainer: RBMTrainer
        if resume {
            trainer = try RBMTrainer(resumingFrom: checkpointPath, configuration: config)
            guard trainer.model.visibleCount == train.columns, trainer.model.hiddenCount == hidden else {
                throw InputError(file: checkpointPath, "the checkpoint is a \(trainer.model.visibleCount)×\(trainer.model.hiddenCount) RBM; the data and --hidden ask for \(train.columns)×\(hidden)")
            }
            say("resuming \(checkpointPath) after epoch \(trainer.epochsDone)")
        } else {
            let model = RestrictedBoltzmannMachine.initialized(visible: train.columns, hidden: hidden, visibleUnits: units, data: train,
                                                               weightScale: config.initialWeightScale, random: random)
            trainer = try RBMTrainer(model: model, configuration: config, random: random)
        }
        say("RBM \(train.columns)×\(hidden) (\(units.rawValue) visible), \(config.sampling.name), \(train.rows) examples, batch \(config.batchSize), "
            + "lr \(config.learningRate) (\(config.decay.rawValue) decay), momentum \(config.initialMomentum)→\(config.finalMomentum), weight decay \(config.weightDecay), seed \(seed)")
        while trainer.epochsDone < config.epochs {
            let progress = ProgressReporter(quiet: quiet)
            let report: RBMTrainer.EpochReport
            do {
                report = try trainer.trainEpoch(train, validation: valid, progress: progress)
            } catch let error as NumericalError {
                let kept = FileManager.default.fileExists(atPath: checkpointPath) ? "; the last good checkpoint is \(checkpointPath)" : ""
                throw NumericalError(error.message + kept)
            }
            try trainer.writeCheckpoint(to: checkpointPath)
            say(Self.describe(report))
        }
        try RBMModelFile.write(trainer.model, metadata: .init(model: trainer.model, training: config, epochs: trainer.epochsDone), to: out)
        print("wrote \(out) (\(trainer.epochsDone) epochs; checkpoint \(checkpointPath))")
    }

    private func say(_ line: String) { if !quiet { print(line) } }

    static func describe(_ r: RBMTrainer.EpochReport) -> String {
        var s = String(format: "epoch %3d  recon %8.3f  F(train) %9.3f", r.epoch, r.reconstructionError, r.freeEnergyTrain)
        if let v = r.freeEnergyValidation { s += String(format: "  F(valid) %9.3f  gap %7.3f", v, v - r.freeEnergyTrain) }
        if let pl = r.pseudoLikelihood { s += String(format: "  PL %9.3f", pl) }
        s += String(format: "  lr %.4f  momentum %.2f  %.1f s", r.learningRate, r.momentum, r.seconds)
        return s
    }
}
