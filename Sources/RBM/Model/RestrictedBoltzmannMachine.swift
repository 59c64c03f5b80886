import EnergyCore
import Foundation

/// The type of the visible units of an RBM.
public enum VisibleUnits: String, Sendable, Codable, CaseIterable {
    /// Binary units: P(vᵢ = 1 | h) = σ(aᵢ + Wᵢ· h).
    case bernoulli
    /// Unit-variance Gaussian units for standardised real data: v | h ~ N(a + W h, 1).
    case gaussian
}

/// A restricted Boltzmann machine: the parameters and the energy (Smolensky 1986; Hinton 2002).
///
/// With visible units v, binary hidden units h, weights W (visible × hidden), visible bias a and
/// hidden bias b, the energy of a joint state is
///
///     E(v, h) = −aᵀv − bᵀh − vᵀW h                     (Bernoulli visible units)
///     E(v, h) = ½‖v − a‖² − bᵀh − vᵀW h                 (Gaussian visible units, unit variance)
///
/// Summing out h gives the free energy, P(v) = e^(−F(v)) / Z:
///
///     F(v) = −aᵀv − Σⱼ softplus(bⱼ + vᵀW·ⱼ)             (Bernoulli)
///     F(v) = ½‖v − a‖² − Σⱼ softplus(bⱼ + vᵀW·ⱼ)          (Gaussian)
///
/// All batch operations take one example per row and use BLAS GEMM in Float32; the conditionals are
/// the same kernels that training uses (`Conditionals`).
public struct RestrictedBoltzmannMachine: Equatable, Sendable {
    /// Weights W, visible × hidden.
    public var weights: Matrix<Float>
    /// Visible bias a.
    public var visibleBias: [Float]
    /// Hidden bias b.
    public var hiddenBias: [Float]
    /// The visible unit type.
    public var visibleUnits: VisibleUnits

    /// Number of visible units.
    public var visibleCount: Int { weights.rows }
    /// Number of hidden units.
    public var hiddenCount: Int { weights.columns }

    /// An RBM with the given parameters; the shapes must agree.
    public init(weights: Matrix<Float>, visibleBias: [Float], hiddenBias: [Float], visibleUnits: VisibleUnits = .bernoulli) {
        precondition(visibleBias.count == weights.rows && hiddenBias.count == weights.columns, "RBM: bias sizes do not match W")
        self.weights = weights
        self.visibleBias = visibleBias
        self.hiddenBias = hiddenBias
        self.visibleUnits = visibleUnits
    }

    /// An RBM with zero parameters.
    public init(visible: Int, hidden: Int, visibleUnits: VisibleUnits = .bernoulli) {
        self.init(weights: Matrix(rows: visible, columns: hidden), visibleBias: .init(repeating: 0, count: visible),
                  hiddenBias: .init(repeating: 0, count: hidden), visibleUnits: visibleUnits)
    }

    /// E(v, h) for one visible and one hidden vector.
    public func energy(visible v: [Float], hidden h: [Float]) -> Double {
        let wh = weights.multiplied(by: h)
        var e = 0.0
        for i in 0..<visibleCount {
            switch visibleUnits {
            case .bernoulli: e -= Double(visibleBias[i]) * Double(v[i])
            case .gaussian: e += 0.5 * Double(v[i] - visibleBias[i]) * Double(v[i] - visibleBias[i])
            }
            e -= Double(v[i]) * Double(wh[i])
        }
        for j in 0..<hiddenCount { e -= Double(hiddenBias[j]) * Double(h[j]) }
        return e
    }

    /// The hidden pre-activations b + vᵀW for a batch of visible rows (one GEMM).
    public func hiddenInput(_ visible: Matrix<Float>) -> Matrix<Float> {
        var x = Matrix<Float>(rows: visible.rows, columns: hiddenCount)
        hiddenInput(visible, into: &x)
        return x
    }

    /// The hidden pre-activations into a preallocated `rows × hidden` matrix.
    public func hiddenInput(_ visible: Matrix<Float>, into x: inout Matrix<Float>) {
        conditional(visible, inputs: visibleCount, into: &x, outputs: hiddenCount) { $0.hiddenInput($1, rows: $2, into: $3) }
    }

    /// P(hⱼ = 1 | v) = σ(bⱼ + vᵀW·ⱼ) for a batch of visible rows.
    public func hiddenProbabilities(_ visible: Matrix<Float>) -> Matrix<Float> {
        var x = Matrix<Float>(rows: visible.rows, columns: hiddenCount)
        hiddenProbabilities(visible, into: &x)
        return x
    }

    /// P(h = 1 | v) into a preallocated `rows × hidden` matrix (no allocation).
    public func hiddenProbabilities(_ visible: Matrix<Float>, into x: inout Matrix<Float>) {
        conditional(visible, inputs: visibleCount, into: &x, outputs: hiddenCount) { $0.hiddenProbabilities($1, rows: $2, into: $3) }
    }

    /// The visible pre-activations a + W h for a batch of hidden rows, into a preallocated
    /// `rows × visible` matrix.
    func visibleInput(_ hidden: Matrix<Float>, into x: inout Matrix<Float>) {
        conditional(hidden, inputs: hiddenCount, into: &x, outputs: visibleCount) { $0.visibleInput($1, rows: $2, into: $3) }
    }

    /// E[v | h] for a batch of hidden rows: σ(a + W h) for Bernoulli units, a + W h for Gaussian units.
    public func visibleMeans(_ hidden: Matrix<Float>) -> Matrix<Float> {
        var x = Matrix<Float>(rows: hidden.rows, columns: visibleCount)
        visibleMeans(hidden, into: &x)
        return x
    }

    /// E[v | h] into a preallocated `rows × visible` matrix (no allocation).
    public func visibleMeans(_ hidden: Matrix<Float>, into x: inout Matrix<Float>) {
        conditional(hidden, inputs: hiddenCount, into: &x, outputs: visibleCount) { $0.visibleMeans($1, rows: $2, into: $3) }
    }

    /// Throws unless the rows of `data` have one value per visible unit.
    ///
    /// - Throws: `InputError` naming `file`.
    public func checkVisible(_ data: Matrix<Float>, file: String) throws {
        guard data.columns == visibleCount else {
            throw InputError(file: file, "examples have \(data.columns) values; the model has \(visibleCount) visible units")
        }
    }

    /// The features of each example, P(h = 1 | v), as scikit-learn's `BernoulliRBM.transform` gives them.
    ///
    /// - Throws: `InputError` naming `file` when the examples do not fit the model.
    public func transform(_ data: Matrix<Float>, file: String = "data") throws -> Matrix<Float> {
        try checkVisible(data, file: file)
        return hiddenProbabilities(data)
    }

    /// The receptive fields W·ⱼ of the first `count` hidden units (at least 1, at most all), one per row.
    public func filters(count: Int) -> Matrix<Float> {
        weights.transposed.rows(0..<min(max(count, 1), hiddenCount))
    }

    /// Replaces visible means by samples in place: Bernoulli(p) for binary units, mean + N(0, 1)
    /// for Gaussian units.
    public func sampleVisible(_ means: inout Matrix<Float>, random: RandomSource) {
        switch visibleUnits {
        case .bernoulli: random.sampleBernoulli(&means.storage)
        case .gaussian: random.addGaussian(&means.storage, sigma: 1)
        }
    }

    /// The free energy F(v) of each visible row, computed with a stable softplus so that large
    /// inputs do not overflow.
    public func freeEnergy(_ visible: Matrix<Float>) -> [Double] {
        let x = hiddenInput(visible)
        var out = [Double](repeating: 0, count: visible.rows)
        for r in 0..<visible.rows {
            var f = 0.0
            for i in 0..<visibleCount {
                let v = Double(visible[r, i]), a = Double(visibleBias[i])
                switch visibleUnits {
                case .bernoulli: f -= a * v
                case .gaussian: f += 0.5 * (v - a) * (v - a)
                }
            }
            for j in 0..<hiddenCount { f -= softplus(Double(x[r, j])) }
            out[r] = f
        }
        return out
    }
}
