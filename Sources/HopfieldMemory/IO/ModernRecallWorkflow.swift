import EnergyCore
import EnergyFormats
import Foundation

extension HopfieldModelFile {
    /// Recalls every probe of a file from the modern memory in `memoryFile`
    /// (`AssociativeMemory.recallModern`, Ramsauer et al. 2020) and writes the recalled patterns (the
    /// sign of each final state) to `output` in the probes' format, with the probes' 2-D shape (or the
    /// stored patterns').
    ///
    /// Probes come in every pattern format; a `.npy` probe file may also hold 0 for unknown values
    /// (a masked half of an image), which the text formats cannot.
    ///
    /// - Parameters:
    ///   - probeFile: the probes (CSV, text grid, PBM or `.npy`, by its extension).
    ///   - binary: read and write CSV and `.npy` values as 0/1 instead of −1/1.
    ///   - memoryFile: the memory file (`.npz`) of a modern memory.
    ///   - configuration: β, the most updates and the streaming (`ModernRecallConfiguration`).
    ///   - threads: workers of the row-wise softmax; the results do not depend on them.
    ///   - progress: told of each chunk of probes updated.
    ///   - output: the file of the recalled patterns, written in the probes' format.
    /// - Returns: the memory, the probe values and the result of each probe.
    /// - Throws: `ConfigurationError` naming `rule` when the memory is not modern, or a field of the
    ///   configuration; `InputError` when `output` is one of the inputs, for a bad memory or probe
    ///   file, or probes of another size.
    public static func recallModern(probesFrom probeFile: String, binary: Bool = false, memory memoryFile: String,
                                    configuration: ModernRecallConfiguration = .init(),
                                    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                    progress: (any ProgressObserver)? = nil,
                                    to output: String) throws -> (memory: AssociativeMemory, probes: Matrix<Float>, results: [ModernRecallResult]) {
        try configuration.validate()
        try AtomicFile.checkOutput(output, isNotAnyOf: [memoryFile, probeFile])
        let memory = try read(memoryFile).model
        guard memory.isModern else {
            throw ConfigurationError(field: "rule", "the memory in \(memoryFile) uses the \(memory.rule.name) rule; an inverse temperature β applies to the modern rule only")
        }
        let format = PatternFormat.of(probeFile)
        let probes: Matrix<Float>
        var shape: (height: Int, width: Int)?
        if format == .npy {
            (probes, shape) = try PatternFile.npyValues(NumpyArray.read(probeFile), file: probeFile, binary: binary)
        } else {
            let set = try PatternFile.read(probeFile, format: format, binary: binary)
            (probes, shape) = (set.values, set.shape)
        }
        let results = try memory.recallModern(probes, configuration: configuration, threads: threads, source: probeFile, progress: progress)
        var recalled = Matrix<Float>(rows: results.count, columns: memory.neurons)
        for (k, r) in results.enumerated() {
            recalled.storage.replaceSubrange((k * memory.neurons)..<((k + 1) * memory.neurons), with: r.pattern)
        }
        try PatternFile.write(PatternSet(recalled, shape: shape ?? memory.patterns.shape), to: output, format: format, binary: binary)
        return (memory, probes, results)
    }
}
