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
        from --seed, as in the paper.
        """)

    @Option(help: "The model file.") var model: String
    @Option(help: "The data to score.") var data: String
    @Option(help: "Use only the first N examples.") var limit: Int?
    @Flag(help: "Compute log Z exactly by enumeration.") var exact = false
    @Flag(help: "Estimate log Z by annealed importance sampling.") var ais = false
    @Option(help: "AIS runs.") var runs = 100
    @Option(help: "AIS intermediate temperatures.") var betas = 14_500
    @Option(help: "Binarize the data: stochastic, threshold or none.") var binarize = "stochastic"
    @Option(help: "Random seed (binarisation and AIS).") var seed: UInt64 = 1
    @Flag(help: "No progress bar.") var quiet = false

    func validate() throws {
        guard exact != ais else { throw ValidationError("give exactly one of --exact and --ais") }
        guard runs >= 2 else { throw ValidationError("--runs must be at least 2") }
        guard betas >= 3 else { throw ValidationError("--betas must be at least 3") }
    }

    func run() throws {
        guard let binarization = Binarization(rawValue: binarize) else {
            throw InputError(file: "--binarize", "expected threshold, stochastic or none, got '\(binarize)'")
        }
        let (rbm, _) = try RBMModelFile.read(model)
        var x = try DataMatrix.load(data)
        if let limit { x = x.rows(0..<min(max(limit, 1), x.rows)) }
        guard x.columns == rbm.visibleCount else {
            throw InputError(file: data, "examples have \(x.columns) values; the model has \(rbm.visibleCount) visible units")
        }
        let random = RandomSource(seed: seed)
        x = DataMatrix.binarize(x, binarization, random: random)
        let start = Date()
        let logZ: Double
        if exact {
            logZ = try PartitionFunction.exactLogZ(rbm, source: model)
            print(String(format: "log Z = %.4f (exact, by enumerating 2^%d states)", logZ, min(rbm.hiddenCount, rbm.visibleCount)))
        } else {
            let schedule = AnnealedImportanceSampling.temperatures(total: betas)
            let progress = ProgressReporter(quiet: quiet)
            let estimate = try AnnealedImportanceSampling.estimateLogZ(
                rbm, baseBias: AnnealedImportanceSampling.baseRateBias(x), temperatures: schedule, runs: runs,
                random: random, source: model, progress: progress)
            logZ = estimate.logZ
            print(String(format: "log Z = %.4f (AIS, %d runs, %d temperatures; ±3 s.e.: [%.4f, %.4f]; base-rate log Z_A = %.4f)",
                         logZ, estimate.runs, estimate.temperatures, estimate.logZLow, estimate.logZHigh, estimate.baseLogZ))
        }
        let ll = AnnealedImportanceSampling.averageLogLikelihood(rbm, x, logZ: logZ)
        print(String(format: "average log-likelihood: %.4f nats over %d examples (%@ binarisation, seed %llu) in %.1f s",
                     ll, x.rows, binarization.rawValue, seed, Date().timeIntervalSince(start)))
    }
}
