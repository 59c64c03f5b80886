import EnergyCore
import EnergyFormats
import Foundation

/// Fine-tuning checkpoints: the model file's arrays (with the current network as the classifier)
/// plus the best network so far, the optimiser's state (with the weight average), the generator's
/// state and the epoch, so that a resumed run continues bit for bit.
extension FineTuner {
    struct State: Codable {
        var format = "energymodels.dbn-checkpoint"
        var epochsDone: Int
        var bestValidationError: Double?
        var epochsSinceBest: Int
        var optimizerSteps: Int
        var algorithm: String
        var configuration: Configuration
        /// Absent in checkpoints written before it was recorded.
        var trainingData: DataFingerprint?
    }

    /// Writes a checkpoint atomically; it also loads as a model file (of a network without a stack).
    public func writeCheckpoint(to path: String) throws {
        try writeCheckpoint(to: path, stack: nil, pretraining: nil)
    }

    /// Writes a checkpoint atomically, with `stack` and `pretraining` carried along so that the
    /// checkpoint is also the loadable model file of a DBN.
    func writeCheckpoint(to path: String, stack: LayerStack?, pretraining: Pretrainer.Configuration?) throws {
        let dbn = DeepBeliefNetwork(stack: stack, classifier: model)
        var archive = try DBNModelFile.archive(dbn, metadata: metadata(of: dbn, pretraining: pretraining))
        for (name, array) in DBNModelFile.layerArrays(best, prefix: "best_layer") { archive[name] = array }
        for (name, arrays) in [("first", optimizer.first), ("second", optimizer.second), ("average", optimizer.average)] {
            for (k, v) in arrays.enumerated() { archive["optimizer_\(name)\(k)"] = NumpyArray(v, shape: [v.count]) }
        }
        archive.store(random)
        let state = State(epochsDone: epochsDone, bestValidationError: bestValidationError.isFinite ? bestValidationError : nil, epochsSinceBest: epochsSinceBest,
                          optimizerSteps: optimizer.steps, algorithm: random.algorithm, configuration: configuration,
                          trainingData: trainingData)
        try archive.setJSON(state, as: "training_state")
        try archive.write(to: path)
    }

    /// The model-file metadata of `model` fine-tuned by this fine-tuner so far.
    func metadata(of model: DeepBeliefNetwork, pretraining: Pretrainer.Configuration?) -> DBNModelFile.Metadata {
        .init(model: model, pretraining: pretraining, fineTuning: configuration,
              validationError: bestValidationError.isFinite ? bestValidationError : nil, epochs: epochsDone)
    }

    /// The network a fine-tuning run keeps, read from its checkpoint: the stack with the classifier
    /// the run would save if it ended now (the best by validation error; with no validation data,
    /// the last network, which is its weight average when averaging), in place of the current
    /// weights that `DBNModelFile.read(_:)` gives for a checkpoint. The metadata's `epochs` are the
    /// epochs done.
    ///
    /// - Throws: `InputError` naming the file for a file that is not a DBN fine-tuning checkpoint
    ///   (a model file, say), or a kept network whose shapes differ from the current one.
    public static func keptModel(inCheckpoint path: String) throws -> (model: DeepBeliefNetwork, metadata: DBNModelFile.Metadata) {
        let archive = try NumpyArchive.read(path)
        _ = try archive.json(State.self, "training_state", format: "energymodels.dbn-checkpoint", what: "a DBN checkpoint", file: path)
        let (current, metadata) = try DBNModelFile.read(archive, file: path)
        return (DeepBeliefNetwork(stack: current.stack, classifier: try readKept(archive, like: current.classifier, file: path)), metadata)
    }

    /// The kept network's `best_layer{k}` arrays, which must have the shapes of `model`.
    static func readKept(_ archive: NumpyArchive, like model: FeedForwardNetwork, file path: String) throws -> FeedForwardNetwork {
        let kept = FeedForwardNetwork(layers: try DBNModelFile.readLayers(archive, prefix: "best_layer", file: path))
        guard kept.sizes == model.sizes else {
            throw InputError(file: path, .entry("best_layer0_W"), "expected the shapes of the layer{k}_W arrays, \(model.sizes); found \(kept.sizes)")
        }
        return kept
    }

    /// A fine-tuner resumed from a checkpoint, continuing to `configuration.epochs`; every setting
    /// but the epochs must equal the checkpoint's.
    ///
    /// - Throws: `InputError` naming the checkpoint for a missing or malformed member or other settings.
    public convenience init(resumingFrom checkpoint: String, configuration: Configuration) throws {
        let archive = try NumpyArchive.read(checkpoint)
        let (model, _) = try DBNModelFile.read(archive, file: checkpoint)
        try self.init(resuming: archive, model: model.classifier, file: checkpoint, configuration: configuration)
    }

    /// A fine-tuner resumed from a checkpoint already read, whose current network is `model`.
    convenience init(resuming archive: NumpyArchive, model: FeedForwardNetwork, file path: String, configuration: Configuration) throws {
        let state = try archive.json(State.self, "training_state", format: "energymodels.dbn-checkpoint", what: "a DBN checkpoint", file: path)
        var expected = state.configuration
        expected.epochs = configuration.epochs
        guard expected == configuration else {
            throw InputError(file: path, "the checkpoint was fine-tuned with other settings; resume with the same settings, changing only the epochs")
        }
        let random = try archive.restoreRandom(algorithm: state.algorithm, seed: configuration.seed, file: path)
        try self.init(model: model, configuration: configuration, random: random)
        best = try Self.readKept(archive, like: model, file: path)
        bestValidationError = state.bestValidationError ?? .infinity
        epochsSinceBest = state.epochsSinceBest
        epochsDone = state.epochsDone
        trainingData = state.trainingData
        source = path
        optimizer.steps = state.optimizerSteps
        // The arrays `optimizer_{name}{k}`, each checked against the size of its zero-state twin.
        func stateArrays(_ name: String, like zero: [[Float]]) throws -> [[Float]] {
            try zero.indices.map { k in
                let v: [Float] = try archive.require("optimizer_\(name)\(k)", file: path).values() ?? []
                guard v.count == zero[k].count else {
                    throw InputError(file: path, .entry("optimizer_\(name)\(k)"), "expected \(zero[k].count) values")
                }
                return v
            }
        }
        optimizer.first = try stateArrays("first", like: optimizer.first)
        optimizer.second = try stateArrays("second", like: optimizer.second)
        optimizer.average = try stateArrays("average", like: optimizer.average)
    }
}
