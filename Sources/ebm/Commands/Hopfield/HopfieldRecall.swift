import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory

/// `ebm hopfield recall`: run the dynamics from each probe and report what it fell into.
struct HopfieldRecall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Recall the stored pattern nearest each probe.",
        discussion: """
        Prints one line per probe: the nearest stored pattern, the overlap, the sweeps, the final energy, \
        and whether recall converged. The output file has the format of the probes.
        """)

    @Option(help: "The memory file written by 'ebm hopfield store'.") var memory: String
    @Option(help: "The probe file (same formats as the patterns).") var probes: String
    @Option(help: "Update mode: async, sync or stochastic.") var mode = "async"
    @Option(help: "Random seed (update order, Glauber noise).") var seed: UInt64 = 1
    @Option(help: "Maximum sweeps (after annealing, for stochastic recall).") var maxSweeps = 100
    @Option(name: .customLong("t-initial"), help: "Stochastic: starting temperature.") var tInitial = RecallMode.defaultSchedule.initialTemperature
    @Option(name: .customLong("mu-t"), help: "Stochastic: cooling factor (T divided by it per stage).") var muT = RecallMode.defaultSchedule.coolingFactor
    @Option(name: .customLong("t-min"), help: "Stochastic: final temperature.") var tMin = RecallMode.defaultSchedule.minimumTemperature
    @Option(name: .customLong("iters-fixed-t"), help: "Stochastic: sweeps per temperature.") var itersFixedT = RecallMode.defaultSchedule.iterationsPerTemperature
    @Flag(help: "Read and write CSV values as 0/1.") var binary = false
    @Flag(help: "For grids, print each probe and its result side by side.") var show = false
    @Option(help: "Worker threads (the output does not depend on it).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Where to write the recalled states (format of the probes).") var output: String

    func validate() throws {
        guard maxSweeps >= 1 else { throw ValidationError("--max-sweeps must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try AtomicFile.checkOutput(output, isNotAnyOf: [memory, probes])
        let recallMode: RecallMode
        switch mode {
        case "async", "asynchronous": recallMode = .asynchronous
        case "sync", "synchronous": recallMode = .synchronous
        case "stochastic", "glauber":
            recallMode = .stochastic(AnnealingSchedule(initialTemperature: tInitial, coolingFactor: muT,
                                                       minimumTemperature: tMin, iterationsPerTemperature: itersFixedT))
        default: throw InputError(file: "--mode", "unknown mode '\(mode)'; expected async, sync or stochastic")
        }
        let mem = try HopfieldModelFile.read(memory).model
        let format = PatternFormat.of(probes)
        let set = try PatternFile.read(probes, format: format, binary: binary)
        let results = try mem.recall(set, mode: recallMode, maxSweeps: maxSweeps,
                                     random: RandomSource(seed: seed), threads: threads, source: probes)
        for (k, r) in results.enumerated() {
            let what = r.outcome == .spurious ? "spurious" : (r.outcome == .stored ? "stored" : "negation")
            print(String(format: "probe %d: nearest pattern %d (%@), overlap %+.3f, hamming %d, sweeps %d, energy %.4f, %@",
                         k, r.nearest, what, r.overlap, r.hamming, r.sweeps, r.energy,
                         r.cycle ? "2-cycle" : (r.converged ? "converged" : "not converged")))
            if show, let shape = set.shape {
                print(Self.sideBySide(set.pattern(k), r.state, shape: shape))
            }
        }
        let recalled = PatternSet(Matrix(rows: results.count, columns: mem.neurons, storage: results.flatMap(\.state)),
                                  shape: set.shape ?? mem.patterns.shape)
        try PatternFile.write(recalled, to: output, format: format, binary: binary)
        let stored = results.filter { $0.outcome == .stored }.count
        print("\(stored)/\(results.count) probes recalled a stored pattern exactly -> \(output)")
    }

    /// A probe grid and its recalled grid, side by side (`PatternText`, which the demo draws with too).
    static func sideBySide(_ a: [Float], _ b: [Float], shape: (height: Int, width: Int)) -> String {
        PatternText.sideBySide(a, b, shape: shape)
    }
}
