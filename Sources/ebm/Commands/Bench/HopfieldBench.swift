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

    @Option(help: "Number of neurons N.") var neurons = 1000
    @Option(help: "Stored patterns P.") var patterns = 100
    @Option(help: "Probes to recall.") var probes = 10_000
    @Option(help: "Fraction of bits flipped per probe.") var noise = 0.1
    @Option(help: "Learning rule.") var rule = "hebb"
    @Option(help: "Update mode: async or sync.") var mode = "async"
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Timed repetitions (the best is reported).") var repeats = 3

    func run() throws {
        guard let learningRule = LearningRule.named(rule) else { throw InputError(file: "--rule", "unknown rule '\(rule)'") }
        let recallMode: RecallMode = mode == "sync" ? .synchronous : .asynchronous
        let random = RandomSource(seed: seed)
        let stored = PatternSet.random(count: patterns, neurons: neurons, random: random)
        var memory = AssociativeMemory(neurons: neurons, rule: learningRule)
        try memory.store(stored)
        var picks = [Float]()
        picks.reserveCapacity(probes * neurons)
        for k in 0..<probes { picks += stored.pattern(k % patterns) }
        let probeSet = PatternSet(Matrix(rows: probes, columns: neurons, storage: picks)).corrupted(fraction: noise, random: random)
        var best = Double.infinity
        var results: [RecallResult] = []
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            results = try memory.recall(probeSet, mode: recallMode, random: RandomSource(seed: seed), threads: threads)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        let recalled = results.enumerated().filter { $0.element.outcome == .stored && $0.element.nearest == $0.offset % patterns }.count
        let sweeps = Double(results.map(\.sweeps).reduce(0, +)) / Double(results.count)
        print(String(format: "%@ %@ recall: N = %d, P = %d, %d probes with %.0f%% noise, %d threads: %.3f s (best of %d), %.0f probes/s, %.2f sweeps/probe, %d/%d recalled exactly",
                     learningRule.name, recallMode.name, neurons, patterns, probes, noise * 100, threads, best, repeats,
                     Double(probes) / best, sweeps, recalled, probes))
    }
}
