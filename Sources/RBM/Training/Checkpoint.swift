import EnergyCore
import EnergyFormats
import Foundation

/// Saving and resuming a training run.
///
/// A checkpoint holds the model's arrays (so it also loads as a model), the momentum velocities,
/// the persistent chains (at every temperature, for parallel tempering), the centring offsets, the sparsity averages, the generator's full state and the epoch. Resuming
/// from it continues bit for bit as if the run had not stopped (same binary and thread count).
extension RBMTrainer {
    private struct State: Codable {
        var format = "energymodels.rbm-checkpoint"
        var epochsDone: Int
        var algorithm: String
        var configuration: Configuration
        /// Absent in checkpoints written before it was recorded.
        var trainingData: DataFingerprint?
    }

    /// Writes the checkpoint atomically.
    ///
    /// - Throws: `NumericalError` after an update diverged (the last good checkpoint is kept).
    public func writeCheckpoint(to path: String) throws {
        try checkNotDiverged()
        var archive = try RBMModelFile.archive(model, metadata: .init(model: model, training: configuration, epochs: epochsDone))
        archive["W_velocity"] = NumpyArray(weightVelocity)
        archive["visible_velocity"] = NumpyArray(visibleVelocity, shape: [visibleVelocity.count])
        archive["hidden_velocity"] = NumpyArray(hiddenVelocity, shape: [hiddenVelocity.count])
        archive["hidden_activity"] = NumpyArray(hiddenActivity, shape: [hiddenActivity.count])
        if let chains { archive["chains"] = NumpyArray(chains) }
        if let offsets {
            archive["visible_offset"] = NumpyArray(offsets.visible, shape: [offsets.visible.count])
            archive["hidden_offset"] = NumpyArray(offsets.hidden, shape: [offsets.hidden.count])
        }
        archive.store(random)
        let state = State(epochsDone: epochsDone, algorithm: random.algorithm, configuration: configuration, trainingData: trainingData)
        try archive.setJSON(state, as: "training_state")
        try archive.write(to: path)
        lastCheckpoint = path
    }

    /// A trainer resumed from a checkpoint, continuing to `configuration.epochs`.
    ///
    /// Every setting but the number of epochs must equal the checkpoint's.
    ///
    /// - Throws: `ConfigurationError` naming the field of a setting that cannot train; `InputError`
    ///   naming the checkpoint for a missing or malformed member, or settings that differ from those
    ///   the run was started with.
    public convenience init(resumingFrom path: String, configuration: Configuration) throws {
        let archive = try NumpyArchive.read(path)
        let state = try archive.json(State.self, "training_state", format: "energymodels.rbm-checkpoint", what: "an RBM checkpoint", file: path)
        var expected = state.configuration
        expected.epochs = configuration.epochs
        guard expected == configuration else {
            throw InputError(file: path, "the checkpoint was trained with other settings (\(Self.describe(state.configuration))); "
                             + "resume with the same settings, changing only epochs")
        }
        let (model, _) = try RBMModelFile.read(archive, file: path)
        let random = try archive.restoreRandom(algorithm: state.algorithm, seed: configuration.seed, file: path)
        try self.init(model: model, configuration: configuration, random: random)
        epochsDone = state.epochsDone
        trainingData = state.trainingData
        lastCheckpoint = path
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            let v: [Float] = try archive.require(name, file: path).values() ?? []
            guard v.count == count else { throw InputError(file: path, .entry(name), "expected \(count) values, found \(v.count)") }
            return v
        }
        let velocity = try archive.require("W_velocity", file: path).matrix(as: Float.self, file: path, what: "W_velocity")
        guard velocity.rows == model.visibleCount, velocity.columns == model.hiddenCount else {
            throw InputError(file: path, .entry("W_velocity"), "expected the shape of W")
        }
        weightVelocity = velocity
        visibleVelocity = try vector("visible_velocity", model.visibleCount)
        hiddenVelocity = try vector("hidden_velocity", model.hiddenCount)
        hiddenActivity = try vector("hidden_activity", model.hiddenCount)
        if let c = configuration.sampling.chains, let saved = archive["chains"] {
            let m = try saved.matrix(as: Float.self, file: path, what: "chains")
            let rows = c * (tempering?.betas.count ?? 1)
            guard m.rows == rows, m.columns == model.visibleCount else {
                throw InputError(file: path, .entry("chains"), "expected \(rows) chains of \(model.visibleCount) units")
            }
            chains = m
        }
        if configuration.centring, archive["visible_offset"] != nil || archive["hidden_offset"] != nil {
            offsets = CentringOffsets(visible: try vector("visible_offset", model.visibleCount), hidden: try vector("hidden_offset", model.hiddenCount))
        }
    }

    /// Throws unless `data` is the data the run started on (when that is known): a resumed run on
    /// other examples, fewer of them, or differently binarised ones would silently train another model.
    ///
    /// - Throws: `InputError` naming the checkpoint the run was resumed from.
    func checkTrainingData(_ data: Matrix<Float>) throws {
        guard let saved = trainingData else { return }
        let given = DataFingerprint(data)
        guard given != saved else { return }
        throw InputError(file: lastCheckpoint ?? "the checkpoint", "the run started on other training data (\(saved)); "
                         + "this run gives \(given): resume with the same examples, limit and binarisation")
    }

    private static func describe(_ c: Configuration) -> String {
        "\(c.sampling.name)\(c.centring ? ", centred" : ", not centred"), batch \(c.batchSize), lr \(c.learningRate), seed \(c.seed)"
    }
}
