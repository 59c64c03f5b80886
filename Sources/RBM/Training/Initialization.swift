import EnergyCore
import Foundation

extension RestrictedBoltzmannMachine {
    /// An RBM initialised as Hinton's practical guide (2010) recommends: W ~ N(0, scale²), hidden
    /// biases 0, and for Bernoulli units visible biases log(pᵢ / (1 − pᵢ)), with pᵢ the fraction of
    /// training examples in which unit i is on (clamped to [0.001, 0.999] so that always-off pixels
    /// get a finite bias). Gaussian units start with the data mean as their bias.
    public static func initialized(visible: Int, hidden: Int, visibleUnits: VisibleUnits = .bernoulli,
                                   data: Matrix<Float>, weightScale: Double = 0.01, random: RandomSource) -> RestrictedBoltzmannMachine {
        var rbm = RestrictedBoltzmannMachine(visible: visible, hidden: hidden, visibleUnits: visibleUnits)
        random.fillGaussian(&rbm.weights.storage, sigma: Float(weightScale))
        guard data.rows > 0 else { return rbm }
        let means = data.columnSums().map { $0 / Float(data.rows) }
        switch visibleUnits {
        case .bernoulli:
            rbm.visibleBias = means.map { p in
                let q = min(max(Double(p), 0.001), 0.999)
                return Float(log(q / (1 - q)))
            }
        case .gaussian:
            rbm.visibleBias = means
        }
        return rbm
    }
}
