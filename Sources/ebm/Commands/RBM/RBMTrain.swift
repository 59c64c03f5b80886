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
    @Option(help: "Use only the first N training examples.", transform: OptionRange.integer(1...)) var limit: Int?
    @Option(help: "Hidden units.") var hidden: Int
    @Option(help: "Visible units: bernoulli or gaussian.") var visibleUnits = VisibleUnits.bernoulli
    @Option(help: "Binarize the data: threshold, stochastic or none.") var binarize = Binarization.none
    @Option(name: .customLong("cd"), help: "Gibbs steps k (CD-k, or per update with --pcd).") var cdSteps = RBMTrainer.Configuration().sampling.steps
    @Flag(name: .customLong("pcd"), inversion: .prefixedNo, help: "Persistent contrastive divergence (the default).") var persistent = true
    @Option(help: "Persistent chains (PCD).") var chains = 100
    @Option(help: "Epochs.") var epochs = RBMTrainer.Configuration().epochs
    @Option(help: "Mini-batch size.") var batch = RBMTrainer.Configuration().batchSize
    @Option(help: "Initial learning rate.") var lr = RBMTrainer.Configuration().learningRate
    @Option(help: "Learning-rate decay: none, linear (to 0 at the end) or inverse (lr/(1+epoch)).") var lrDecay = RBMTrainer.Configuration().decay
    @Option(help: "Final momentum (reached after --momentum-ramp epochs).") var momentum = RBMTrainer.Configuration().finalMomentum
    @Option(help: "Initial momentum.") var initialMomentum = RBMTrainer.Configuration().initialMomentum
    @Option(help: "Epochs over which momentum rises.") var momentumRamp = RBMTrainer.Configuration().momentumRampEpochs
    @Option(help: "L2 weight decay.") var weightDecay = RBMTrainer.Configuration().weightDecay
    @Option(help: "Target mean hidden activation (sparsity).") var sparsityTarget: Double?
    @Option(help: "Sparsity penalty weight.") var sparsityCost = RBMTrainer.Configuration().sparsityCost
    @Option(help: "Random seed.") var seed = RBMTrainer.Configuration().seed
    @Option(help: "The model file to write (.npz).") var out: String
    @Option(help: "The checkpoint file (default: OUT with .checkpoint.npz).") var checkpoint: String?
    @Flag(help: "Resume from the checkpoint.") var resume = false
    @Flag(help: "No progress bar or per-epoch lines.") var quiet = false

    /// The option that sets each field of `RBMTrainer.Configuration` (and `hidden`).
    static let flags = ConfigurationFlags([
        "sampling.steps": "--cd", "sampling.chains": "--chains", "epochs": "--epochs", "batchSize": "--batch",
        "learningRate": "--lr", "decay": "--lr-decay", "initialMomentum": "--initial-momentum", "finalMomentum": "--momentum",
        "momentumRampEpochs": "--momentum-ramp", "weightDecay": "--weight-decay", "sparsityTarget": "--sparsity-target",
        "sparsityCost": "--sparsity-cost", "seed": "--seed", "hidden": "--hidden",
    ])

    /// The settings as an `RBMTrainer.Configuration`.
    var trainingConfiguration: RBMTrainer.Configuration {
        RBMTrainer.Configuration(
            sampling: persistent ? .persistent(chains: chains, steps: cdSteps) : .contrastiveDivergence(steps: cdSteps),
            epochs: epochs, batchSize: batch, learningRate: lr, decay: lrDecay, initialMomentum: initialMomentum,
            finalMomentum: momentum, momentumRampEpochs: momentumRamp, weightDecay: weightDecay,
            sparsityTarget: sparsityTarget, sparsityCost: sparsityCost, seed: seed)
    }

    func validate() throws {
        guard hidden >= 1 else { throw ValidationError("--hidden: expected at least 1 hidden unit, got \(hidden)") }
        try Self.flags.map { try trainingConfiguration.validate() }
    }

    func run() throws {
        let config = trainingConfiguration
        let checkpointPath = checkpoint ?? ModelFileNaming.checkpoint(for: out)
        try AtomicFile.checkOutput(out, isNotAnyOf: [data] + (validation.map { [$0] } ?? []))
        try AtomicFile.checkOutput(checkpointPath, isNotAnyOf: [data, out] + (validation.map { [$0] } ?? []))
        let examples = try RBMTrainingData(training: RBMCommandSupport.load(data, limit: limit), validation: validation.map(DataMatrix.load),
                                           binarization: binarize, visibleUnits: visibleUnits, configuration: config,
                                           trainingFile: data, validationFile: validation ?? "")
        let trainer = try Self.flags.map {
            try RBMTrainer(hidden: hidden, visibleUnits: visibleUnits, data: examples.training, configuration: config,
                           resumingFrom: resume ? checkpointPath : nil)
        }
        if resume { say("resuming \(checkpointPath) after epoch \(trainer.epochsDone)") }
        say("RBM \(examples.training.columns)×\(hidden) (\(visibleUnits.rawValue) visible), \(config.sampling.name), \(examples.training.rows) examples, "
            + "batch \(config.batchSize), lr \(config.learningRate) (\(config.decay.rawValue) decay), momentum \(config.initialMomentum)→\(config.finalMomentum), "
            + "weight decay \(config.weightDecay), seed \(seed)")
        try trainer.train(data: examples.training, validation: examples.validation, checkpoint: checkpointPath,
                          progress: ProgressReporter(quiet: quiet)) { say(Self.describe($0)) }
        try trainer.writeModel(to: out)
        print("wrote \(out) (\(trainer.epochsDone) epochs; checkpoint \(checkpointPath))")
    }

    private func say(_ line: String) { if !quiet { print(line) } }

    /// The line printed after each epoch.
    static func describe(_ r: RBMTrainer.EpochReport) -> String {
        var s = String(format: "epoch %3d  recon %8.3f  F(train) %9.3f", r.epoch, r.reconstructionError, r.freeEnergyTrain)
        if let v = r.freeEnergyValidation { s += String(format: "  F(valid) %9.3f  gap %7.3f", v, v - r.freeEnergyTrain) }
        if let pl = r.pseudoLikelihood { s += String(format: "  PL %9.3f", pl) }
        s += String(format: "  lr %.4f  momentum %.2f  %.1f s", r.learningRate, r.momentum, r.seconds)
        return s
    }
}
