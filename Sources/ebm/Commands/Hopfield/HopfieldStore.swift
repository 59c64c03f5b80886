import ArgumentParser
import EnergyCore
import EnergyFormats
import HopfieldMemory

/// `ebm hopfield store`: build a memory from a pattern file.
struct HopfieldStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store the patterns of a file in a new memory (.npz).",
        discussion: """
        Pattern files are CSV (one ±1 pattern per row, no header; 0/1 with --binary), text grids of \
        #/. with blank lines between patterns, or PBM images (P1/P4). The memory file is a NumPy .npz \
        holding the rule, N, the stored patterns and the weights.
        """)

    @Option(help: "The pattern file (.csv, .pbm, or a text grid).") var patterns: String
    @Option(help: "Learning rule: hebb, storkey, pseudoinverse or dense (default: hebb, or the rule of --into).") var rule: String?
    @Option(help: "Degree n of the dense memory's F(x) = x^n (0 for the exponential F).") var degree = 3
    @Flag(help: "Read CSV values as 0/1 instead of -1/1.") var binary = false
    @Option(help: "Add the patterns to this existing memory instead of starting empty.") var into: String?
    @Option(help: "The memory file to write (.npz).") var out: String

    func run() throws {
        var learningRule: LearningRule?
        if let rule {
            guard let named = LearningRule.named(rule, degree: degree) else {
                throw InputError(file: "--rule", "unknown rule '\(rule)'; expected hebb, storkey, pseudoinverse or dense")
            }
            if case .dense(.polynomial(let n)) = named, n < 2 {
                throw InputError(file: "--degree", "expected a degree of at least 2 (or 0 for the exponential), got \(n)")
            }
            learningRule = named
        }
        try AtomicFile.checkOutput(out, isNotAnyOf: [patterns])
        let set = try PatternFile.read(patterns, binary: binary)
        var memory: AssociativeMemory
        if let into {
            memory = try HopfieldModelFile.read(into).model
            if let learningRule, learningRule != memory.rule {
                throw InputError(file: into, "the memory uses the \(memory.rule.name) rule; --rule asks for \(learningRule.name)")
            }
        } else {
            memory = AssociativeMemory(neurons: set.neurons, rule: learningRule ?? .hebbian)
        }
        try memory.store(set, source: patterns)
        try HopfieldModelFile.write(memory, to: out)
        var line = "stored \(set.count) patterns of \(set.neurons) neurons with the \(memory.rule.name) rule "
            + "(\(memory.patterns.count) in the memory, load α = \(String(format: "%.3f", Double(memory.patterns.count) / Double(memory.neurons))))"
        if let rank = memory.rank, rank < memory.patterns.count {
            line += "; the patterns are linearly dependent (rank \(rank)), so their span is stored"
        }
        print(line + " -> \(out)")
    }
}
