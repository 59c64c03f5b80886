import EnergyCore
import EnergyFormats
import Foundation
@testable import RBM
import TestSupport
import Testing

/// The library workflows: `RBMTrainer.train`, starting and resuming runs, divergence, the data
/// preparation of a run, the log-likelihood evaluation, and the configuration's checks.
@Suite("RBM workflows")
struct WorkflowTests {
    /// 300 binary examples of 16 units: two noisy prototypes.
    static func examples(rows: Int = 300, seed: UInt64 = 1) -> Matrix<Float> {
        var data = Matrix<Float>(rows: rows, columns: 16, repeating: 0.1)
        for r in stride(from: 0, to: rows, by: 2) { for i in 0..<8 { data[r, i] = 0.9 } }
        RandomSource(seed: seed).sampleBernoulli(&data.storage)
        return data
    }

    static func bits(_ m: RestrictedBoltzmannMachine) -> [UInt32] {
        (m.weights.storage + m.visibleBias + m.hiddenBias).map(\.bitPattern)
    }

    /// A report without its wall-clock time, for comparing runs.
    static func numbers(_ r: RBMTrainer.EpochReport) -> [Double?] {
        [Double(r.epoch), r.learningRate, r.momentum, r.reconstructionError, r.freeEnergyTrain, r.freeEnergyValidation, r.pseudoLikelihood]
    }

    @Test("train equals a loop of trainEpoch, and writes the checkpoint after every epoch",
          arguments: [GibbsSampling.contrastiveDivergence(steps: 2), .persistent(chains: 20, steps: 1)])
    func trainIsTheEpochLoop(_ sampling: GibbsSampling) throws {
        let dir = TemporaryFolder()
        let data = Self.examples(), validation = Self.examples(rows: 40, seed: 2)
        let config = RBMTrainer.Configuration(sampling: sampling, epochs: 3, batchSize: 32, learningRate: 0.1, seed: 7)
        let manual = try RBMTrainer(hidden: 8, data: data, configuration: config)
        var expected: [[Double?]] = []
        for _ in 0..<3 { expected.append(Self.numbers(try manual.trainEpoch(data, validation: validation))) }

        let trainer = try RBMTrainer(hidden: 8, data: data, configuration: config)
        var seen: [[Double?]] = []
        try trainer.train(data: data, validation: validation, checkpoint: dir.file("c.npz")) { report in
            seen.append(Self.numbers(report))
            // The checkpoint of this epoch is already written.
            let saved = try RBMTrainer(resumingFrom: dir.file("c.npz"), configuration: config)
            #expect(saved.epochsDone == report.epoch)
        }
        #expect(Self.bits(trainer.model) == Self.bits(manual.model))
        #expect(seen == expected)
        #expect(trainer.epochsDone == 3 && trainer.lastCheckpoint == dir.file("c.npz"))
        // A trainer that is done trains no more.
        try trainer.train(data: data) { _ in Issue.record("no epoch is left to train") }
    }

    @Test("the public initialisers take their stream from configuration.seed")
    func seedFromConfiguration() throws {
        let data = Self.examples()
        let config = RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: 1), epochs: 2, batchSize: 50, seed: 11)
        // A new model: initialised from the data on the seed's stream, which goes on to train it.
        let a = try RBMTrainer(hidden: 6, data: data, configuration: config)
        let random = RandomSource(seed: 11)
        let model = RestrictedBoltzmannMachine.initialized(visible: 16, hidden: 6, data: data, random: random)
        let b = try RBMTrainer(model: model, configuration: config, random: random)
        #expect(a.model == b.model)
        try a.train(data: data)
        try b.train(data: data)
        #expect(Self.bits(a.model) == Self.bits(b.model))
        // A given model: the stream starts at the seed.
        let c = try RBMTrainer(model: model, configuration: config), d = try RBMTrainer(model: model, configuration: config, random: RandomSource(seed: 11))
        try c.train(data: data)
        try d.train(data: data)
        #expect(Self.bits(c.model) == Self.bits(d.model))
    }

    @Test("resuming through train gives the run that never stopped, bit for bit",
          arguments: [GibbsSampling.contrastiveDivergence(steps: 1), .persistent(chains: 20, steps: 2)])
    func resumeThroughTrain(_ sampling: GibbsSampling) throws {
        let dir = TemporaryFolder()
        let data = Self.examples()
        let config = RBMTrainer.Configuration(sampling: sampling, epochs: 4, batchSize: 32, learningRate: 0.1,
                                              sparsityTarget: 0.1, sparsityCost: 0.01, seed: 42)
        let straight = try RBMTrainer(hidden: 8, data: data, configuration: config)
        try straight.train(data: data)

        // A run stopped after epoch 2 (the checkpoint of an epoch is written before `onEpoch` sees it).
        struct Interrupted: Error {}
        let first = try RBMTrainer(hidden: 8, data: data, configuration: config)
        #expect(throws: Interrupted.self) {
            try first.train(data: data, checkpoint: dir.file("c.npz")) { if $0.epoch == 2 { throw Interrupted() } }
        }
        let resumed = try RBMTrainer(hidden: 8, data: data, configuration: config, resumingFrom: dir.file("c.npz"))
        #expect(resumed.epochsDone == 2)
        var epochs: [Int] = []
        try resumed.train(data: data, checkpoint: dir.file("c.npz")) { epochs.append($0.epoch) }
        #expect(epochs == [3, 4])
        #expect(Self.bits(resumed.model) == Self.bits(straight.model))

        // The checkpoint must hold a model of the asked shape and unit type.
        #expect(throws: InputError.self) { try RBMTrainer(hidden: 9, data: data, configuration: config, resumingFrom: dir.file("c.npz")) }
        #expect(throws: InputError.self) {
            try RBMTrainer(hidden: 8, visibleUnits: .gaussian, data: data, configuration: config, resumingFrom: dir.file("c.npz"))
        }
    }

    @Test("a diverging run stops with an error naming the last good checkpoint, which is kept")
    func divergenceKeepsTheCheckpoint() throws {
        let dir = TemporaryFolder()
        let data = Self.examples(rows: 20)
        // One mini-batch per epoch at a huge learning rate: the first update leaves W near ε, finite;
        // in the second, the weight decay term ελW overflows.
        let config = RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: 1), epochs: 3, batchSize: 20, learningRate: 1e30,
                                              decay: .none, seed: 3)
        let trainer = try RBMTrainer(hidden: 4, data: data, configuration: config)
        var saved = Data()
        #expect {
            try trainer.train(data: data, checkpoint: dir.file("c.npz")) { _ in saved = try Data(contentsOf: URL(fileURLWithPath: dir.file("c.npz"))) }
        } throws: { error in
            let message = (error as? NumericalError)?.message ?? ""
            return message.contains("training diverged in epoch 2, mini-batch 1")
                && message.hasSuffix("the last good checkpoint is kept: \(dir.file("c.npz"))")
                && !message.contains("--")
        }
        #expect(trainer.epochsDone == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("c.npz"))) == saved)
        #expect(try RBMTrainer(resumingFrom: dir.file("c.npz"), configuration: config).epochsDone == 1)
        // The diverged state is not saved over it.
        #expect(throws: NumericalError.self) { try trainer.writeCheckpoint(to: dir.file("c.npz")) }
        #expect(throws: NumericalError.self) { try trainer.writeModel(to: dir.file("m.npz")) }
    }

    @Test("every visible bias learns, even with fewer hidden units than blocks")
    func fewHiddenUnits() throws {
        let data = Self.examples()
        let trainer = try RBMTrainer(hidden: 1, data: data, configuration: .init(sampling: .contrastiveDivergence(steps: 1), epochs: 1, seed: 2))
        let before = trainer.model.visibleBias
        try trainer.train(data: data)
        #expect(zip(before, trainer.model.visibleBias).allSatisfy { $0 != $1 })
    }

    @Test("validate names the field", arguments: [
        (RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: 0)), "sampling.steps"),
        (RBMTrainer.Configuration(sampling: .persistent(chains: 0, steps: 1)), "sampling.chains"),
        (RBMTrainer.Configuration(sampling: .persistent(chains: 10, steps: 0)), "sampling.steps"),
        (RBMTrainer.Configuration(epochs: 0), "epochs"),
        (RBMTrainer.Configuration(batchSize: 0), "batchSize"),
        (RBMTrainer.Configuration(learningRate: 0), "learningRate"),
        (RBMTrainer.Configuration(learningRate: .infinity), "learningRate"),
        (RBMTrainer.Configuration(initialMomentum: 1), "initialMomentum"),
        (RBMTrainer.Configuration(finalMomentum: -0.1), "finalMomentum"),
        (RBMTrainer.Configuration(momentumRampEpochs: -1), "momentumRampEpochs"),
        (RBMTrainer.Configuration(weightDecay: -1), "weightDecay"),
        (RBMTrainer.Configuration(sparsityTarget: 1), "sparsityTarget"),
        (RBMTrainer.Configuration(sparsityCost: -1), "sparsityCost"),
        (RBMTrainer.Configuration(initialWeightScale: .nan), "initialWeightScale"),
    ])
    func validateNamesTheField(_ config: RBMTrainer.Configuration, _ field: String) throws {
        #expect { try config.validate() } throws: { ($0 as? ConfigurationError)?.field == field }
        #expect { try RBMTrainer(model: RestrictedBoltzmannMachine(visible: 2, hidden: 2), configuration: config) } throws: {
            ($0 as? ConfigurationError)?.field == field
        }
    }

    @Test("the defaults are valid, and hidden below 1 is refused by name")
    func defaults() throws {
        try RBMTrainer.Configuration().validate()
        #expect(RBMTrainer.Configuration() == RBMTrainer.Configuration(sampling: .persistent(chains: 100, steps: 3), epochs: 100, batchSize: 100,
                                                                        learningRate: 0.05, decay: .linear, seed: 1, centring: true))
        #expect(throws: ConfigurationError(field: "hidden", "expected at least 1 hidden unit, got 0")) {
            try RBMTrainer(hidden: 0, data: Self.examples(), configuration: .init())
        }
    }

    @Test("training data: binarised from the seed's data stream, checked, the validation rows capped")
    func trainingData() throws {
        var raw = Matrix<Float>(rows: 30, columns: 4, repeating: 0.5)
        raw[3, 2] = 0.25
        let validation = Matrix<Float>(rows: 12, columns: 4, repeating: 0.7)
        let config = RBMTrainer.Configuration(seed: 9)
        let prepared = try RBMTrainingData(training: raw, validation: validation, binarization: .stochastic, configuration: config, validationLimit: 5)
        let stream = RandomSource(seed: 9 ^ 0xB1A5)
        #expect(prepared.training == DataMatrix.binarize(raw, .stochastic, random: stream))
        #expect(prepared.validation == DataMatrix.binarize(validation, .stochastic, random: stream).rows(0..<5))
        #expect(RBMTrainingData.defaultValidationLimit == 10_000)
        #expect(try RBMTrainingData(training: raw, configuration: config).training == raw)

        var outside = raw
        outside[4, 1] = 2
        #expect(throws: InputError(file: "x.csv", .record(4), "value 2.0 in column 2 is outside [0, 1], which Bernoulli visible units need; "
                                   + "rescale the data or use Gaussian visible units")) {
            try RBMTrainingData(training: outside, configuration: config, trainingFile: "x.csv")
        }
        #expect(try RBMTrainingData(training: outside, visibleUnits: .gaussian, configuration: config).training == outside)
        #expect(throws: InputError.self) {
            try RBMTrainingData(training: raw, validation: Matrix(rows: 2, columns: 3), configuration: config)
        }
        #expect(throws: ConfigurationError.self) { try RBMTrainingData(training: raw, configuration: config, validationLimit: 0) }
    }

    @Test("the log-likelihood evaluation is binarisation, then log Z, then mean(−F) − log Z")
    func logLikelihood() throws {
        let rbm = ModelTests.tiny(.bernoulli, visible: 6, hidden: 4, seed: 5)
        var raw = Matrix<Float>(rows: 50, columns: 6, repeating: 0.3)
        RandomSource(seed: 1).fillGaussian(&raw.storage, mean: 0.5, sigma: 0.1)

        let exact = try LogLikelihood.evaluate(rbm, data: raw, method: .exact, seed: 4)
        let random = RandomSource(seed: 4)
        let x = DataMatrix.binarize(raw, .stochastic, random: random)
        let logZ = try PartitionFunction.exactLogZ(rbm)
        #expect(exact.logZ == logZ && exact.enumeratedUnits == 4 && exact.estimate == nil && exact.examples == 50)
        #expect(exact.averageLogLikelihood == AnnealedImportanceSampling.averageLogLikelihood(rbm, x, logZ: logZ))

        let ais = try LogLikelihood.evaluate(rbm, data: raw, method: .annealedImportanceSampling(runs: 20, temperatures: 300), seed: 4)
        let expected = try AnnealedImportanceSampling.estimateLogZ(rbm, baseBias: AnnealedImportanceSampling.baseRateBias(x),
                                                                   temperatures: AnnealedImportanceSampling.temperatures(total: 300),
                                                                   runs: 20, random: random)
        #expect(ais.logZ == expected.logZ && ais.estimate?.logZHigh == expected.logZHigh && ais.enumeratedUnits == nil)
        #expect(abs(ais.logZ - logZ) < 0.1)

        #expect(throws: InputError(file: "d.csv", "examples have 6 values; the model has 5 visible units")) {
            try LogLikelihood.evaluate(ModelTests.tiny(.bernoulli, visible: 5, hidden: 2), data: raw, method: .exact, dataFile: "d.csv")
        }
        #expect(throws: ConfigurationError.self) { try LogLikelihood.evaluate(rbm, data: raw, method: .annealedImportanceSampling(runs: 1, temperatures: 100)) }
    }

    @Test("transform and filters")
    func features() throws {
        let rbm = ModelTests.tiny(.bernoulli, visible: 6, hidden: 4)
        var x = Matrix<Float>(rows: 10, columns: 6, repeating: 0.5)
        RandomSource(seed: 3).sampleBernoulli(&x.storage)
        #expect(try rbm.transform(x) == rbm.hiddenProbabilities(x))
        #expect(throws: InputError(file: "f.npy", "examples have 16 values; the model has 6 visible units")) {
            try rbm.transform(Self.examples(), file: "f.npy")
        }
        #expect(rbm.filters(count: 2) == rbm.weights.transposed.rows(0..<2))
        #expect(rbm.filters(count: 0).rows == 1 && rbm.filters(count: 99).rows == 4)
    }

    @Test("no RBM source names a command-line option")
    func noFlags() throws {
        let folder = repositoryRoot + "/Sources/RBM"
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            #expect(text.range(of: #"--[a-z]"#, options: .regularExpression) == nil, "\(file) names a command-line option")
        }
    }
}
