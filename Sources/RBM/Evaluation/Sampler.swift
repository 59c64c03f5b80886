import EnergyCore

/// Drawing samples from an RBM by block Gibbs sampling.
public enum RBMSampler {
    /// Runs `count` chains from uniform random binary visible states for `steps` Gibbs steps
    /// (h ~ P(h | v), then v ~ P(v | h)) and returns E[v | h] of the last step, one chain per row.
    public static func gibbsChains(_ rbm: RestrictedBoltzmannMachine, count: Int, steps: Int, random: RandomSource) -> Matrix<Float> {
        var v = Matrix<Float>(rows: count, columns: rbm.visibleCount, repeating: 0.5)
        random.sampleBernoulli(&v.storage)
        var h = Matrix<Float>(rows: count, columns: rbm.hiddenCount)
        var means = Matrix<Float>(rows: count, columns: rbm.visibleCount)
        for step in 0..<steps {
            rbm.hiddenProbabilities(v, into: &h)
            random.sampleBernoulli(&h.storage)
            rbm.visibleMeans(h, into: &means)
            if step < steps - 1 {
                v.copyValues(from: means)
                rbm.sampleVisible(&v, random: random)
            }
        }
        return means
    }
}
