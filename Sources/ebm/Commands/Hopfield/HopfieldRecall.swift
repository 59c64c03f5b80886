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

        A modern memory (store --rule modern) recalls with --beta by xi <- X softmax(beta X^T xi), \
        --steps updates at most (1 by default); each line names the stored pattern of the largest \
        softmax weight and that weight, and lists the largest weights when they form a metastable \
        mixture (beta too small to separate the patterns). Probes may be .npy arrays, with 0 for unknown values.
        """)

    @Option(help: "The memory file written by 'ebm hopfield store'.") var memory: String
    @Option(help: "The probe file (same formats as the patterns).") var probes: String
    @Option(help: "Update mode (also asynchronous, synchronous, glauber).") var mode = RecallModeArgument(.asynchronous)
    @Option(help: "Random seed (update order, Glauber noise).") var seed: UInt64 = 1
    @Option(help: "Maximum sweeps (after annealing, for stochastic recall).") var maxSweeps = 100
    @Option(name: .customLong("t-initial"), help: "Stochastic: starting temperature.") var tInitial = RecallMode.defaultSchedule.initialTemperature
    @Option(name: .customLong("mu-t"), help: "Stochastic: cooling factor (T divided by it per stage).") var muT = RecallMode.defaultSchedule.coolingFactor
    @Option(name: .customLong("t-min"), help: "Stochastic: final temperature.") var tMin = RecallMode.defaultSchedule.minimumTemperature
    @Option(name: .customLong("iters-fixed-t"), help: "Stochastic: sweeps per temperature.") var itersFixedT = RecallMode.defaultSchedule.iterationsPerTemperature
    @Flag(help: "Read and write CSV values as 0/1.") var binary = false
    @Flag(help: "For grids, print each probe and its result side by side.") var show = false
    @Option(help: "Worker threads (the output does not depend on it).", transform: OptionRange.integer(1...1024)) var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Where to write the recalled states (format of the probes); never one of the inputs.") var output: String
    @Option(help: "Modern memory: the inverse temperature beta (default 1).", transform: OptionRange.real(1e-6...1e6)) var beta: Double?
    @Option(help: "Modern memory: at most this many updates (default 1); stops when the state stops changing.",
            transform: OptionRange.integer(1...10_000)) var steps: Int?
    @Option(help: "Modern memory: stored patterns per streamed block.", transform: OptionRange.integer(1...1_000_000))
    var blockSize = ModernRecallConfiguration().blockSize
    @Flag(help: "Print only the summary, not one line per probe.") var brief = false
    @Flag(help: "No progress output.") var quiet = false

    /// The options that set the fields `HopfieldModelFile.recall` checks.
    static let flags = ConfigurationFlags([
        "mode": "--mode", "maxSweeps": "--max-sweeps",
        "mode.schedule.initialTemperature": "--t-initial", "mode.schedule.coolingFactor": "--mu-t",
        "mode.schedule.minimumTemperature": "--t-min", "mode.schedule.iterationsPerTemperature": "--iters-fixed-t",
        "rule": "--beta", "beta": "--beta", "steps": "--steps", "blockSize": "--block-size",
    ])

    func run() throws {
        if beta != nil || steps != nil { return try runModern() }
        let schedule = AnnealingSchedule(initialTemperature: tInitial, coolingFactor: muT,
                                         minimumTemperature: tMin, iterationsPerTemperature: itersFixedT)
        let (_, set, results) = try Self.flags.map {
            try HopfieldModelFile.recall(probesFrom: probes, binary: binary, memory: memory, mode: mode.with(schedule: schedule),
                                         maxSweeps: maxSweeps, seed: seed, threads: threads, to: output)
        }
        // One line per probe, formatted as "probe %d: nearest pattern %d (%@), overlap %+.3f, hamming %d,
        // sweeps %d, energy %.4f, %@" would, but into one buffer printed at once.
        var report = TextWriter(capacity: results.count * 120)
        for (k, r) in results.enumerated() where !brief {
            report.append("probe ")
            report.append(k)
            report.append(": nearest pattern ")
            report.append(r.nearest)
            report.append(r.outcome == .spurious ? " (spurious)" : (r.outcome == .stored ? " (stored)" : " (negation)"))
            report.append(", overlap ")
            report.append(r.overlap, decimals: 3, plus: true)
            report.append(", hamming ")
            report.append(r.hamming)
            report.append(", sweeps ")
            report.append(r.sweeps)
            report.append(", energy ")
            report.append(r.energy, decimals: 4)
            report.append(r.cycle ? ", 2-cycle\n" : (r.converged ? ", converged\n" : ", not converged\n"))
            if show, let shape = set.shape {
                report.append(Self.sideBySide(set.pattern(k), r.state, shape: shape) + "\n")
            }
        }
        print(report.string, terminator: "")
        let stored = results.filter { $0.outcome == .stored }.count
        print("\(stored)/\(results.count) probes recalled a stored pattern exactly -> \(output)")
    }

    /// Recall from a modern memory (`HopfieldModelFile.recallModern`).
    func runModern() throws {
        let configuration = ModernRecallConfiguration(beta: beta ?? 1, steps: steps ?? 1, blockSize: blockSize)
        let start = Date()
        let (model, values, results) = try Self.flags.map {
            try HopfieldModelFile.recallModern(probesFrom: probes, binary: binary, memory: memory, configuration: configuration,
                                               threads: threads, progress: ProgressReporter(quiet: quiet), to: output)
        }
        let seconds = Date().timeIntervalSince(start)
        var report = TextWriter(capacity: brief ? 0 : results.count * 100)
        for (k, r) in results.enumerated() where !brief {
            report.append("probe ")
            report.append(k)
            report.append(": nearest pattern ")
            report.append(r.nearest)
            report.append(", weight ")
            report.append(r.weight, decimals: 4)
            report.append(r.isExact ? " (recalled exactly)" : " (differs)")
            report.append(", steps ")
            report.append(r.steps)
            report.append(r.converged ? ", fixed point" : "")
            report.append(", energy ")
            report.append(r.energies.first ?? 0, decimals: 4)
            if r.energies.count > 1 {
                report.append(" -> ")
                report.append(r.energies.last ?? 0, decimals: 4)
            }
            if r.isMetastable {
                report.append(", metastable mixture: weights")
                for w in r.weights {
                    report.append(" ")
                    report.append(w.pattern)
                    report.append(":")
                    report.append(w.weight, decimals: 3)
                }
            }
            report.append("\n")
            if show, let shape = model.patterns.shape {
                report.append(PatternText.sideBySide(values.row(k).map { $0 >= 0 ? 1 : -1 }, r.pattern, shape: shape) + "\n")
            }
        }
        print(report.string, terminator: "")
        let exact = results.filter(\.isExact).count, metastable = results.filter(\.isMetastable).count
        print("\(exact)/\(results.count) probes recalled a stored pattern exactly (modern memory of \(model.patterns.count) patterns, "
              + "beta \(configuration.beta), \(String(format: "%.2f", seconds)) s) -> \(output)")
        if metastable > 0 {
            print("\(metastable) probes ended in a metastable mixture (largest softmax weight below \(configuration.metastableWeight)): "
                  + "beta \(configuration.beta) is too small to separate the patterns near them")
        }
    }

    /// A probe grid and its recalled grid, side by side (`PatternText`, which the demo draws with too).
    static func sideBySide(_ a: [Float], _ b: [Float], shape: (height: Int, width: Int)) -> String {
        PatternText.sideBySide(a, b, shape: shape)
    }
}
