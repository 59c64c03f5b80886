import EnergyCore
import Foundation

/// What reverse annealed importance sampling found for a set of examples.
public struct RAISEEstimate: Sendable, Codable {
    /// The mean over the examples of log p̂_ann(v), in nats: a stochastic lower bound on the average
    /// log-likelihood, in expectation.
    public var averageLogLikelihood: Double
    /// The Monte Carlo standard error of that mean: √(Σₙ σₙ²)/N, with σₙ the delta-method standard
    /// error of example n's log mean(w), (sd(w)/√R)/mean(w).
    public var standardError: Double
    /// The standard deviation of the examples' estimates over √N: how far the mean over these
    /// examples may lie from the mean over a larger set they were taken from.
    public var exampleStandardError: Double
    /// The examples scored, the runs per example and the intermediate distributions.
    public var examples: Int
    public var runs: Int
    public var temperatures: Int
}

/// Reverse annealed importance sampling, RAISE (Burda, Grosse & Salakhutdinov 2015, "Accurate and
/// conservative estimates of MRF log-likelihood using reverse annealing", AISTATS), for a Bernoulli RBM.
///
/// With the intermediate distributions of `AnnealedImportanceSampling` over the visible units,
/// f_k(v) = exp((1 − β_k) a_Aᵀv + β_k aᵀv + Σⱼ softplus(β_k (bⱼ + vᵀW·ⱼ))) for 0 = β₀ < … < β_K = 1,
/// f_0 the base-rate model (normalised by Z_A) and f_K(v) = e^(−F(v)), the annealing model p_ann
/// draws x₀ ~ p_0 and x_k ~ T_k(· | x_{k−1}) for k = 1 … K, and emits v = x_K; T_k is the Gibbs step
/// v → h → v at β_k, reversible with respect to p_k. RAISE scores v under p_ann by importance sampling
/// with the reverse chain as proposal: starting at x_K = v, it draws x_{k−1} ~ T_k(· | x_k) for
/// k = K … 1, and
///
///     log w = −F(v) − log Z_A + Σ_{k=1…K} [ log f_{k−1}(x_{k−1}) − log f_k(x_{k−1}) ],
///
/// whose expectation is p_ann(v). The estimate of each example is log mean(w) over R runs, which
/// is below log p_ann(v) in expectation (Jensen); p_ann approaches the RBM as K grows, and Burda et al.
/// show the average over test data is a conservative (pessimistic) estimate of the RBM's average
/// log-likelihood, to set beside the optimistic one of forward AIS. All runs of a chunk of examples
/// advance together, two GEMMs per temperature.
public enum ReverseAnnealedImportanceSampling {
    /// The rows (examples × runs) advanced together at most.
    static let chunkRows = 10_000

    /// Estimates the average log-likelihood of the rows of `data` (binary) under `rbm`.
    ///
    /// - Throws: `InputError` naming `source` for Gaussian visible units or a base-rate model of
    ///   another size; `ConfigurationError` naming `temperatures` for a schedule that does not run
    ///   from 0 to 1 increasingly, or `runs` for fewer than 2 runs.
    public static func estimate(_ rbm: RestrictedBoltzmannMachine, data: Matrix<Float>, baseBias: [Float], temperatures betas: [Double],
                                runs: Int, random: RandomSource, source: String = "model",
                                progress: (any ProgressObserver)? = nil) throws -> RAISEEstimate {
        try AnnealedImportanceSampling.check(rbm, baseBias: baseBias, temperatures: betas, runs: runs, source: source)
        try rbm.checkVisible(data, file: "data")
        let baseLogZ = baseBias.reduce(0.0) { $0 + softplus(Double($1)) } + Double(rbm.hiddenCount) * log(2)
        let perChunk = max(1, chunkRows / runs)
        let chunks = (data.rows + perChunk - 1) / perChunk
        var scores: [Double] = []
        scores.reserveCapacity(data.rows)
        var monteCarloVariance = 0.0
        progress?.begin("reverse AIS", total: chunks * (betas.count - 1))
        defer { progress?.end() }
        for first in stride(from: 0, to: data.rows, by: perChunk) {
            let examples = data.rows(first..<min(first + perChunk, data.rows))
            let start = examples.gatherRows((0..<(examples.rows * runs)).map { $0 / runs })
            var chains = AnnealingChains(rbm, baseBias: baseBias, states: start, random: random)
            let f = rbm.freeEnergy(start)
            for k in stride(from: betas.count - 1, through: 1, by: -1) {
                chains.gibbsStep(beta: betas[k])
                chains.addLogWeights(beta: betas[k - 1], previous: betas[k])
                progress?.advance(by: 1)
            }
            for e in 0..<examples.rows {
                let logW = (0..<runs).map { r in chains.logWeights[e * runs + r] - f[e * runs + r] - baseLogZ }
                scores.append(logSumExp(logW) - log(Double(runs)))
                let top = logW.max() ?? 0
                let w = logW.map { exp($0 - top) }
                let m = w.reduce(0, +) / Double(runs)
                let v = w.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(runs - 1)
                monteCarloVariance += v / Double(runs) / (m * m)
            }
        }
        let n = Double(scores.count)
        let mean = scores.reduce(0, +) / n
        let variance = scores.count > 1 ? scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        return RAISEEstimate(averageLogLikelihood: mean, standardError: monteCarloVariance.squareRoot() / n,
                             exampleStandardError: (variance / n).squareRoot(), examples: scores.count,
                             runs: runs, temperatures: betas.count)
    }
}
