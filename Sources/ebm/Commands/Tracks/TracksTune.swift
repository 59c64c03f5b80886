import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import TrackFinding

/// `ebm tracks tune`: fit a configuration's cuts and energy to events with truth
/// (`TrackFinderTuner`), and write it as a file for `ebm tracks find --detector FILE`.
struct TracksTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Tune the finder's cuts and energy on events with truth (GSL Nelder-Mead), and write the configuration.",
        discussion: """
        Maximises the mean TrackML score of the --events (folders of eventNNN-hits.csv with eventNNN-truth.csv, \
        or hit files) over the settings --tune names, each within its bounds, starting from --detector (a preset \
        or file) with the options below applied. The --held-out events take no part in the search; their score \
        is printed before and after. The search stops at --budget seconds, --max-evaluations, or after \
        --patience evaluations without improvement. The tuned configuration is written to --output, for \
        ebm tracks find --detector FILE. Tunable settings: \(TunedParameter.tunableFields.joined(separator: ", ")).
        """)

    @Option(help: ArgumentHelp("Training events: a folder of eventNNN-hits.csv (truth beside them) or a hit file; repeatable.",
                               valueName: "dir|file"))
    var events: [String] = []
    @Option(name: .customLong("held-out"), help: ArgumentHelp("Held-out events, scored before and after but not tuned on; repeatable.",
                                                              valueName: "dir|file"))
    var heldOut: [String] = []
    @Option(help: "The tuned configuration file to write.") var output: String
    @Option(help: ArgumentHelp("Settings to tune, comma-separated (default: the cuts of the geometry, energy.maxAngle, energy.angleExponent, "
                               + "energy.alpha, extraction.threshold, and secondPass.maxAngle with a second pass).", valueName: "fields"))
    var tune: String?
    @Option(help: ArgumentHelp("Bounds of a tuned setting, e.g. cuts.minPT=0.1:2, on the setting's default scale (log: or linear: before "
                               + "the field chooses); repeatable.",
                               valueName: "field=lower:upper"))
    var bounds: [String] = []
    @Option(help: "Wall-clock seconds for the search.", transform: OptionRange.real(0.001...1e7)) var budget = TuningConfiguration().timeBudget
    @Option(help: "Most configurations evaluated.", transform: OptionRange.integer(1...1_000_000))
    var maxEvaluations = TuningConfiguration().maxEvaluations
    @Option(help: "Early stop after this many evaluations without improvement.", transform: OptionRange.integer(1...1_000_000))
    var patience = TuningConfiguration().patience
    @Option(help: "Events reconstructed at once.", transform: OptionRange.integer(1...1024)) var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Random seed (the events' streams and the restarts).") var seed: UInt64 = 1
    @Flag(help: "Print only the summary, not every improvement.") var quiet = false
    @OptionGroup var finder: FinderOptions

    func validate() throws {
        if events.isEmpty { throw ValidationError("give the training events with --events DIR|FILE") }
    }

    /// The option that sets each field of `TuningConfiguration`.
    static let flags = ConfigurationFlags(["timeBudget": "--budget", "maxEvaluations": "--max-evaluations", "patience": "--patience",
                                           "workers": "--jobs", "parameters": "--tune/--bounds",
                                           "fields": "--tune", "bounds": "--bounds"])

    /// The tuning settings the options describe: the settings `--tune` names (else the tuner's
    /// defaults for the events), with the bounds `--bounds` gives.
    func tuningConfiguration() throws -> TuningConfiguration {
        let fields = tune.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return TuningConfiguration(fields: fields, bounds: try bounds.map(TunedParameter.init(bounds:)), timeBudget: budget,
                                   maxEvaluations: maxEvaluations, patience: patience, workers: jobs)
    }

    func run() throws {
        try AtomicFile.checkOutput(output, isNotAnyOf: [finder.detector, finder.layerMap].compactMap { $0 } + events + heldOut)
        let base = try finder.checkedConfiguration()
        let training = try TuningEvent.read(events)
        let held = try TuningEvent.read(heldOut)
        let tuner = try Self.flags.map { try TrackFinderTuner(base: base, tuning: try tuningConfiguration()) }
        let parameters = try Self.flags.map { try tuner.parameters(for: training) }
        print("tuning \(parameters.map(\.field).joined(separator: ", ")) on \(training.count) event(s), \(held.count) held out; "
              + "budget \(budget) s, at most \(maxEvaluations) evaluations, early stop after \(patience)")
        let report = try Self.flags.map {
            try tuner.tune(training: training, heldOut: held, seed: seed, progress: ProgressReporter(quiet: quiet)) { step in
                if !quiet, step.improved { print(TuningText.step(step)) }
            }
        }
        try report.configuration.write(to: output)
        print(TuningText.report(report))
        print("wrote \(output)")
    }
}

/// How `ebm tracks tune` prints its progress and result.
enum TuningText {
    static func step(_ step: TuningStep) -> String {
        "evaluation \(step.evaluation) (\(String(format: "%.1f", step.seconds)) s): training score \(String(format: "%.4f", step.score)) "
            + values(step.parameters, step.values)
    }

    static func values(_ parameters: [TunedParameter], _ values: [Double]) -> String {
        zip(parameters, values).map { "\($0.field)=\(String(format: "%.4g", $1))" }.joined(separator: " ")
    }

    static func report(_ r: TuningReport) -> String {
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        var lines = ["stopped: \(r.stop.rawValue) after \(r.evaluations) evaluations, \(r.restarts) restart(s), \(String(format: "%.1f", r.seconds)) s",
                     "start: \(values(r.parameters, r.startValues))",
                     "tuned: \(values(r.parameters, r.tunedValues))",
                     "training score: \(f(r.trainingScore.before)) -> \(f(r.trainingScore.after))"]
        if let h = r.heldOutScore { lines.append("held-out score: \(f(h.before)) -> \(f(h.after))") }
        if r.failedReconstructions > 0 {
            lines.append("\(r.failedReconstructions) event reconstruction(s) failed during the search (scored 0)")
        }
        return lines.joined(separator: "\n")
    }
}
