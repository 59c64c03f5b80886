import ArgumentParser
import EnergyCore
import Foundation
import HopfieldMemory

/// `ebm hopfield capacity`: the recall success rate against the load α = P/N.
struct HopfieldCapacity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Measure recall success against the load α = P/N on random patterns.",
        discussion: """
        For each load, stores P = αN random patterns, recalls each from a copy with --noise of its bits \
        flipped (asynchronous dynamics; the modern rule: one update at --beta, then the sign), and counts a success when the final overlap with the original \
        is at least 0.98. Prints the table and the critical load, where success falls through 0.5.
        """)

    private static let defaults = CapacityExperiment.Configuration()

    @Option(help: "Number of neurons N (at most 100000).", transform: OptionRange.integer(1...100_000)) var neurons = defaults.neurons
    @Option(help: "Learning rule (also hebbian, pinv, projection, dense-polyN); dense takes --degree, modern --beta.") var rule = LearningRuleArgument.rule(defaults.rule)
    @Option(help: "Degree of the dense memory (0 for the exponential).") var degree = 3
    @Option(help: "Fraction of bits flipped in each probe, in [0, 0.5).") var noise = defaults.noise
    @Option(help: "Independent networks per load.") var trials = defaults.trials
    @Option(help: "At most this many patterns probed per network.") var probes = defaults.probesPerNetwork
    @Option(help: "Loads to scan, as start:end:step (default: a range suited to the rule).", transform: LoadRange.parse)
    var loads: [Double]?
    @Option(help: "Modern rule: the inverse temperature beta of its one-update recall.", transform: OptionRange.real(1e-6...1e6))
    var beta = defaults.beta
    @Option(help: "Random seed.") var seed: UInt64 = defaults.seed
    @Option(help: "Worker threads (the output does not depend on it).", transform: OptionRange.integer(1...1024)) var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Write the curve as an SVG plot.") var plot: String?
    @Flag(help: "No progress output.") var quiet = false

    /// The options that set the fields of `CapacityExperiment.Configuration`.
    static let flags = ConfigurationFlags([
        "neurons": "--neurons", "rule": "--rule", "rule.degree": "--degree", "noise": "--noise", "trials": "--trials",
        "probesPerNetwork": "--probes", "loads": "--loads", "beta": "--beta",
    ])

    func run() throws {
        let settings = CapacityExperiment.Configuration(neurons: neurons, rule: rule.rule(degree: degree), noise: noise, trials: trials,
                                                        probesPerNetwork: probes, loads: loads, seed: seed, beta: beta)
        let curve = try Self.flags.map {
            try CapacityExperiment(configuration: settings).run(threads: threads, progress: ProgressReporter(quiet: quiet))
        }
        print("rule \(settings.rule.name)\(settings.rule == .modern ? " (beta \(beta), one update)" : ""), N = \(neurons), noise \(noise), \(trials) networks per load, success: overlap >= \(CapacityExperiment.successOverlap)")
        print("   alpha      P   success   mean overlap   probes")
        for p in curve.points {
            print(String(format: "%8.3f %6d   %7.3f   %12.4f   %6d", p.load, p.patterns, p.success, p.meanOverlap, p.probes))
        }
        if let critical = curve.criticalLoad {
            print(String(format: "critical load alpha_c = %.3f (success falls through 0.5)", critical))
        } else {
            print("critical load: success did not fall through 0.5 within the loads scanned")
        }
        if let plot {
            try Self.chart(curve, settings).write(to: plot)
            print("plot -> \(plot)")
        }
    }

    /// The curve's success and mean overlap against α, with the measured critical load (and, for
    /// Hebb's rule, the AGS value 0.138) marked.
    static func chart(_ curve: CapacityCurve, _ settings: CapacityExperiment.Configuration) -> LinePlot {
        var chart = LinePlot(title: "Recall success, \(settings.rule.name) rule\(settings.rule == .modern ? " β = \(settings.beta)" : ""), N = \(settings.neurons), \(Int(settings.noise * 100))% noise",
                             xLabel: "load α = P/N", yLabel: "fraction recalled (overlap ≥ 0.98)")
        chart.yRange = 0...1
        chart.series = [.init(label: "success", points: curve.points.map { ($0.load, $0.success) }),
                        .init(label: "mean overlap", points: curve.points.map { ($0.load, $0.meanOverlap) })]
        if case .hebbian = settings.rule { chart.verticalMarkers.append((0.138, "AGS 0.138")) }
        if let critical = curve.criticalLoad { chart.verticalMarkers.append((critical, String(format: "measured %.3f", critical))) }
        return chart
    }
}
