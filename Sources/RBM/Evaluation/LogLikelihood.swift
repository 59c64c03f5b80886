import EnergyCore
import EnergyFormats

/// The average log-likelihood of data under an RBM in nats, mean(−F(v)) − log Z, with log Z exact
/// (`PartitionFunction`) or estimated by annealed importance sampling (`AnnealedImportanceSampling`):
/// the evaluation `ebm rbm loglik` runs.
public enum LogLikelihood {
    /// How log Z is found.
    public enum Method: Equatable, Sendable {
        /// Exactly, by enumerating the states of the smaller layer.
        case exact
        /// By AIS with `runs` runs and a schedule of about `temperatures` temperatures
        /// (`AnnealedImportanceSampling.temperatures(total:)`), from a base-rate model fitted to the data.
        case annealedImportanceSampling(runs: Int, temperatures: Int)
    }

    /// The settings of reverse AIS (`ReverseAnnealedImportanceSampling`): `runs` reverse chains for
    /// each of the first `examples` examples, on a schedule of about `temperatures` temperatures.
    public struct Reverse: Equatable, Sendable {
        public var runs: Int
        public var temperatures: Int
        public var examples: Int

        public init(runs: Int = 100, temperatures: Int = 14_500, examples: Int = 100) {
            self.runs = runs
            self.temperatures = temperatures
            self.examples = examples
        }
    }

    /// What an evaluation found.
    public struct Report: Sendable {
        /// log Z, exact or estimated.
        public var logZ: Double
        /// The AIS estimate, with its interval; nil when log Z is exact.
        public var estimate: AISEstimate?
        /// The units whose 2ⁿ states were enumerated; nil for AIS.
        public var enumeratedUnits: Int?
        /// mean(−F(v)) − log Z over the examples, in nats.
        public var averageLogLikelihood: Double
        /// The number of examples scored.
        public var examples: Int
        /// With AIS, the average log-likelihood at the ends of the ±3 standard-error interval of log Z
        /// (the low end from the high log Z); nil when log Z is exact.
        public var averageLogLikelihoodLow: Double?
        public var averageLogLikelihoodHigh: Double?
        /// The reverse-AIS estimate over the first `Reverse.examples` examples, when asked for.
        public var reverse: RAISEEstimate?
        /// mean(−F(v)) − log Z over those same examples, to compare with `reverse`.
        public var averageLogLikelihoodOfReverseExamples: Double?
    }

    /// Scores `data` under `rbm`.
    ///
    /// The data are binarised first as asked, the stochastic mode (each value on with probability
    /// equal to it, the test-set protocol of Salakhutdinov & Murray 2008) drawing from a stream
    /// seeded with `seed`; AIS then goes on with the same stream, from the base-rate model of the
    /// binarised data.
    ///
    /// - Parameters:
    ///   - rbm: the model scored.
    ///   - data: the examples, one per row, with values in [0, 1].
    ///   - binarization: how the data are binarised first; stochastic by default, as in the paper.
    ///   - method: how log Z is found: exactly, or by AIS with its runs and temperatures.
    ///   - reverse: the settings of reverse AIS over the first examples, or nil for none.
    ///   - seed: seeds the stream of the binarisation and of AIS.
    ///   - modelFile: the name of the model for messages, e.g. its file.
    ///   - dataFile: the name of the data for messages, e.g. their file.
    ///   - progress: told of the progress of AIS (the exact sum reports none).
    /// - Throws: `InputError` naming `dataFile` when the examples do not fit the model, or
    ///   `modelFile` when log Z cannot be found this way for it; `ConfigurationError` naming `runs`
    ///   or `temperatures` for an AIS setting out of range, or `reverse.runs`, `reverse.temperatures`
    ///   or `reverse.examples` for a reverse-AIS one.
    ///
    /// With `reverse`, reverse AIS (`ReverseAnnealedImportanceSampling`, from the same base-rate model
    /// and going on with the same stream after log Z) scores the first `reverse.examples` examples:
    /// a pessimistic estimate to set beside the optimistic one of forward AIS.
    public static func evaluate(_ rbm: RestrictedBoltzmannMachine, data: Matrix<Float>, binarization: Binarization = .stochastic,
                                method: Method, reverse: Reverse? = nil, seed: UInt64 = 1, modelFile: String = "model",
                                dataFile: String = "data", progress: (any ProgressObserver)? = nil) throws -> Report {
        if let reverse {
            guard reverse.runs >= 2 else { throw ConfigurationError(field: "reverse.runs", "expected at least 2 runs, got \(reverse.runs)") }
            guard reverse.temperatures >= 3 else {
                throw ConfigurationError(field: "reverse.temperatures", "expected at least 3 temperatures, got \(reverse.temperatures)")
            }
            guard reverse.examples >= 1 else { throw ConfigurationError(field: "reverse.examples", "expected at least 1 example, got \(reverse.examples)") }
        }
        try rbm.checkVisible(data, file: dataFile)
        let random = RandomSource(seed: seed)
        let x = DataMatrix.binarize(data, binarization, random: random)
        var report = Report(logZ: 0, estimate: nil, enumeratedUnits: nil, averageLogLikelihood: 0, examples: x.rows,
                            averageLogLikelihoodLow: nil, averageLogLikelihoodHigh: nil, reverse: nil,
                            averageLogLikelihoodOfReverseExamples: nil)
        switch method {
        case .exact:
            report.logZ = try PartitionFunction.exactLogZ(rbm, source: modelFile)
            report.enumeratedUnits = PartitionFunction.enumeratedUnits(rbm)
        case .annealedImportanceSampling(let runs, let temperatures):
            guard temperatures >= 3 else { throw ConfigurationError(field: "temperatures", "expected at least 3 temperatures, got \(temperatures)") }
            let estimate = try AnnealedImportanceSampling.estimateLogZ(
                rbm, baseBias: AnnealedImportanceSampling.baseRateBias(x), temperatures: AnnealedImportanceSampling.temperatures(total: temperatures),
                runs: runs, random: random, source: modelFile, progress: progress)
            report.logZ = estimate.logZ
            report.estimate = estimate
        }
        report.averageLogLikelihood = AnnealedImportanceSampling.averageLogLikelihood(rbm, x, logZ: report.logZ)
        if let estimate = report.estimate {
            report.averageLogLikelihoodLow = AnnealedImportanceSampling.averageLogLikelihood(rbm, x, logZ: estimate.logZHigh)
            report.averageLogLikelihoodHigh = AnnealedImportanceSampling.averageLogLikelihood(rbm, x, logZ: estimate.logZLow)
        }
        if let reverse {
            let subset = x.rows(0..<min(reverse.examples, x.rows))
            report.reverse = try ReverseAnnealedImportanceSampling.estimate(
                rbm, data: subset, baseBias: AnnealedImportanceSampling.baseRateBias(x),
                temperatures: AnnealedImportanceSampling.temperatures(total: reverse.temperatures), runs: reverse.runs, random: random,
                source: modelFile, progress: progress)
            report.averageLogLikelihoodOfReverseExamples = AnnealedImportanceSampling.averageLogLikelihood(rbm, subset, logZ: report.logZ)
        }
        return report
    }
}
