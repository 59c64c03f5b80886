import ArgumentParser
import EnergyCore
import Foundation
import HopfieldMemory

/// `ebm bench hopfield`: throughput of batch recall.
struct HopfieldBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hopfield",
        abstract: "Time batch recall of corrupted probes (random patterns).",
        discussion: "Stores --patterns random patterns of --neurons neurons, makes --probes probes with --noise of their bits flipped, and times recall.")

    private static let defaults = RecallBenchmark.Configuration()

    @Option(help: "Number of neurons N.") var neurons = defaults.neurons
    @Option(help: "Stored patterns P.") var patterns = defaults.patterns
    @Option(help: "Probes to recall.") var probes = defaults.probes
    @Option(help: "Fraction of bits flipped per probe, in [0, 1].") var noise = defaults.noise
    @Option(help: "Learning rule (also hebbian, pinv, projection, dense-polyN); dense takes --degree.") var rule = LearningRuleArgument.rule(defaults.rule)
    @Option(help: "Degree of the dense memory (0 for the exponential).") var degree = 3
    @Option(help: "Update mode (also asynchronous, synchronous, glauber).") var mode = RecallModeArgument(defaults.mode)
    @Option(help: "Worker threads.", transform: OptionRange.integer(1...1024)) var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Random seed.") var seed: UInt64 = defaults.seed
    @Option(help: "Timed repetitions (the best is reported).") var repeats = defaults.repeats

    /// The options that set the fields of `RecallBenchmark.Configuration`.
    static let flags = ConfigurationFlags([
        "neurons": "--neurons", "patterns": "--patterns", "probes": "--probes", "noise": "--noise",
        "rule": "--rule", "rule.degree": "--degree", "mode": "--mode", "repeats": "--repeats",
    ])

    func run() throws {
        let settings = RecallBenchmark.Configuration(neurons: neurons, patterns: patterns, probes: probes, noise: noise,
                                                     rule: rule.rule(degree: degree), mode: mode.mode, repeats: repeats, seed: seed)
        let report = try Self.flags.map { try RecallBenchmark(configuration: settings).run(threads: threads) }
        print(String(format: "%@ %@ recall: N = %d, P = %d, %d probes with %.0f%% noise, %d threads: %.3f s (best of %d), %.0f probes/s, %.2f sweeps/probe, %d/%d recalled exactly",
                     settings.rule.name, settings.mode.name, neurons, patterns, probes, noise * 100, threads, report.seconds, repeats,
                     report.probesPerSecond, report.score.meanSweeps, report.score.recalled, probes))
    }
}
