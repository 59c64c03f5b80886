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
    @Option(help: "Update mode (also asynchronous, synchronous, glauber).") var mode = RecallModeArgument(.asynchronous)
    @Option(help: "Random seed (update order, Glauber noise).") var seed: UInt64 = 1
    @Option(help: "Maximum sweeps (after annealing, for stochastic recall).") var maxSweeps = 100
    @Option(name: .customLong("t-initial"), help: "Stochastic: starting temperature.") var tInitial = RecallMode.defaultSchedule.initialTemperature
    @Option(name: .customLong("mu-t"), help: "Stochastic: cooling factor (T divided by it per stage).") var muT = RecallMode.defaultSchedule.coolingFactor
    @Option(name: .customLong("t-min"), help: "Stochastic: final temperature.") var tMin = RecallMode.defaultSchedule.minimumTemperature
    @Option(name: .customLong("iters-fixed-t"), help: "Stochastic: sweeps per temperature.") var itersFixedT = RecallMode.defaultSchedule.iterationsPerTemperature
    @Flag(help: "Read and write CSV values as 0/1.") var binary = false
    @Flag(help: "For grids, print each probe and its result side by side.") var show = false
    @Option(help: "Worker threads (the output does not depend on it).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Where to write the recalled states (format of the probes); never one of the inputs.") var output: String

    /// The options that set the fields `HopfieldModelFile.recall` checks.
    static let flags = ConfigurationFlags([
        "mode": "--mode", "maxSweeps": "--max-sweeps",
        "mode.schedule.initialTemperature": "--t-initial", "mode.schedule.coolingFactor": "--mu-t",
        "mode.schedule.minimumTemperature": "--t-min", "mode.schedule.iterationsPerTemperature": "--iters-fixed-t",
    ])

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let schedule = AnnealingSchedule(initialTemperature: tInitial, coolingFactor: muT,
                                         minimumTemperature: tMin, iterationsPerTemperature: itersFixedT)
        let (_, set, results) = try Self.flags.map {
            try HopfieldModelFile.recall(probesFrom: probes, binary: binary, memory: memory, mode: mode.with(schedule: schedule),
                                         maxSweeps: maxSweeps, seed: seed, threads: threads, to: output)
        }
        // One line per probe, formatted as "probe %d: nearest pattern %d (%@), overlap %+.3f, hamming %d,
        // sweeps %d, energy %.4f, %@" would, but into one buffer printed at once.
        var report = TextWriter(capacity: results.count * 120)
        for (k, r) in results.enumerated() {
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

    /// A probe grid and its recalled grid, side by side (`PatternText`, which the demo draws with too).
    static func sideBySide(_ a: [Float], _ b: [Float], shape: (height: Int, width: Int)) -> String {
        PatternText.sideBySide(a, b, shape: shape)
    }
}
