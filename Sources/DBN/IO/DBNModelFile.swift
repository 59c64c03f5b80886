import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// DBN model files: one NumPy `.npz` holding, per layer, the pretrained RBM (`rbm{k}_W`,
/// `rbm{k}_visible_bias`, `rbm{k}_hidden_bias`) and the fine-tuned classifier layer (`layer{k}_W`,
/// inputs × outputs, and `layer{k}_b`), plus a `metadata` JSON string. After up-down fine-tuning
/// the layers below the top also have their untied recognition weights, `recognition{k}_W` (the
/// shape of `rbm{k}_W`), and `rbm{k}_W` holds the generative weights. `np.load` reads it as is.
public enum DBNModelFile {
    /// The JSON metadata.
    public struct Metadata: Codable, Equatable, Sendable {
        public var format = "energymodels.dbn"
        public var version = 1
        /// Classifier sizes, input first, classes last.
        public var sizes: [Int]
        public var classes: Int
        /// Label units of the generative top RBM (0: none).
        public var labelUnits: Int
        public var pretrained: Bool
        public var pretraining: Pretrainer.Configuration?
        public var fineTuning: FineTuner.Configuration?
        /// The best validation error of fine-tuning (nil without a validation split).
        public var validationError: Double?
        /// Fine-tuning epochs run.
        public var epochs: Int?
        /// The up-down fine-tuning of the generative model, when it ran.
        public var generativeFineTuning: UpDownFineTuner.Configuration?

        public init(model: DeepBeliefNetwork, pretraining: Pretrainer.Configuration?, fineTuning: FineTuner.Configuration?,
                    validationError: Double?, epochs: Int?) {
            sizes = model.classifier.sizes
            classes = model.classes
            labelUnits = model.stack?.labelUnits ?? 0
            pretrained = model.stack != nil
            self.pretraining = pretraining
            self.fineTuning = fineTuning
            self.validationError = validationError
            self.epochs = epochs
        }
    }

    /// The arrays of a model.
    public static func archive(_ model: DeepBeliefNetwork, metadata: Metadata) throws -> NumpyArchive {
        let recognition = (model.stack?.recognitionWeights ?? []).enumerated().map { k, w in ("recognition\(k)_W", NumpyArray(w)) }
        var archive = NumpyArchive(rbmArrays(model.stack?.layers ?? []) + recognition + layerArrays(model.classifier))
        try archive.setJSON(metadata)
        return archive
    }

    /// The arrays of a stack of RBMs: `rbm{k}_W`, `rbm{k}_visible_bias`, `rbm{k}_hidden_bias`.
    public static func rbmArrays(_ rbms: [RestrictedBoltzmannMachine]) -> [(String, NumpyArray)] {
        rbms.enumerated().flatMap { k, rbm in
            [("rbm\(k)_W", NumpyArray(rbm.weights)),
             ("rbm\(k)_visible_bias", NumpyArray(rbm.visibleBias, shape: [rbm.visibleCount])),
             ("rbm\(k)_hidden_bias", NumpyArray(rbm.hiddenBias, shape: [rbm.hiddenCount]))]
        }
    }

    /// The arrays of a classifier: `{prefix}{k}_W` (inputs × outputs) and `{prefix}{k}_b`.
    public static func layerArrays(_ network: FeedForwardNetwork, prefix: String = "layer") -> [(String, NumpyArray)] {
        network.layers.enumerated().flatMap { k, layer in
            [("\(prefix)\(k)_W", NumpyArray(layer.weights)), ("\(prefix)\(k)_b", NumpyArray(layer.bias, shape: [layer.outputs]))]
        }
    }

    /// The classifier layers stored under `{prefix}{k}_…`, checked: no layer is empty, each bias
    /// matches its weights' columns, consecutive layers chain, the values are finite, and there is at
    /// least one layer.
    public static func readLayers(_ archive: NumpyArchive, prefix: String = "layer", file path: String) throws -> [DenseLayer] {
        var layers: [DenseLayer] = []
        while let w = archive["\(prefix)\(layers.count)_W"] {
            let k = layers.count, name = "\(prefix)\(k)"
            let weights = try w.matrix(as: Float.self, file: path, what: "\(name)_W")
            guard weights.rows > 0, weights.columns > 0 else {
                throw InputError(file: path, .entry("\(name)_W"), "expected at least one input and one output, found \(weights.rows)×\(weights.columns)")
            }
            let b: [Float] = try archive.require("\(name)_b", file: path).values() ?? []
            guard b.count == weights.columns else {
                throw InputError(file: path, .entry("\(name)_b"), "expected \(weights.columns) values (the columns of \(name)_W), found \(b.count)")
            }
            if let previous = layers.last, previous.outputs != weights.rows {
                throw InputError(file: path, .entry("\(name)_W"), "expected \(previous.outputs) rows (the outputs of layer \(k - 1)), found \(weights.rows)")
            }
            guard weights.isFinite, b.allFinite else { throw InputError(file: path, .entry("\(name)_W"), "holds NaN or infinite values") }
            layers.append(DenseLayer(weights: weights, bias: b))
        }
        guard !layers.isEmpty else { throw InputError(file: path, .entry("\(prefix)0_W"), "missing: the file holds no classifier layers") }
        return layers
    }

    /// The RBMs stored under `rbm{k}_…` (none when there are none). Each layer is an RBM file's arrays
    /// under a prefix, read and checked by the RBM module's reader.
    public static func readRBMs(_ archive: NumpyArchive, file path: String) throws -> [RestrictedBoltzmannMachine] {
        var rbms: [RestrictedBoltzmannMachine] = []
        while archive["rbm\(rbms.count)_W"] != nil {
            let k = rbms.count
            let layer = NumpyArchive(["W", "visible_bias", "hidden_bias"].compactMap { name in archive["rbm\(k)_\(name)"].map { (name, $0) } })
            rbms.append(try RBMModelFile.read(layer, file: "\(path) (rbm\(k))").model)
        }
        return rbms
    }

    /// The untied recognition weights `recognition{k}_W` of the layers below the top (nil when the
    /// file has none: the weights are tied).
    ///
    /// - Throws: `InputError` naming the member when only some layers have them or one is not a matrix.
    static func readRecognitionWeights(_ archive: NumpyArchive, layers: Int, file path: String) throws -> [Matrix<Float>]? {
        guard archive["recognition0_W"] != nil || archive["recognition\(max(0, layers - 2))_W"] != nil else { return nil }
        return try (0..<max(0, layers - 1)).map { k in
            try archive.require("recognition\(k)_W", file: path).matrix(as: Float.self, file: path, what: "recognition\(k)_W")
        }
    }

    /// Writes a model atomically.
    public static func write(_ model: DeepBeliefNetwork, metadata: Metadata, to path: String) throws {
        try archive(model, metadata: metadata).write(to: path)
    }

    /// Reads a model.
    ///
    /// - Throws: `InputError` naming the file and member for missing arrays, shapes that do not
    ///   chain, non-finite values, or metadata of another kind of file.
    public static func read(_ path: String) throws -> (model: DeepBeliefNetwork, metadata: Metadata) {
        try read(try NumpyArchive.read(path), file: path)
    }

    /// Reads a model from an archive already loaded (a model file or a checkpoint).
    public static func read(_ archive: NumpyArchive, file path: String) throws -> (model: DeepBeliefNetwork, metadata: Metadata) {
        let metadata = try archive.json(Metadata.self, format: "energymodels.dbn", what: "a DBN", file: path)
        let rbms = try readRBMs(archive, file: path)
        let recognition = try readRecognitionWeights(archive, layers: rbms.count, file: path)
        let stack = rbms.isEmpty ? nil : try LayerStack(rbms, labelUnits: metadata.labelUnits, recognitionWeights: recognition, source: path)
        let layers = try readLayers(archive, file: path)
        let model = DeepBeliefNetwork(stack: stack, classifier: FeedForwardNetwork(layers: layers))
        guard model.classifier.sizes == metadata.sizes else {
            throw InputError(file: path, .entry("metadata"), "sizes \(metadata.sizes) do not match the arrays \(model.classifier.sizes)")
        }
        return (model, metadata)
    }
}
