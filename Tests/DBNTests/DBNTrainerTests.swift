import DBN
import EnergyCore
import EnergyFormats
import Foundation
import RBM
import TestSupport
import Testing

/// A toy problem of `classes` classes: each class lights its own group of 4 of 12 binary inputs
/// (10% of the bits flipped).
func toyProblem(classes: Int = 3, rows: Int = 300, seed: UInt64 = 11) -> (Matrix<Float>, [Int]) {
    let random = RandomSource(seed: seed)
    var x = Matrix<Float>(rows: rows, columns: 4 * classes)
    var y: [Int] = []
    for r in 0..<rows {
        let c = random.integer(below: classes)
        y.append(c)
        for j in 0..<x.columns {
            let bit: Float = j / 4 == c ? 1 : 0
            x[r, j] = random.bernoulli(0.1) ? 1 - bit : bit
        }
    }
    return (x, y)
}

@Suite("DBN trainer: the whole run")
struct DBNTrainerTests {
    let dir = TemporaryFolder()

    /// Small settings: two hidden layers, 2 pretraining epochs each (batch 20), 3 fine-tuning epochs.
    func configuration(pretrained: Bool = true, classes: Int? = nil) -> DBNTrainer.Configuration {
        var pre = Pretrainer.Configuration(layers: [10, 8], epochs: [2])
        for k in pre.training.indices { pre.training[k].batchSize = 20 }
        return DBNTrainer.Configuration(layers: [10, 8], pretraining: pretrained ? pre : nil,
                                        fineTuning: .init(epochs: 3, batchSize: 20, learningRate: pretrained ? nil : 0.1),
                                        validationSplit: 60, classes: classes, seed: 5)
    }

    /// The bytes of the model file `trainer` writes.
    func modelBytes(_ trainer: DBNTrainer, _ name: String) throws -> Data {
        try trainer.writeModel(to: dir.file(name))
        return try Data(contentsOf: URL(fileURLWithPath: dir.file(name)))
    }

    /// The metadata of the model file `trainer` writes.
    func writtenMetadata(_ trainer: DBNTrainer) throws -> DBNModelFile.Metadata {
        try trainer.writeModel(to: dir.file("written.npz"))
        return try DBNModelFile.read(dir.file("written.npz")).metadata
    }

    @Test("train is pretraining, unrolling and fine-tuning on one stream seeded with the configuration's seed")
    func composition() throws {
        let (x, y) = toyProblem()
        let c = configuration()
        let trainer = try DBNTrainer(configuration: c)
        let model = try trainer.train(x, labels: y)
        // The same run by hand.
        let random = RandomSource(seed: 5)
        let train = x.rows(0..<240), labels = Array(y[0..<240]), validation = (x.rows(240..<300), Array(y[240...]))
        let stack = try Pretrainer(configuration: try #require(trainer.configuration.pretraining), random: random).train(train, labels: labels, classes: 3)
        let tuner = try FineTuner(model: FeedForwardNetwork(unrolling: stack, classes: 3, random: random),
                                  configuration: trainer.configuration.fineTuning, random: random)
        while !tuner.stopped { _ = try tuner.trainEpoch(train, labels: labels, validation: validation) }
        #expect(model.stack == stack && model.classifier == tuner.best)
        // The run's seed is the stages' seed, as the model file records it.
        #expect(trainer.configuration.fineTuning.seed == 5 && trainer.configuration.pretraining?.seed == 5)
        let metadata = try writtenMetadata(trainer)
        #expect(metadata.fineTuning?.seed == 5 && metadata.epochs == 3 && metadata.validationError == tuner.bestValidationError)
    }

    @Test("without pretraining, the same architecture from random initialisation")
    func noPretraining() throws {
        let (x, y) = toyProblem()
        let trainer = try DBNTrainer(configuration: configuration(pretrained: false))
        let model = try trainer.train(x, labels: y)
        let random = RandomSource(seed: 5)
        let tuner = try FineTuner(model: FeedForwardNetwork(sizes: [12, 10, 8, 3], random: random),
                                  configuration: trainer.configuration.fineTuning, random: random)
        try tuner.train(x.rows(0..<240), labels: Array(y[0..<240]), validation: (x.rows(240..<300), Array(y[240...])))
        #expect(model.stack == nil && model.classifier == tuner.best)
        #expect(try writtenMetadata(trainer).pretraining == nil)
    }

    @Test("by default nothing is held out: every example is trained on, and the weight average after the last epoch is kept")
    func noValidationSplitByDefault() throws {
        #expect(DBNTrainer.Configuration().validationSplit == 0)
        let (x, y) = toyProblem()
        var c = configuration(pretrained: false)
        c.validationSplit = DBNTrainer.Configuration().validationSplit
        let trainer = try DBNTrainer(configuration: c)
        let model = try trainer.train(x, labels: y, checkpoints: dir.file("m.npz"))
        let random = RandomSource(seed: 5)
        let tuner = try FineTuner(model: FeedForwardNetwork(sizes: [12, 10, 8, 3], random: random),
                                  configuration: trainer.configuration.fineTuning, random: random)
        try tuner.train(x, labels: y)
        #expect(model.classifier == tuner.averagedModel && model.classifier != tuner.model)
        #expect(try writtenMetadata(trainer).validationError == nil)
        // The checkpoint's kept network is the saved one; read as a model file it gives the current weights.
        let checkpoint = dir.file("m.checkpoint.npz")
        let kept = try FineTuner.keptModel(inCheckpoint: checkpoint)
        #expect(kept.model.classifier == model.classifier && kept.metadata.epochs == 3)
        #expect(try DBNModelFile.read(checkpoint).model.classifier == tuner.model)
        let error = #expect(throws: InputError.self) { try FineTuner.keptModel(inCheckpoint: dir.file("written.npz")) }
        #expect(error?.description.contains("training_state") == true && error?.description.contains("written.npz") == true, "\(String(describing: error))")
    }

    struct Interrupted: Error {}

    @Test("a run resumed after an interruption in each stage writes the same model file as an uninterrupted run",
          arguments: ["pretraining layer 2", "fine-tuning epoch 2", "nothing saved"])
    func resume(stoppedAt: String) throws {
        let (x, y) = toyProblem()
        let c = configuration()
        let straight = try DBNTrainer(configuration: c)
        try straight.train(x, labels: y, checkpoints: dir.file("straight.npz"))
        let out = dir.file("resumed.npz")
        if stoppedAt != "nothing saved" {
            #expect(throws: Interrupted.self) {
                try DBNTrainer(configuration: c).train(x, labels: y, checkpoints: out) { report in
                    switch report {
                    case .pretraining(let r) where stoppedAt == "pretraining layer 2" && r.layer == 2: throw Interrupted()
                    case .fineTuning(let r) where stoppedAt == "fine-tuning epoch 2" && r.epoch == 2: throw Interrupted()
                    default: break
                    }
                }
            }
        }
        let resumed = try DBNTrainer(resumingFrom: out, configuration: c)
        switch stoppedAt {
        case "pretraining layer 2": #expect(resumed.pretrainer?.trained.count == 1 && resumed.fineTuner == nil)
        case "fine-tuning epoch 2": #expect(resumed.fineTuner?.epochsDone == 2 && resumed.stack != nil)
        default: #expect(resumed.pretrainer?.trained.isEmpty == true && resumed.fineTuner == nil)
        }
        try resumed.train(x, labels: y, checkpoints: out)
        #expect(try modelBytes(resumed, "a.npz") == modelBytes(straight, "b.npz"))
    }

    @Test("a run interrupted in either stage is not resumed on other data or labels (issue #13)",
          arguments: ["pretraining layer 2", "fine-tuning epoch 2"])
    func resumeRefusesOtherData(stoppedAt: String) throws {
        let (x, y) = toyProblem()
        let c = configuration()
        let out = dir.file("other-data.npz")
        #expect(throws: Interrupted.self) {
            try DBNTrainer(configuration: c).train(x, labels: y, checkpoints: out) { report in
                switch report {
                case .pretraining(let r) where stoppedAt == "pretraining layer 2" && r.layer == 2: throw Interrupted()
                case .fineTuning(let r) where stoppedAt == "fine-tuning epoch 2" && r.epoch == 2: throw Interrupted()
                default: break
                }
            }
        }
        var flipped = y
        flipped[0] = (flipped[0] + 1) % 3
        var changed = x
        changed[0, 0] = 1 - changed[0, 0]
        for (data, labels) in [(x.rows(0..<200), Array(y[0..<200])), (x, flipped), (changed, y)] {
            let resumed = try DBNTrainer(resumingFrom: out, configuration: c)
            let error = #expect(throws: InputError.self) { try resumed.train(data, labels: labels, checkpoints: out) }
            #expect(error?.description.contains("other training data") == true, "\(stoppedAt): \(String(describing: error))")
        }
        // The same data still resumes.
        try DBNTrainer(resumingFrom: out, configuration: c).train(x, labels: y, checkpoints: out)
    }

    @Test("a fine-tuning checkpoint is not resumed with other pretraining settings, or none")
    func resumeRefusesOtherPretraining() throws {
        let (x, y) = toyProblem()
        let out = dir.file("m.npz")
        try DBNTrainer(configuration: configuration()).train(x, labels: y, checkpoints: out)
        var other = configuration()
        other.pretraining?.training[0].learningRate = 0.05
        #expect(throws: InputError.self) { try DBNTrainer(resumingFrom: out, configuration: other) }
        #expect(throws: InputError.self) { try DBNTrainer(resumingFrom: out, configuration: configuration(pretrained: false)) }
    }

    @Test("the classes come from the labels: a 3-class problem gives a 3-way softmax and 3 label units; or from the configuration")
    func classesFromLabels() throws {
        let (x, y) = toyProblem(classes: 3)
        let model = try DBNTrainer(configuration: configuration()).train(x, labels: y)
        #expect(model.classes == 3 && model.stack?.labelUnits == 3 && model.classifier.sizes == [12, 10, 8, 3])
        let five = try DBNTrainer(configuration: configuration(classes: 5)).train(x, labels: y)
        #expect(five.classes == 5 && five.stack?.labelUnits == 5)
        #expect(throws: InputError(file: "labels", .record(y.firstIndex(of: 2) ?? 0), "expected a class label 0–1, found 2")) {
            try DBNTrainer(configuration: configuration(classes: 2)).train(x, labels: y)
        }
        #expect(throws: InputError.self) { try DBNTrainer(configuration: configuration()).train(x, labels: [Int](repeating: 0, count: 300)) }
    }

    @Test("configuration errors name the field path, nested under the stage")
    func configurationErrors() throws {
        #expect(throws: ConfigurationError(field: "fineTuning.learningRate", "expected a learning rate > 0, got 0.0")) {
            try DBNTrainer.Configuration(fineTuning: .init(learningRate: 0)).validate()
        }
        #expect(throws: ConfigurationError(field: "pretraining.layers[1]", "expected a positive layer size, got 0")) {
            try DBNTrainer(configuration: .init(pretraining: .init(layers: [10, 0])))
        }
        #expect(throws: ConfigurationError(field: "pretraining.layers", "expected the network's layers [10], got [500, 500, 2000]")) {
            try DBNTrainer.Configuration(layers: [10]).validate()
        }
        #expect(throws: ConfigurationError(field: "layers[0]", "expected a positive layer size, got -3")) {
            try DBNTrainer.Configuration(layers: [-3], pretraining: nil).validate()
        }
        #expect(throws: ConfigurationError(field: "validationSplit", "expected 0 or more examples, got -1")) {
            try DBNTrainer.Configuration(validationSplit: -1).validate()
        }
        // Patience counts epochs without a better validation error: without a split it would never stop.
        #expect(throws: ConfigurationError(field: "fineTuning.patience", "expected no patience when no examples are held out for validation, got 5")) {
            try DBNTrainer.Configuration(fineTuning: .init(patience: 5)).validate()
        }
        try DBNTrainer.Configuration(fineTuning: .init(patience: 5), validationSplit: 100).validate()
        #expect(throws: ConfigurationError(field: "classes", "expected at least 2 classes, got 1")) { try DBNTrainer.Configuration(classes: 1).validate() }
        // Held out against the data: not a valid split of 300 examples.
        let (x, y) = toyProblem()
        var c = configuration()
        c.validationSplit = 300
        #expect(throws: ConfigurationError(field: "validationSplit", "expected fewer than the 300 training examples, got 300")) {
            try DBNTrainer(configuration: c).train(x, labels: y)
        }
        // The seed is the run's: the stages' own seeds are overwritten, not refused.
        var seeds = configuration()
        seeds.pretraining?.training[1].seed = 99
        #expect(try DBNTrainer(configuration: seeds).configuration.pretraining?.training.map(\.seed) == [5, 5])
    }

    @Test("a layer's RBM settings are refused with the field nested under pretraining.training[k]")
    func layerFieldNames() throws {
        var c = DBNTrainer.Configuration(pretraining: .init(layers: [10, 8, 6]))
        c.pretraining?.training[2].finalMomentum = 1.5
        let error = #expect(throws: ConfigurationError.self) { try c.validate() }
        #expect(error?.field == "pretraining.training[2].finalMomentum")
    }
}
