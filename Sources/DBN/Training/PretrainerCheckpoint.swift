import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// Pretraining checkpoints: the finished layers as `rbm{k}_W`, `rbm{k}_visible_bias`,
/// `rbm{k}_hidden_bias` (the arrays of a DBN model file's stack) and a `metadata` JSON document
/// `{"format": "energymodels.dbn-pretraining", "layers": n, "layers_done": k}`. A resumed
/// pretraining trains the layers above them, on the stream an uninterrupted run would have drawn.
extension Pretrainer {
    struct State: Codable {
        var format = "energymodels.dbn-pretraining"
        /// Layers the run trains.
        var layers: Int
        /// Layers finished and stored.
        var layersDone: Int
        /// The data (and labels, for a generative top) the run started on; absent in checkpoints
        /// written before it was recorded.
        var trainingData: DataFingerprint?

        enum CodingKeys: String, CodingKey {
            case format, layers
            case layersDone = "layers_done"
            case trainingData = "training_data"
        }
    }

    /// Writes the finished layers atomically.
    public func writeCheckpoint(to path: String) throws {
        var archive = NumpyArchive(DBNModelFile.rbmArrays(trained))
        try archive.setJSON(State(layers: configuration.layers.count, layersDone: trained.count, trainingData: trainingData))
        try archive.write(to: path)
    }

    /// A pretrainer resumed from a checkpoint, drawing from a stream seeded with `configuration.seed`.
    /// The settings of the layers not yet trained may differ from the run that wrote it.
    ///
    /// - Throws: `InputError` naming the checkpoint for a missing or malformed member, or a run of
    ///   another number of layers.
    public convenience init(resumingFrom checkpoint: String, configuration: Configuration) throws {
        try self.init(resumingFrom: checkpoint, configuration: configuration, random: RandomSource(seed: configuration.seed))
    }

    /// A pretrainer resumed from a checkpoint, drawing from `random`, a stream it shares with the run it is part of.
    package convenience init(resumingFrom checkpoint: String, configuration: Configuration, random: RandomSource) throws {
        let archive = try NumpyArchive.read(checkpoint)
        let state = try archive.json(State.self, format: "energymodels.dbn-pretraining", what: "a DBN pretraining checkpoint", file: checkpoint)
        let rbms = try DBNModelFile.readRBMs(archive, file: checkpoint)
        guard rbms.count == state.layersDone else {
            throw InputError(file: checkpoint, .entry("metadata"), "says \(state.layersDone) layers are done, but the file holds \(rbms.count)")
        }
        guard state.layers == configuration.layers.count, rbms.count <= configuration.layers.count else {
            throw InputError(file: checkpoint, "is the pretraining of \(state.layers) layers; the configuration has \(configuration.layers.count)")
        }
        try self.init(configuration: configuration, random: random, trained: rbms)
        source = checkpoint
        trainingData = state.trainingData
    }

    /// Throws unless the finished layers have the sizes of the configuration, the first one with
    /// `inputs` visible units, and a finished label-joined top `classes` label units.
    func checkTrained(inputs: Int, classes: Int) throws {
        for (k, rbm) in trained.enumerated() {
            let top = k == configuration.layers.count - 1
            let visible = (k == 0 ? inputs : configuration.layers[k - 1]) + (top && configuration.generativeTop ? classes : 0)
            guard rbm.visibleCount == visible, rbm.hiddenCount == configuration.layers[k] else {
                throw InputError(file: source, .entry("rbm\(k)_W"), "is a \(rbm.visibleCount)×\(rbm.hiddenCount) layer; "
                                 + "the data and the configuration ask for \(visible)×\(configuration.layers[k])")
            }
        }
    }
}
