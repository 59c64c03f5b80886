import EnergyCore
import EnergyFormats
import Foundation

/// Fine-tuning checkpoints: the model file's arrays (with the current network as the classifier)
/// plus the best network so far, the optimiser's state (with the weight average), the generator's state and the epoch, so
/// that `--resume` continues bit for bit.
extension FineTuner {
    struct State: Codable {
        var format = "energymodels.dbn-checkpoint"
        var epochsDone: Int
        var bestValidationError: Double?
        var epochsSinceBest: Int
        var optimizerSteps: Int
        var algorithm: String
        var configuration: FineTuningConfiguration
    }

    /// Writes a checkpoint atomically. `stack` and `pretraining` are carried along so that the
    /// checkpoint is also a loadable model file.
    public func writeCheckpoint(to path: String, stack: LayerStack?, pretraining: PretrainingConfiguration?) throws {
        let model = DeepBeliefNetwork(stack: stack, classifier: network)
        var archive = try DBNModelFile.archive(model, metadata: .init(model: model, pretraining: pretraining, fineTuning: configuration,
                                                                      validationError: bestValidationError.isFinite ? bestValidationError : nil,
                                                                      epochs: epochsDone))
        for (name, array) in DBNModelFile.layerArrays(best, prefix: "best_layer") { archive[name] = array }
        for (name, arrays) in [("first", optimizer.first), ("second", optimizer.second), ("average", optimizer.average)] {
            for (k, v) in arrays.enumerated() { archive["optimizer_\(name)\(k)"] = NumpyArray(v, shape: [v.count]) }
        }
        archive.store(random)
        let state = State(epochsDone: epochsDone, bestValidationError: bestValidationError.isFinite ? bestValidationError : nil,
                          epochsSinceBest: epochsSinceBest, optimizerSteps: optimizer.steps, algorithm: random.algorithm,
                          configuration: configuration)
        try archive.setJSON(state, as: "training_state")
        try archive.write(to: path)
    }

    /// A fine-tuner resumed from a checkpoint; every setting but the epochs must equal the checkpoint's.
    ///
    /// - Throws: `InputError` naming the checkpoint for a missing or malformed member or other settings.
    public static func resume(from path: String, configuration: FineTuningConfiguration) throws -> (FineTuner, LayerStack?) {
        let archive = try NumpyArchive.read(path)
        let state = try archive.json(State.self, "training_state", format: "energymodels.dbn-checkpoint", what: "a DBN checkpoint", file: path)
        var expected = state.configuration
        expected.epochs = configuration.epochs
        guard expected == configuration else {
            throw InputError(file: path, "the checkpoint was fine-tuned with other settings; resume with the same settings, changing only --finetune-epochs")
        }
        let (model, _) = try DBNModelFile.read(archive, file: path)
        let random = try archive.restoreRandom(algorithm: state.algorithm, seed: configuration.seed, file: path)
        let tuner = try FineTuner(network: model.classifier, configuration: configuration, random: random)
        let best = FeedForwardNetwork(layers: try DBNModelFile.readLayers(archive, prefix: "best_layer", file: path))
        guard best.sizes == model.classifier.sizes else {
            throw InputError(file: path, .entry("best_layer0_W"), "expected the shapes of the layer{k}_W arrays, \(model.classifier.sizes); found \(best.sizes)")
        }
        tuner.restore(best: best, bestValidationError: state.bestValidationError ?? .infinity,
                      epochsSinceBest: state.epochsSinceBest, epochsDone: state.epochsDone)
        var optimizer = OptimizerState(for: model.classifier, averaging: configuration.averaging != nil)
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
        tuner.optimizer = optimizer
        return (tuner, model.stack)
    }
}
