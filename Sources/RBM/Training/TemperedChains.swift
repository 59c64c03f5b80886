import EnergyCore
import Foundation

/// The persistent chains of parallel tempering (Desjardins, Courville, Bengio, Vincent & Delalleau
/// 2010, "Tempered Markov Chain Monte Carlo for training of Restricted Boltzmann Machines", AISTATS).
///
/// Chains run at M inverse temperatures 1 = β₀ > β₁ > … > β_{M−1} = β_min, spaced geometrically,
/// βₘ = β_min^(m/(M−1)), each on the tempered model p_β(v, h) ∝ exp(−β E(v, h)):
///
///     h ~ σ(β (b + vᵀW))                                  (both unit types)
///     v ~ σ(β (a + W h))                                  (Bernoulli visible units)
///     v ~ N(a + W h, 1/β)                                 (Gaussian visible units)
///
/// After the Gibbs steps of an update, neighbouring temperatures m, m + 1 (in the order m = 0, 1, …,
/// M − 2) exchange the joint states (v, h) of each chain with the Metropolis probability
///
///     min(1, exp((βₘ − βₘ₊₁)(E(vₘ, hₘ) − E(vₘ₊₁, hₘ₊₁)))),
///
/// E the energy of the joint state (`RestrictedBoltzmannMachine.energy`), h the last hidden sample
/// and v the visible sample drawn from it. Each swap is a Metropolis step on the product of the
/// tempered joint distributions, so the chains at β = 1 keep sampling the model; they give the
/// negative phase of the gradient. Every draw comes from the trainer's stream, in a fixed order.
///
/// The states are the rows of one matrix: temperature m holds rows m·C ..< (m+1)·C, so the first C
/// rows are the β = 1 chains that `MiniBatchStep` reads as ordinary persistent chains.
struct TemperedChains {
    /// βₘ, from 1 down to β_min.
    let betas: [Double]
    /// Chains per temperature, C.
    let chains: Int
    /// Accepted and attempted swaps of each neighbouring pair (m, m + 1) since `resetCounts`.
    private(set) var accepted: [Int]
    private(set) var attempted: [Int]

    init(chains: Int, temperatures: Int, minimumBeta: Double) {
        self.chains = chains
        betas = Self.ladder(temperatures: temperatures, minimumBeta: minimumBeta)
        accepted = [Int](repeating: 0, count: max(temperatures - 1, 0))
        attempted = accepted
    }

    /// βₘ = β_min^(m/(M−1)) for m = 0 … M − 1.
    static func ladder(temperatures t: Int, minimumBeta: Double) -> [Double] {
        guard t > 1 else { return [1] }
        return (0..<t).map { m in m == 0 ? 1 : pow(minimumBeta, Double(m) / Double(t - 1)) }
    }

    /// The Metropolis probability of exchanging a state of energy `e1` at inverse temperature `b1`
    /// with one of energy `e2` at `b2`: min(1, exp((b1 − b2)(e1 − e2))).
    static func swapProbability(_ b1: Double, _ e1: Double, _ b2: Double, _ e2: Double) -> Double {
        let logRatio = (b1 - b2) * (e1 - e2)
        return logRatio >= 0 ? 1 : exp(logRatio)
    }

    /// The fraction of accepted swaps of each neighbouring pair since `resetCounts` (0 for a pair
    /// with no attempts).
    var acceptanceRates: [Double] {
        zip(accepted, attempted).map { $1 > 0 ? Double($0) / Double($1) : 0 }
    }

    mutating func resetCounts() {
        for m in accepted.indices { accepted[m] = 0; attempted[m] = 0 }
    }

    /// Advances every chain `steps` Gibbs steps at its temperature, then attempts the swaps.
    /// `states` holds M·C rows of visible states.
    mutating func advance(_ chainStates: inout Matrix<Float>?, model rbm: RestrictedBoltzmannMachine, steps: Int, random: RandomSource) {
        guard var states = chainStates else { return }
        chainStates = nil  // one owner while the states change
        defer { chainStates = states }
        let c = chains, d = rbm.visibleCount, nh = rbm.hiddenCount, rows = states.rows
        guard rows == betas.count * c, steps >= 1 else { return }
        var x = Matrix<Float>(rows: rows, columns: nh)
        var h = Matrix<Float>(rows: rows, columns: nh)
        var y = Matrix<Float>(rows: rows, columns: d)
        let gaussian = rbm.visibleUnits == .gaussian
        for _ in 0..<steps {
            rbm.hiddenInput(states, into: &x)
            for r in 0..<rows {
                let beta = Float(betas[r / c])
                for j in 0..<nh { h[r, j] = logistic(beta * x[r, j]) }
            }
            random.sampleBernoulli(&h.storage)
            rbm.visibleInput(h, into: &y)
            for r in 0..<rows {
                let beta = Float(betas[r / c])
                for i in 0..<d {
                    states[r, i] = gaussian ? y[r, i] + Float(random.gaussian(sigma: 1 / Double(beta).squareRoot())) : logistic(beta * y[r, i])
                }
            }
            if !gaussian { random.sampleBernoulli(&states.storage) }
        }
        // E(v, h) = −aᵀv − hᵀ(b + Wᵀv) (Bernoulli) or ½‖v − a‖² − hᵀ(b + Wᵀv) (Gaussian).
        rbm.hiddenInput(states, into: &x)
        var energy = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var e = 0.0
            for j in 0..<nh { e -= Double(h[r, j]) * Double(x[r, j]) }
            for i in 0..<d {
                let v = Double(states[r, i]), a = Double(rbm.visibleBias[i])
                e += gaussian ? 0.5 * (v - a) * (v - a) : -a * v
            }
            energy[r] = e
        }
        for chain in 0..<c {
            for m in 0..<(betas.count - 1) {
                let lo = m * c + chain, hi = (m + 1) * c + chain
                attempted[m] += 1
                let u = random.uniform()
                if u < Self.swapProbability(betas[m], energy[lo], betas[m + 1], energy[hi]) {
                    accepted[m] += 1
                    energy.swapAt(lo, hi)
                    for i in 0..<d {
                        let t = states[lo, i]
                        states[lo, i] = states[hi, i]
                        states[hi, i] = t
                    }
                }
            }
        }
    }
}
