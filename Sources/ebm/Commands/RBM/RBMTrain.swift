import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm rbm train`: train an RBM by CD-k or PCD, with a checkpoint after every epoch.
struct RBMTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an RBM by contrastive divergence (CD-k), persistent CD or parallel tempering.",
        discussion: """
        Data: MNIST IDX (gzip or raw), .npy or numeric CSV, one example per row; IDX and uint8 pixels are \
        scaled to [0, 1]. After every epoch it prints the reconstruction error, the mean free energy of \
        the training and validation data, the pseudo-log-likelihood and the time, and writes a checkpoint \
        (MODEL.checkpoint.npz) atomically; --resume continues from it bit for bit. Training that produces \
        NaN or Inf stops with a message, and the last good checkpoint is kept. --sampler pt trains with \
        parallel tempering (Desjardins et al. 2010) and prints the swap acceptance of each pair of \
        neighbouring temperatures. The gradient is centred around moving averages of the data means by \
        default (Melchior et al. 2016); --no-centring takes the plain gradient. The saved model is an \
        ordinary RBM either way. The defaults (centred PCD-3, 100 epochs) were chosen by measurement on \
        MNIST (docs/rbm.md).
        """)

    @Option(help: "Training data.") var data: String
    @Option(help: "Validation data (free-energy gap).") var validation: String?
    @Option(help: "Use only the first N training examples.", transform: OptionRange.integer(1...)) var limit: Int?
    @Option(help: "Hidden units.") var hidden: Int
    @Option(help: "Visible units: bernoulli or gaussian.") var visibleUnits = VisibleUnits.bernoulli
    @Option(help: "Binarize the data: threshold, stochastic or none.") var binarize = Binarization.none
    @Option(name: .customLong("cd"), help: "Gibbs steps k (CD-k, or per update with PCD and PT).") var cdSteps = RBMTrainer.Configuration().sampling.steps
    @Flag(name: .customLong("pcd"), inversion: .prefixedNo, help: "Persistent contrastive divergence (the default), or CD with --no-pcd.") var persistent: Bool?
    @Option(help: "The sampler: cd, pcd (the default) or pt (parallel tempering); instead of --pcd/--no-pcd.") var sampler: RBMSamplerOption?
    @Option(help: "Persistent chains (PCD; per temperature with PT).") var chains = RBMTrainer.Configuration().sampling.chains ?? 100
    @Option(help: "Temperatures of parallel tempering, β from 1 down to --min-beta (geometric).",
            transform: OptionRange.integer(2...1000)) var temperatures = 10
    @Option(help: "Lowest inverse temperature of parallel tempering.", transform: OptionRange.real(0.001...0.999)) var minBeta = 0.5
    @Flag(inversion: .prefixedNo, help: "Centre the gradient around moving averages of the data means (Melchior et al. 2016; the default), or not with --no-centring.")
    var centring = RBMTrainer.Configuration().centring
    @Option(help: "Moving-average rate of the centring offsets per mini-batch.", transform: OptionRange.real(0.0001...1))
    var offsetRate = RBMTrainer.Configuration().offsetRate
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
    @Option(help: "The GSL generator that draws the Gibbs samples, seeded from --seed's mt19937 stream (before this option: mt19937).")
    var samplingGenerator = RBMTrainer.Configuration().samplingGenerator
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
        "sampling.temperatures": "--temperatures", "sampling.minimumBeta": "--min-beta", "offsetRate": "--offset-rate",
        "samplingGenerator": "--sampling-generator",
    ])

    /// The sampler asked for: `--sampler`, else `--pcd`/`--no-pcd`, else PCD.
    var chosenSampler: RBMSamplerOption {
        if let sampler { return sampler }
        return persistent == false ? .cd : .pcd
    }

    /// The library's sampling for the chosen sampler.
    var sampling: GibbsSampling {
        switch chosenSampler {
        case .cd: .contrastiveDivergence(steps: cdSteps)
        case .pcd: .persistent(chains: chains, steps: cdSteps)
        case .pt: .tempered(chains: chains, steps: cdSteps, temperatures: temperatures, minimumBeta: minBeta)
        }
    }

    /// The settings as an `RBMTrainer.Configuration`.
    var trainingConfiguration: RBMTrainer.Configuration {
        RBMTrainer.Configuration(
            sampling: sampling,
            epochs: epochs, batchSize: batch, learningRate: lr, decay: lrDecay, initialMomentum: initialMomentum,
            finalMomentum: momentum, momentumRampEpochs: momentumRamp, weightDecay: weightDecay,
            sparsityTarget: sparsityTarget, sparsityCost: sparsityCost, seed: seed, centring: centring, offsetRate: offsetRate,
            samplingGenerator: samplingGenerator)
    }

    func validate() throws {
        guard hidden >= 1 else { throw ValidationError("--hidden: expected at least 1 hidden unit, got \(hidden)") }
        if sampler != nil, persistent != nil { throw ValidationError("--sampler: give --sampler or --pcd/--no-pcd, not both") }
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
            + "weight decay \(config.weightDecay)\(config.centring ? ", centred (offset rate \(config.offsetRate))" : ""), seed \(seed)")
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
        if let rates = r.swapAcceptance, !rates.isEmpty {
            s += rates.count <= 8
                ? "  swaps " + rates.map { String(format: "%.2f", $0) }.joined(separator: " ")
                : String(format: "  swaps min %.2f mean %.2f", rates.min() ?? 0, rates.reduce(0, +) / Double(rates.count))
        }
        s += String(format: "  lr %.4f  momentum %.2f  %.1f s", r.learningRate, r.momentum, r.seconds)
        return s
    }
}
