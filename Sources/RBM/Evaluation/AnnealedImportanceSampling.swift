import EnergyCore
import Foundation

/// The estimate of log Z from a run of annealed importance sampling.
public struct AISEstimate: Sendable, Codable {
    /// log Ẑ = log Z_A + log mean(w).
    public var logZ: Double
    /// log Z of mean(w) − 3 standard errors (−∞ when that is not positive), and of mean(w) + 3 standard
    /// errors: the interval Salakhutdinov & Murray report.
    public var logZLow: Double
    public var logZHigh: Double
    /// log Z_A of the base-rate model.
    public var baseLogZ: Double
    /// Number of runs and of intermediate distributions.
    public var runs: Int
    public var temperatures: Int
}

/// Annealed importance sampling for the partition function of a Bernoulli RBM
/// (Neal 2001; Salakhutdinov & Murray 2008).
///
/// The base model A has no weights and visible biases a_A fitted to the data (the "base-rate"
/// model), so log Z_A = Σᵢ softplus(a_A,ᵢ) + H log 2 exactly. The intermediate distributions, for
/// 0 = β₀ < β₁ < … < β_K = 1, are
///
///     log p*_k(v) = (1 − β_k) a_Aᵀv + β_k aᵀv + Σⱼ softplus(β_k (bⱼ + vᵀW·ⱼ)).
///
/// Each run draws v from A, then for k = 1…K adds log p*_k(v) − log p*_{k−1}(v) to its log weight
/// and moves v by one Gibbs step that leaves p_k invariant: h ~ σ(β_k (b + vᵀW)),
/// v ~ σ((1 − β_k) a_A + β_k (a + W h)). Then log Ẑ = log Z_A + log mean(w). All runs advance together
/// as one batch, two GEMMs per temperature.
public enum AnnealedImportanceSampling {
    /// The default schedule of Salakhutdinov & Murray: 500 temperatures spaced uniformly on
    /// [0, 0.5), 4,000 on [0.5, 0.9) and 10,000 on [0.9, 1], 14,501 in all with β = 0 and 1.
    public static func defaultTemperatures() -> [Double] { temperatures(counts: (500, 4000, 10_000)) }

    /// A schedule with the same shape and about `total` temperatures.
    public static func temperatures(total: Int) -> [Double] {
        let t = max(total, 3)
        return temperatures(counts: (max(1, t * 500 / 14_500), max(1, t * 4000 / 14_500), max(1, t * 10_000 / 14_500)))
    }

    private static func temperatures(counts: (Int, Int, Int)) -> [Double] {
        var b: [Double] = []
        for k in 0..<counts.0 { b.append(0.5 * Double(k) / Double(counts.0)) }
        for k in 0..<counts.1 { b.append(0.5 + 0.4 * Double(k) / Double(counts.1)) }
        for k in 0...counts.2 { b.append(0.9 + 0.1 * Double(k) / Double(counts.2)) }
        return b
    }

    /// The base-rate visible biases: log(p/(1 − p)) of each unit's mean activity in `data`,
    /// smoothed as p = (count + 1) / (rows + 2) so that constant pixels stay finite.
    public static func baseRateBias(_ data: Matrix<Float>) -> [Float] {
        let sums = data.columnSums()
        return sums.map { s in
            let p = (Double(s) + 1) / (Double(data.rows) + 2)
            return Float(log(p / (1 - p)))
        }
    }

    /// Estimates log Z of `rbm` (Bernoulli visible units).
    ///
    /// - Throws: `InputError` naming `source` for Gaussian visible units or a base-rate model of
    ///   another size; `ConfigurationError` naming `temperatures` for a schedule that does not run
    ///   from 0 to 1 increasingly, or `runs` for fewer than 2 runs.
    public static func estimateLogZ(_ rbm: RestrictedBoltzmannMachine, baseBias: [Float], temperatures betas: [Double],
                                    runs: Int, random: RandomSource, source: String = "model",
                                    progress: (any ProgressObserver)? = nil) throws -> AISEstimate {
        try check(rbm, baseBias: baseBias, temperatures: betas, runs: runs, source: source)
        let baseLogZ = baseBias.reduce(0.0) { $0 + softplus(Double($1)) } + Double(rbm.hiddenCount) * log(2)
        var chains = AnnealingChains(rbm, baseBias: baseBias, runs: runs, random: random)
        progress?.begin("AIS", total: betas.count - 2)
        defer { progress?.end() }
        for k in 1..<betas.count {
            chains.addLogWeights(beta: betas[k], previous: betas[k - 1])
            guard k < betas.count - 1 else { break }
            chains.gibbsStep(beta: betas[k])
            progress?.advance(by: 1)
        }
        return estimate(logWeights: chains.logWeights, baseLogZ: baseLogZ, temperatures: betas.count)
    }

    static func check(_ rbm: RestrictedBoltzmannMachine, baseBias: [Float], temperatures betas: [Double], runs: Int,
                              source: String) throws {
        guard rbm.visibleUnits == .bernoulli else {
            throw InputError(file: source, "AIS is implemented for Bernoulli visible units; this model has Gaussian units")
        }
        guard runs >= 2 else { throw ConfigurationError(field: "runs", "expected at least 2 AIS runs, got \(runs)") }
        guard betas.count >= 2, betas.first == 0, betas.last == 1, zip(betas, betas.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ConfigurationError(field: "temperatures", "expected an increasing temperature schedule from 0 to 1")
        }
        guard baseBias.count == rbm.visibleCount else {
            throw InputError(file: source, "the base-rate model has \(baseBias.count) visible units, the RBM \(rbm.visibleCount)")
        }
    }

    /// log Ẑ = log Z_A + log mean(w) from the runs' log weights, with the ±3 standard-error interval.
    private static func estimate(logWeights logW: [Double], baseLogZ: Double, temperatures: Int) -> AISEstimate {
        let runs = logW.count
        let top = logW.max() ?? 0
        let w = logW.map { exp($0 - top) }
        let mean = w.reduce(0, +) / Double(runs)
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(runs - 1)
        let stderr = (variance / Double(runs)).squareRoot()
        let logZ = baseLogZ + top + log(mean)
        let low = mean - 3 * stderr > 0 ? baseLogZ + top + log(mean - 3 * stderr) : -Double.infinity
        let high = baseLogZ + top + log(mean + 3 * stderr)
        return AISEstimate(logZ: logZ, logZLow: low, logZHigh: high, baseLogZ: baseLogZ, runs: runs, temperatures: temperatures)
    }

    /// The average log-likelihood of the rows of `data` in nats: mean(−F(v)) − log Z.
    public static func averageLogLikelihood(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>, logZ: Double) -> Double {
        -RBMMetrics.meanFreeEnergy(rbm, data) - logZ
    }
}

/// The runs of AIS (and of its reverse, `ReverseAnnealedImportanceSampling`) advancing together as
/// one batch, with their buffers allocated once.
struct AnnealingChains {
    let rbm: RestrictedBoltzmannMachine
    /// The visible biases a_A of the base-rate model.
    let baseBias: [Float]
    let random: RandomSource
    /// The current states, one run per row.
    var v: Matrix<Float>
    /// log w of each run so far.
    var logWeights: [Double]
    /// b + vᵀW.
    var input: Matrix<Float>
    var hidden: Matrix<Float>
    var visibleInput: Matrix<Float>

    /// The runs, each started from a sample of the base model.
    init(_ rbm: RestrictedBoltzmannMachine, baseBias: [Float], runs: Int, random: RandomSource) {
        let d = rbm.visibleCount, h = rbm.hiddenCount
        self.rbm = rbm
        self.baseBias = baseBias
        self.random = random
        v = Matrix<Float>(rows: runs, columns: d)
        for r in 0..<runs { for i in 0..<d { v[r, i] = logistic(baseBias[i]) } }
        random.sampleBernoulli(&v.storage)
        logWeights = [Double](repeating: 0, count: runs)
        input = Matrix<Float>(rows: runs, columns: h)
        hidden = Matrix<Float>(rows: runs, columns: h)
        visibleInput = Matrix<Float>(rows: runs, columns: d)
    }

    /// Runs started from the given visible states, one per row, with `input` their hidden input
    /// b + vᵀW ready for a first `gibbsStep`.
    init(_ rbm: RestrictedBoltzmannMachine, baseBias: [Float], states: Matrix<Float>, random: RandomSource) {
        let h = rbm.hiddenCount
        self.rbm = rbm
        self.baseBias = baseBias
        self.random = random
        v = states
        logWeights = [Double](repeating: 0, count: states.rows)
        input = Matrix<Float>(rows: states.rows, columns: h)
        hidden = Matrix<Float>(rows: states.rows, columns: h)
        visibleInput = Matrix<Float>(rows: states.rows, columns: rbm.visibleCount)
        rbm.hiddenInput(v, into: &input)
    }

    /// Adds log p*_β(v) − log p*_β′(v) to each run's log weight. Without the terms that cancel
    /// between neighbouring β, that is (β − β′)(a − a_A)ᵀv + Σⱼ [softplus(β xⱼ) − softplus(β′ xⱼ)],
    /// x = b + vᵀW. Leaves x in `input` for the Gibbs step.
    mutating func addLogWeights(beta: Double, previous: Double) {
        rbm.hiddenInput(v, into: &input)
        let h = rbm.hiddenCount
        input.storage.withUnsafeBufferPointer { x in
            for r in 0..<logWeights.count {
                var s = (beta - previous) * visibleTerm(r)
                for j in 0..<h {
                    let xj = Double(x[r * h + j])
                    s += softplus(beta * xj) - softplus(previous * xj)
                }
                logWeights[r] += s
            }
        }
    }

    /// (a − a_A)ᵀv for run `r`.
    private func visibleTerm(_ r: Int) -> Double {
        var s = 0.0
        for i in 0..<rbm.visibleCount where v[r, i] != 0 { s += Double(rbm.visibleBias[i] - baseBias[i]) }
        return s
    }

    /// One Gibbs step that leaves p_β invariant, from the hidden input `addLogWeights` left:
    /// h ~ σ(β x), v ~ σ((1 − β) a_A + β (a + W h)).
    mutating func gibbsStep(beta: Double) {
        let fb = Float(beta), d = rbm.visibleCount
        hidden.storage.withUnsafeMutableBufferPointer { hp in
            input.storage.withUnsafeBufferPointer { x in
                for i in hp.indices { hp[i] = logistic(fb * x[i]) }
            }
        }
        random.sampleBernoulli(&hidden.storage)
        visibleInput.multiply(hidden, rbm.weights, transposeB: true)
        let a = rbm.visibleBias, baseBias = baseBias
        visibleInput.storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<v.rows {
                for i in 0..<d {
                    let x = (1 - fb) * baseBias[i] + fb * (a[i] + p[r * d + i])
                    p[r * d + i] = logistic(x)
                }
            }
        }
        v.copyValues(from: visibleInput)
        random.sampleBernoulli(&v.storage)
    }
}
