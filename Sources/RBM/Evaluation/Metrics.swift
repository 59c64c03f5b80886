import EnergyCore
import Foundation

/// Cheap training diagnostics of an RBM.
public enum RBMMetrics {
    /// Mean squared reconstruction error per example: Σᵢ (vᵢ − E[vᵢ | P(h | v)])², the mean-field
    /// one-step reconstruction.
    public static func reconstructionError(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>) -> Double {
        guard data.rows > 0 else { return 0 }
        let reconstruction = rbm.visibleMeans(rbm.hiddenProbabilities(data))
        var sum = 0.0
        for i in data.storage.indices {
            let d = Double(data.storage[i] - reconstruction.storage[i])
            sum += d * d
        }
        return sum / Double(data.rows)
    }

    /// The mean free energy F(v) over the rows.
    public static func meanFreeEnergy(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>) -> Double {
        guard data.rows > 0 else { return 0 }
        return rbm.freeEnergy(data).reduce(0, +) / Double(data.rows)
    }

    /// The stochastic pseudo-log-likelihood per example (Besag 1975), as scikit-learn's
    /// `BernoulliRBM.score_samples` computes it: for each example one randomly chosen unit i is
    /// flipped to give ṽ, and log PL ≈ D · log σ(F(ṽ) − F(v)), D the number of visible units.
    /// The data must be binary.
    public static func pseudoLikelihood(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>, random: RandomSource) -> Double {
        guard data.rows > 0 else { return 0 }
        var flipped = data
        for r in 0..<data.rows {
            let i = random.integer(below: data.columns)
            flipped[r, i] = 1 - flipped[r, i]
        }
        let f = rbm.freeEnergy(data), g = rbm.freeEnergy(flipped)
        var sum = 0.0
        for r in 0..<data.rows {
            // log σ(x) = −softplus(−x)
            sum += -softplus(-(g[r] - f[r]))
        }
        return Double(data.columns) * sum / Double(data.rows)
    }
}
