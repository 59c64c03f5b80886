import EnergyCore
import EnergyFormats
import Foundation

/// A stored memory as a NumPy `.npz` archive, loadable with `numpy.load`:
///
/// - `weights`: N × N float32 (absent for the dense memory);
/// - `patterns`: P × N float32, ±1;
/// - `thresholds`: N float32;
/// - `metadata`: a JSON string with `rule`, `neurons`, `patterns`, the pattern `shape`, the
///   dense `function` and `degree`, and the projection `rank`.
public enum MemoryFile {
    private struct Metadata: Codable {
        var format = "energymodels.hopfield"
        var version = 1
        var rule: String
        var neurons: Int
        var patterns: Int
        var shape: [Int]?
        var rank: Int?
    }

    /// Writes `memory` to `path` atomically.
    public static func write(_ memory: AssociativeMemory, to path: String) throws {
        let meta = Metadata(rule: memory.rule.name, neurons: memory.neurons, patterns: memory.patterns.count,
                            shape: memory.patterns.shape.map { [$0.height, $0.width] }, rank: memory.rank)
        var archive = NumpyArchive()
        try archive.setJSON(meta)
        if !memory.isDense { archive["weights"] = NumpyArray(memory.weights) }
        archive["patterns"] = NumpyArray(memory.patterns.values)
        archive["thresholds"] = NumpyArray(memory.thresholds, shape: [memory.neurons])
        try archive.write(to: path)
    }

    /// Reads a memory written by `write(_:to:)`.
    ///
    /// - Throws: `InputError` naming the file and the archive member for a missing or malformed
    ///   member, an unknown rule, or shapes that do not agree.
    public static func read(_ path: String) throws -> AssociativeMemory {
        let archive = try NumpyArchive.read(path)
        let meta = try archive.json(Metadata.self, format: "energymodels.hopfield", what: "a Hopfield memory", file: path)
        guard let rule = LearningRule.named(meta.rule) else {
            throw InputError(file: path, .entry("metadata"), "unknown learning rule '\(meta.rule)'")
        }
        let n = meta.neurons
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
        var weights = Matrix<Float>(rows: 0, columns: 0)
        if case .dense = rule {} else {
            weights = try archive.require("weights", file: path).matrix(as: Float.self, file: path, what: "weights")
            guard weights.rows == n, weights.columns == n else {
                throw InputError(file: path, .entry("weights"), "expected \(n)×\(n) weights, found \(weights.rows)×\(weights.columns)")
            }
        }
        let shape = meta.shape.flatMap { $0.count == 2 && $0[0] * $0[1] == n ? (height: $0[0], width: $0[1]) : nil }
        return AssociativeMemory(rule: rule, patterns: PatternSet(Matrix(rows: patterns.rows, columns: n, storage: patterns.storage), shape: shape),
                                 weights: weights, thresholds: thresholds, rank: meta.rank)
    }
}
