import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm rbm loglik`: the average log-likelihood of data under an RBM, with log Z exact or by AIS.
struct RBMLogLikelihood: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loglik",
        abstract: "Average test log-likelihood in nats, with log Z exact or estimated by AIS.",
        discussion: """
        --exact enumerates the smaller layer (at most 25 units). --ais runs annealed importance sampling \
        (Salakhutdinov & Murray 2008) from a base-rate model fitted to the data, by default with 14,500 \
        intermediate temperatures and 100 runs, and prints log Z with its ±3 standard-error interval. \
        The data are binarised stochastically (each pixel on with probability equal to its intensity) \
        from --seed, as in the paper. --reverse adds reverse AIS (RAISE, Burda et al. 2015) over the first \
        --reverse-examples examples with --reverse-runs chains each on the same schedule: a pessimistic \
        estimate (a stochastic lower bound in expectation) beside the optimistic one of AIS, each with \
        its ±3 standard-error interval.
        """)

    @Option(help: "The model file.") var model: String
    @Option(help: "The data to score.") var data: String
    @Option(help: "Use only the first N examples.", transform: OptionRange.integer(1...)) var limit: Int?
    @Flag(help: "Compute log Z exactly by enumeration.") var exact = false
    @Flag(help: "Estimate log Z by annealed importance sampling.") var ais = false
    @Option(help: "AIS runs.", transform: OptionRange.integer(2...1_000_000)) var runs = 100
    @Option(help: "AIS intermediate temperatures.", transform: OptionRange.integer(3...100_000_000)) var betas = 14_500
    @Flag(help: "Also estimate the log-likelihood from below by reverse AIS (RAISE).") var reverse = false
    @Option(help: "Examples scored by reverse AIS (the first N).", transform: OptionRange.integer(1...)) var reverseExamples = 100
    @Option(help: "Reverse-AIS runs per example.", transform: OptionRange.integer(2...1_000_000)) var reverseRuns = 10
    @Option(help: "Binarize the data: stochastic, threshold or none.") var binarize = Binarization.stochastic
    @Option(help: "Random seed (binarisation and AIS).") var seed: UInt64 = 1
    @Flag(help: "No progress bar.") var quiet = false

    /// The option that sets each parameter of `LogLikelihood.evaluate`.
    static let flags = ConfigurationFlags(["runs": "--runs", "temperatures": "--betas", "reverse.runs": "--reverse-runs",
                                           "reverse.temperatures": "--betas", "reverse.examples": "--reverse-examples"])

    func validate() throws {
        guard exact != ais else { throw ValidationError("give exactly one of --exact and --ais") }
    }

    func run() throws {
        let (rbm, _) = try RBMModelFile.read(model)
        let x = try RBMCommandSupport.load(data, limit: limit)
        let start = Date()
        let method: LogLikelihood.Method = exact ? .exact : .annealedImportanceSampling(runs: runs, temperatures: betas)
        let report = try Self.flags.map {
            try LogLikelihood.evaluate(rbm, data: x, binarization: binarize, method: method,
                                       reverse: reverse ? .init(runs: reverseRuns, temperatures: betas, examples: reverseExamples) : nil,
                                       seed: seed, modelFile: model, dataFile: data, progress: ProgressReporter(quiet: quiet))
        }
        if let estimate = report.estimate {
            print(String(format: "log Z = %.4f (AIS, %d runs, %d temperatures; ±3 s.e.: [%.4f, %.4f]; base-rate log Z_A = %.4f)",
                         estimate.logZ, estimate.runs, estimate.temperatures, estimate.logZLow, estimate.logZHigh, estimate.baseLogZ))
        } else {
            print(String(format: "log Z = %.4f (exact, by enumerating 2^%d states)", report.logZ, report.enumeratedUnits ?? 0))
        }
        print(String(format: "average log-likelihood: %.4f nats over %d examples (%@ binarisation, seed %llu) in %.1f s",
                     report.averageLogLikelihood, report.examples, binarize.rawValue, seed, Date().timeIntervalSince(start)))
        if let low = report.averageLogLikelihoodLow, let high = report.averageLogLikelihoodHigh {
            print(String(format: "  AIS (optimistic): %.4f nats, ±3 s.e. of log Z: [%.4f, %.4f]", report.averageLogLikelihood, low, high))
        }
        if let r = report.reverse, let same = report.averageLogLikelihoodOfReverseExamples {
            print(String(format: "  reverse AIS (pessimistic): %.4f ± %.4f nats (±3 Monte Carlo s.e.; %d examples, %d runs each, %d temperatures; "
                         + "the examples' own spread gives ±%.4f); %@ over the same examples: %.4f",
                         r.averageLogLikelihood, 3 * r.standardError, r.examples, r.runs, r.temperatures, 3 * r.exampleStandardError,
                         report.estimate == nil ? "exact" : "AIS", same))
        }
    }
}
