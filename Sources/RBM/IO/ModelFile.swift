import EnergyCore
import EnergyFormats
import Foundation

/// An RBM as a NumPy `.npz` archive that loads in NumPy as it is:
///
/// - `W`: visible × hidden, float32;
/// - `visible_bias`, `hidden_bias`: float32 vectors;
/// - `metadata`: a JSON string with the format, the unit types, the sizes, the training settings,
///   the seed and the epochs trained.
///
/// A file with only `W` and the two biases (written from Python, say) is read as a Bernoulli RBM.
public enum RBMModelFile {
    /// The JSON metadata of a model file.
    public struct Metadata: Codable, Sendable, Equatable {
        public var format = "energymodels.rbm"
        public var version = 1
        public var visibleUnits: VisibleUnits
        public var visible: Int
        public var hidden: Int
        public var training: RBMTrainer.Configuration?
        public var epochs: Int?

        public init(model: RestrictedBoltzmannMachine, training: RBMTrainer.Configuration? = nil, epochs: Int? = nil) {
            visibleUnits = model.visibleUnits
            visible = model.visibleCount
            hidden = model.hiddenCount
            self.training = training
            self.epochs = epochs
        }

        enum CodingKeys: String, CodingKey {
            case format, version, visible, hidden, training, epochs
            case visibleUnits = "visible_units"
        }
    }

    /// The arrays of a model, for writing alone or inside a checkpoint.
    public static func archive(_ model: RestrictedBoltzmannMachine, metadata: Metadata) throws -> NumpyArchive {
        var archive = NumpyArchive([("W", NumpyArray(model.weights)),
                                    ("visible_bias", NumpyArray(model.visibleBias, shape: [model.visibleCount])),
                                    ("hidden_bias", NumpyArray(model.hiddenBias, shape: [model.hiddenCount]))])
        try archive.setJSON(metadata)
        return archive
    }

    /// Writes a model atomically.
    public static func write(_ model: RestrictedBoltzmannMachine, metadata: Metadata, to path: String) throws {
        try archive(model, metadata: metadata).write(to: path)
    }

    /// Reads a model (or the model inside a checkpoint).
    ///
    /// - Throws: `InputError` naming the file and the member for a missing array, a shape that does
    ///   not agree with `W`, non-finite values, or metadata of another kind of file.
    public static func read(_ path: String) throws -> (model: RestrictedBoltzmannMachine, metadata: Metadata?) {
        try read(try NumpyArchive.read(path), file: path)
    }

    /// Reads a model from an archive already loaded.
    public static func read(_ archive: NumpyArchive, file path: String) throws -> (model: RestrictedBoltzmannMachine, metadata: Metadata?) {
        let metadata = try archive.optionalJSON(Metadata.self, format: "energymodels.rbm", what: "an RBM", file: path)
        let w = try archive.require("W", file: path)
        guard w.shape.count == 2 else { throw InputError(file: path, .entry("W"), "expected a 2-D visible × hidden array, found shape \(w.shape)") }
        guard w.shape[0] > 0, w.shape[1] > 0 else {
            throw InputError(file: path, .entry("W"), "expected at least 1 visible and 1 hidden unit, found shape \(w.shape)")
        }
        let weights = try w.matrix(as: Float.self, file: path, what: "W")
        if let metadata, metadata.visible != weights.rows || metadata.hidden != weights.columns {
            throw InputError(file: path, .entry("metadata"), "says \(metadata.visible)×\(metadata.hidden); the arrays are \(weights.rows)×\(weights.columns)")
        }
        let a: [Float] = try archive.require("visible_bias", file: path).values() ?? []
        let b: [Float] = try archive.require("hidden_bias", file: path).values() ?? []
        guard a.count == weights.rows else {
            throw InputError(file: path, .entry("visible_bias"), "expected \(weights.rows) values (the rows of W), found \(a.count)")
        }
        guard b.count == weights.columns else {
            throw InputError(file: path, .entry("hidden_bias"), "expected \(weights.columns) values (the columns of W), found \(b.count)")
        }
        guard weights.isFinite, a.allFinite, b.allFinite else {
            throw InputError(file: path, "the model holds NaN or infinite parameters")
        }
        let model = RestrictedBoltzmannMachine(weights: weights, visibleBias: a, hiddenBias: b,
                                               visibleUnits: metadata?.visibleUnits ?? .bernoulli)
        return (model, metadata)
    }
}
