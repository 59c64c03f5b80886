import EnergyCore
import EnergyFormats
import Foundation

/// The two file workflows of a memory: storing a pattern file in a memory file, and recalling the
/// probes of a pattern file from one (`ebm hopfield store` and `ebm hopfield recall` are each one of
/// these calls). Outputs are written atomically and never over an input.
extension HopfieldModelFile {
    /// Stores the patterns of a pattern file (CSV, text grid or PBM) in a memory and writes it to `path`.
    ///
    /// - Parameters:
    ///   - patternFile: the pattern file (CSV, text grid or PBM, by its extension).
    ///   - binary: read CSV values as 0/1 instead of −1/1.
    ///   - rule: the learning rule; nil for Hebb's, or the rule of `existing`.
    ///   - existing: a memory file to add the patterns to, instead of starting an empty memory.
    ///   - path: the memory file written (`.npz`).
    /// - Returns: the memory written, and how many patterns were added to it.
    /// - Throws: `ConfigurationError` naming `rule.degree` for an unusable dense degree; `InputError`
    ///   when `path` is one of the inputs, for a bad pattern or memory file, patterns of another size
    ///   than the memory, or a `rule` other than the rule of `existing`.
    public static func store(patternsFrom patternFile: String, binary: Bool = false, rule: LearningRule? = nil,
                             into existing: String? = nil, to path: String) throws -> (memory: AssociativeMemory, added: Int) {
        try ConfigurationError.nesting("rule") { try rule?.validate() }
        try AtomicFile.checkOutput(path, isNotAnyOf: [patternFile] + (existing.map { [$0] } ?? []))
        let patterns = try PatternFile.read(patternFile, binary: binary)
        var memory: AssociativeMemory
        if let existing {
            memory = try read(existing).model
            if let rule, rule != memory.rule {
                throw InputError(file: existing, "the memory uses the \(memory.rule.name) rule, not the \(rule.name) rule asked for")
            }
        } else {
            memory = AssociativeMemory(neurons: patterns.neurons, rule: rule ?? .hebbian)
        }
        try memory.store(patterns, source: patternFile)
        try write(memory, to: path)
        return (memory, patterns.count)
    }

    /// Recalls every probe of a pattern file from the memory in `memoryFile` (see
    /// `AssociativeMemory.recall`), and writes the final states to `output` in the probes' format,
    /// with the probes' 2-D shape (or the stored patterns').
    ///
    /// - Parameters:
    ///   - probeFile: the pattern file of the probes (CSV, text grid or PBM, by its extension).
    ///   - binary: read and write CSV values as 0/1 instead of −1/1.
    ///   - memoryFile: the memory file (`.npz`) to recall from.
    ///   - mode: the update rule: asynchronous, synchronous or stochastic (Glauber) dynamics.
    ///   - maxSweeps: the most sweeps over the neurons before a probe is given up as not converged.
    ///   - seed: seeds the random stream of the update order and the Glauber noise.
    ///   - threads: workers; the results do not depend on them.
    ///   - output: the file of the final states, written in the probes' format.
    /// - Returns: the memory, the probes and the result of each probe.
    /// - Throws: `ConfigurationError` naming `maxSweeps` or `mode.schedule.…`, or `rule` for a modern
    ///   memory (recalled by `recallModern`); `InputError` when
    ///   `output` is one of the inputs, for a bad memory or probe file, or probes of another size.
    public static func recall(probesFrom probeFile: String, binary: Bool = false, memory memoryFile: String,
                              mode: RecallMode = .asynchronous, maxSweeps: Int = 100, seed: UInt64 = 1,
                              threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                              to output: String) throws -> (memory: AssociativeMemory, probes: PatternSet, results: [RecallResult]) {
        try AssociativeMemory.validateRecall(mode: mode, maxSweeps: maxSweeps)
        try AtomicFile.checkOutput(output, isNotAnyOf: [memoryFile, probeFile])
        let memory = try read(memoryFile).model
        let format = PatternFormat.of(probeFile)
        let probes = try PatternFile.read(probeFile, format: format, binary: binary)
        let results = try memory.recall(probes, mode: mode, maxSweeps: maxSweeps, random: RandomSource(seed: seed),
                                        threads: threads, source: probeFile)
        let recalled = PatternSet(Matrix(rows: results.count, columns: memory.neurons, storage: results.flatMap(\.state)),
                                  shape: probes.shape ?? memory.patterns.shape)
        try PatternFile.write(recalled, to: output, format: format, binary: binary)
        return (memory, probes, results)
    }
}
