import EnergyCore
import EnergyFormats
import Foundation

/// A stored memory as a NumPy `.npz` archive, loadable with `numpy.load`:
///
/// - `weights`: N × N float32 (absent for the dense and the modern memory);
/// - `patterns`: P × N float32, ±1;
/// - `thresholds`: N float32;
/// - `metadata`: a JSON string with the `rule` (its name, which for the dense memory holds the
///   function and degree: `dense-poly3`, `dense-exp`; `modern`), `neurons`, `patterns`, the pattern `shape`
///   and the projection `rank`.
public enum HopfieldModelFile {
    /// What the `metadata` member says about the memory: its rule, its size and how its patterns
    /// are shaped. Everything in it is also in the memory; it is there for readers of the `.npz`
    /// that are not this toolkit (NumPy).
    public struct Metadata: Codable, Equatable, Sendable {
        /// Always `energymodels.hopfield`.
        public var format = "energymodels.hopfield"
        public var version = 1
        /// The rule's name (`LearningRule.name`).
        public var rule: String
        public var neurons: Int
        public var patterns: Int
        /// The 2-D shape of each pattern, [height, width], when the patterns are images.
        public var shape: [Int]?
        /// The rank of the stored patterns, for the projection rule.
        public var rank: Int?

        /// The metadata of `memory`.
        public init(model memory: AssociativeMemory) {
            rule = memory.rule.name
            neurons = memory.neurons
            patterns = memory.patterns.count
            shape = memory.patterns.shape.map { [$0.height, $0.width] }
            rank = memory.rank
        }
    }

    /// Writes `memory` to `path` atomically.
    public static func write(_ memory: AssociativeMemory, to path: String) throws {
        var archive = NumpyArchive()
        try archive.setJSON(Metadata(model: memory))
        if AssociativeMemory.hasWeights(memory.rule) { archive["weights"] = NumpyArray(memory.weights) }
        archive["patterns"] = NumpyArray(memory.patterns.values)
        archive["thresholds"] = NumpyArray(memory.thresholds, shape: [memory.neurons])
        try archive.write(to: path)
    }

    /// Reads a memory written by `write(_:to:)`, with its metadata.
    ///
    /// - Throws: `InputError` naming the file and the archive member for a missing or malformed
    ///   member, an unknown rule, or shapes that do not agree.
    public static func read(_ path: String) throws -> (model: AssociativeMemory, metadata: Metadata) {
        let archive = try NumpyArchive.read(path)
        let meta = try archive.json(Metadata.self, format: "energymodels.hopfield", what: "a Hopfield memory", file: path)
        guard let rule = LearningRule.named(meta.rule) else {
            throw InputError(file: path, .entry("metadata"), "unknown learning rule '\(meta.rule)'")
        }
        let n = meta.neurons
        guard n >= 1 else { throw InputError(file: path, .entry("metadata"), "expected at least 1 neuron, found \(n)") }
        let patterns = try archive.require("patterns", file: path).matrix(as: Float.self, file: path, what: "patterns")
        guard patterns.columns == n || patterns.rows == 0 else {
            throw InputError(file: path, .entry("patterns"), "patterns have \(patterns.columns) columns; metadata says \(n) neurons")
        }
        guard patterns.storage.allSatisfy({ $0 == 1 || $0 == -1 }) else {
            throw InputError(file: path, .entry("patterns"), "expected every pattern value to be -1 or 1")
        }
        let thresholds: [Float] = try archive.require("thresholds", file: path).values() ?? []
        guard thresholds.count == n else {
            throw InputError(file: path, .entry("thresholds"), "expected \(n) thresholds, found \(thresholds.count)")
        }
        guard thresholds.allFinite else { throw InputError(file: path, .entry("thresholds"), "expected finite thresholds, found NaN or infinity") }
        var weights = Matrix<Float>(rows: 0, columns: 0)
        if AssociativeMemory.hasWeights(rule) {
            weights = try archive.require("weights", file: path).matrix(as: Float.self, file: path, what: "weights")
            guard weights.rows == n, weights.columns == n else {
                throw InputError(file: path, .entry("weights"), "expected \(n)×\(n) weights, found \(weights.rows)×\(weights.columns)")
            }
            guard weights.isFinite else { throw InputError(file: path, .entry("weights"), "expected finite weights, found NaN or infinity") }
        }
        let shape = meta.shape.flatMap { $0.count == 2 && $0.allSatisfy({ $0 > 0 }) && Sizes.product($0) == n ? (height: $0[0], width: $0[1]) : nil }
        let memory = AssociativeMemory(rule: rule, patterns: PatternSet(Matrix(rows: patterns.rows, columns: n, storage: patterns.storage), shape: shape),
                                       weights: weights, thresholds: thresholds, rank: meta.rank)
        return (memory, meta)
    }
}
