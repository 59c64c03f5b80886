import EnergyCore

/// The offsets of a centred RBM (Melchior, Fischer & Wiskott 2016, "How to Center Deep Boltzmann
/// Machines", JMLR 17(99)), and the centred gradient step in the ordinary parameterisation.
///
/// A centred RBM has the energy
///
///     E(v, h) = −(v − μ)ᵀ W (h − λ) − b̃ᵀ(v − μ) − c̃ᵀ(h − λ)
///
/// with visible and hidden offsets μ, λ. Expanding it gives the ordinary RBM (`RestrictedBoltzmannMachine`)
/// with the same W and the biases
///
///     a = b̃ − W λ,    b = c̃ − Wᵀ μ,
///
/// up to a constant in the energy, so the two define the same distribution. The gradient of the
/// log-likelihood in the centred parameters is
///
///     ∇W = ⟨(v − μ)(h − λ)ᵀ⟩_data − ⟨(v − μ)(h − λ)ᵀ⟩_model,  ∇b̃ = ⟨v⟩_d − ⟨v⟩_m,  ∇c̃ = ⟨h⟩_d − ⟨h⟩_m,
///
/// and a step (ΔW, Δb̃, Δc̃) of the centred parameters moves the ordinary ones by
///
///     ΔW,    Δa = Δb̃ − ΔW λ,    Δb = Δc̃ − ΔWᵀ μ.
///
/// The trainer keeps the ordinary parameters throughout, so a checkpoint or a saved model is an
/// ordinary RBM that any tool reads. Moving the offsets between updates then needs no
/// re-parameterisation at all: with the ordinary parameters fixed, the centred biases
/// b̃ = a + Wλ, c̃ = b + Wᵀμ follow the offsets, which is exactly the bias change of Melchior et al.
/// (Algorithm 1) that leaves the modelled distribution unchanged.
///
/// The offsets follow the data: the paper's variant "dd", with exponentially moving averages over
/// the mini-batch means, which its experiments found the most stable (the variants using the model
/// mean, such as the enhanced gradient, diverge more often):
///
///     μ ← (1 − ν) μ + ν mean(v₀),    λ ← (1 − ν) λ + ν mean(P(h = 1 | v₀)).
///
/// They start at the mean of the training data and the mean hidden probability of (up to
/// `RBMTrainer.reportExamples` of) its first examples.
public struct CentringOffsets: Equatable, Sendable {
    /// μ, one per visible unit.
    public var visible: [Float]
    /// λ, one per hidden unit.
    public var hidden: [Float]

    public init(visible: [Float], hidden: [Float]) {
        self.visible = visible
        self.hidden = hidden
    }

    /// The starting offsets for training `rbm` on `data`: μ the data mean, λ the mean P(h = 1 | v)
    /// over the first `RBMTrainer.reportExamples` examples.
    static func initial(_ rbm: RestrictedBoltzmannMachine, data: Matrix<Float>) -> CentringOffsets {
        let n = max(data.rows, 1)
        let mu = data.columnSums().map { $0 / Float(n) }
        let subset = data.rows(0..<min(RBMTrainer.reportExamples, data.rows))
        let p = rbm.hiddenProbabilities(subset)
        let lambda = p.columnSums().map { $0 / Float(max(subset.rows, 1)) }
        return CentringOffsets(visible: mu, hidden: lambda)
    }

    /// The ordinary RBM equal to the centred one with weights `weights` and centred biases b̃, c̃:
    /// a = b̃ − W λ, b = c̃ − Wᵀ μ.
    public func ordinary(weights: Matrix<Float>, visibleBias b: [Float], hiddenBias c: [Float],
                         visibleUnits: VisibleUnits = .bernoulli) -> RestrictedBoltzmannMachine {
        let wl = weights.multiplied(by: hidden), wm = weights.multiplied(by: visible, transposed: true)
        return RestrictedBoltzmannMachine(weights: weights, visibleBias: zip(b, wl).map { $0 - $1 },
                                          hiddenBias: zip(c, wm).map { $0 - $1 }, visibleUnits: visibleUnits)
    }

    /// The centred biases of an ordinary RBM: b̃ = a + W λ, c̃ = b + Wᵀ μ.
    public func centredBiases(of rbm: RestrictedBoltzmannMachine) -> (visible: [Float], hidden: [Float]) {
        let wl = rbm.weights.multiplied(by: hidden), wm = rbm.weights.multiplied(by: visible, transposed: true)
        return (zip(rbm.visibleBias, wl).map { $0 + $1 }, zip(rbm.hiddenBias, wm).map { $0 + $1 })
    }

    /// The moving averages of the data means, from the positive phase of `step` (rows 0..<B).
    mutating func follow(_ step: MiniBatchStep, rate: Float) {
        let b = step.positives, v = step.visibleCount, h = step.hiddenCount
        var sv = [Float](repeating: 0, count: v), sh = [Float](repeating: 0, count: h)
        for r in 0..<b {
            for i in 0..<v { sv[i] += step.visible[r * v + i] }
            for j in 0..<h { sh[j] += step.hidden[r * h + j] }
        }
        for i in 0..<v { visible[i] = (1 - rate) * visible[i] + rate * sv[i] / Float(b) }
        for j in 0..<h { hidden[j] = (1 - rate) * hidden[j] + rate * sh[j] / Float(b) }
    }

    /// Centres the buffers of `step` so that its weight product becomes the centred gradient:
    /// every visible row v − μ, the positive hidden rows p₀ − λ and the negative ones −(B/C)(p⁻ − λ).
    /// The bias sums are unchanged by this (the B positive and B/C-scaled C negative rows subtract
    /// the same offsets), as the centred bias gradients are the ordinary ones.
    func centre(_ step: MiniBatchStep) {
        let b = step.positives, c = step.negatives, v = step.visibleCount, h = step.hiddenCount
        let scale = Float(b) / Float(c)
        for r in 0..<(b + c) {
            let row = step.visible + r * v
            for i in 0..<v { row[i] -= visible[i] }
            let hrow = step.hidden + r * h
            if r < b {
                for j in 0..<h { hrow[j] -= hidden[j] }
            } else {
                for j in 0..<h { hrow[j] += scale * hidden[j] }
            }
        }
    }

    /// Turns the centred bias steps that phase 2 applied to the ordinary biases into ordinary
    /// ones: a ← a − ΔW λ, b ← b − ΔWᵀ μ, ΔW the weight step just taken.
    func reparameterise(_ rbm: inout RestrictedBoltzmannMachine, weightStep dw: Matrix<Float>) {
        let wl = dw.multiplied(by: hidden), wm = dw.multiplied(by: visible, transposed: true)
        for i in rbm.visibleBias.indices { rbm.visibleBias[i] -= wl[i] }
        for j in rbm.hiddenBias.indices { rbm.hiddenBias[j] -= wm[j] }
    }
}
