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
        flipped (asynchronous dynamics), and counts a success when the final overlap with the original \
        is at least 0.98. Prints the table and the critical load, where success falls through 0.5.
        """)

    @Option(help: "Number of neurons N.") var neurons = 1000
    @Option(help: "Learning rule: hebb, storkey, pseudoinverse or dense.") var rule = "hebb"
    @Option(help: "Degree of the dense memory (0 for the exponential).") var degree = 3
    @Option(help: "Fraction of bits flipped in each probe.") var noise = 0.1
    @Option(help: "Independent networks per load.") var trials = 5
    @Option(help: "At most this many patterns probed per network.") var probes = 100
    @Option(help: "Loads to scan, as start:end:step (default: a range suited to the rule).") var loads: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Worker threads (the output does not depend on it).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Write the curve as an SVG plot.") var plot: String?
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        guard neurons >= 2 && neurons <= 100_000 else { throw ValidationError("--neurons must be between 2 and 100000") }
        guard noise >= 0 && noise < 0.5 else { throw ValidationError("--noise must be in [0, 0.5)") }
        guard trials >= 1, probes >= 1, threads >= 1 else { throw ValidationError("--trials, --probes and --threads must be at least 1") }
    }

    func run() throws {
        guard let learningRule = LearningRule.named(rule, degree: degree) else {
            throw InputError(file: "--rule", "unknown rule '\(rule)'; expected hebb, storkey, pseudoinverse or dense")
        }
        let experiment = CapacityExperiment(neurons: neurons, rule: learningRule, noise: noise, trials: trials, probesPerNetwork: probes)
        let scan = try loads.map(Self.parseLoads) ?? experiment.defaultLoads()
        let progress = ProgressReporter(quiet: quiet)
        let points = try experiment.run(loads: scan, random: RandomSource(seed: seed), threads: threads, progress: progress)
        print("rule \(learningRule.name), N = \(neurons), noise \(noise), \(trials) networks per load, success: overlap >= \(CapacityExperiment.successOverlap)")
        print("   alpha      P   success   mean overlap   probes")
        for p in points {
            print(String(format: "%8.3f %6d   %7.3f   %12.4f   %6d", p.load, p.patterns, p.success, p.meanOverlap, p.probes))
        }
        let critical = CapacityExperiment.criticalLoad(points)
        if let critical {
            print(String(format: "critical load alpha_c = %.3f (success falls through 0.5)", critical))
        } else {
            print("critical load: success did not fall through 0.5 within the loads scanned")
        }
        if let plot {
            var chart = LinePlot(title: "Recall success, \(learningRule.name) rule, N = \(neurons), \(Int(noise * 100))% noise",
                                 xLabel: "load α = P/N", yLabel: "fraction recalled (overlap ≥ 0.98)")
            chart.yRange = 0...1
            chart.series = [.init(label: "success", points: points.map { ($0.load, $0.success) }),
                            .init(label: "mean overlap", points: points.map { ($0.load, $0.meanOverlap) })]
            if case .hebbian = learningRule { chart.verticalMarkers.append((0.138, "AGS 0.138")) }
            if let critical { chart.verticalMarkers.append((critical, String(format: "measured %.3f", critical))) }
            try chart.write(to: plot)
            print("plot -> \(plot)")
        }
    }

    /// Parses start:end:step.
    static func parseLoads(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":").compactMap { Double($0) }
        guard parts.count == 3, parts[0] > 0, parts[1] >= parts[0], parts[2] > 0, (parts[1] - parts[0]) / parts[2] <= 1000 else {
            throw InputError(file: "--loads", "expected start:end:step with 0 < start <= end and step > 0, got '\(text)'")
        }
        return stride(from: parts[0], through: parts[1] + parts[2] * 1e-9, by: parts[2]).map { $0 }
    }
}
