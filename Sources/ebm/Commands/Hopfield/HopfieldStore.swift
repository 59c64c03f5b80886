import ArgumentParser
import EnergyCore
import HopfieldMemory

/// `ebm hopfield store`: build a memory from a pattern file.
struct HopfieldStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store the patterns of a file in a new memory (.npz).",
        discussion: """
        Pattern files are CSV (one ±1 pattern per row, no header; 0/1 with --binary), text grids of \
        #/. with blank lines between patterns, PBM images (P1/P4), or .npy arrays (P x N or P x H x W, \
        for large sets). The memory file is a NumPy .npz holding the rule, N, the stored patterns and the \
        weights; the dense and modern (Ramsauer et al. 2020) memories keep only the patterns.
        """)

    @Option(help: "The pattern file (.csv, .pbm, .npy, or a text grid).") var patterns: String
    @Option(help: "Learning rule (also hebbian, pinv, projection, modern, dense-polyN); dense takes --degree. Default: hebb, or the rule of --into.") var rule: LearningRuleArgument?
    @Option(help: "Degree n of the dense memory's F(x) = x^n (0 for the exponential F).") var degree = 3
    @Flag(help: "Read CSV values as 0/1 instead of -1/1.") var binary = false
    @Option(help: "Add the patterns to this existing memory instead of starting empty.") var into: String?
    @Option(help: "The memory file to write (.npz); never one of the inputs.") var out: String

    /// The options that set the fields `HopfieldModelFile.store` checks.
    static let flags = ConfigurationFlags(["rule": "--rule", "rule.degree": "--degree"])

    func run() throws {
        let (memory, added) = try Self.flags.map {
            try HopfieldModelFile.store(patternsFrom: patterns, binary: binary, rule: rule?.rule(degree: degree), into: into, to: out)
        }
        if memory.isModern {
            print("stored \(added) patterns of \(memory.neurons) neurons in a modern Hopfield memory (\(memory.patterns.count) in the memory, "
                  + "P/N = \(String(format: "%.1f", Double(memory.patterns.count) / Double(memory.neurons))); recall with --beta) -> \(out)")
            return
        }
        var line = "stored \(added) patterns of \(memory.neurons) neurons with the \(memory.rule.name) rule "
            + "(\(memory.patterns.count) in the memory, load α = \(String(format: "%.3f", Double(memory.patterns.count) / Double(memory.neurons))))"
        if let rank = memory.rank, rank < memory.patterns.count {
            line += "; the patterns are linearly dependent (rank \(rank)), so their span is stored"
        }
        print(line + " -> \(out)")
    }
}
