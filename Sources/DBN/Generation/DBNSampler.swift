import EnergyCore
import RBM

/// Class-conditional samples from a DBN with a generative top layer (Hinton, Osindero & Teh 2006).
///
/// The top RBM's visible units are the penultimate layer x joined to one-hot label units y. With y
/// clamped to the wanted class, alternating Gibbs sampling h ~ P(h | x, y), x ~ P(x | h) runs for
/// `steps` steps; the top-down pass then maps x to the data layer through each lower RBM's
/// generative conditional E[v | h] = σ(a + W h).
public enum DBNSampler {
    /// `count` samples of class `label` (rows of data-layer probabilities).
    ///
    /// - Throws: `ConfigurationError` naming `label` for a class the model does not have, or `count`
    ///   below 1; `InputError` naming `source` (the model) when it was trained without a generative top layer.
    public static func samples(_ stack: LayerStack, label: Int, count: Int, steps: Int, random: RandomSource,
                               source: String = "model") throws -> Matrix<Float> {
        guard stack.labelUnits > 0, let top = stack.layers.last else {
            throw InputError(file: source, "the model has no generative top layer (it was pretrained without generativeTop)")
        }
        guard count >= 1 else { throw ConfigurationError(field: "count", "expected at least 1 sample, got \(count)") }
        // Each chain holds a visible and a hidden state of the top RBM, and a row of every layer below.
        let width = stack.layers.map { max($0.visibleCount, $0.hiddenCount) }.max() ?? 0
        guard let bytes = Sizes.product([count, width, 2 * MemoryLayout<Float>.size]), bytes <= Sizes.allocationLimit else {
            throw ConfigurationError(field: "count", "\(count) samples need more than the allocation limit of "
                                     + "\(Sizes.describe(bytes: Sizes.allocationLimit)) (set EBM_MAX_ALLOCATION to raise it)")
        }
        guard (0..<stack.labelUnits).contains(label) else {
            throw ConfigurationError(field: "label", "expected a class 0–\(stack.labelUnits - 1), got \(label)")
        }
        let n = top.visibleCount - stack.labelUnits
        var v = Matrix<Float>(rows: count, columns: top.visibleCount)
        // Start from the top RBM's visible biases, then clamp the label.
        for r in 0..<count { for c in 0..<n { v[r, c] = logistic(top.visibleBias[c]) } }
        random.sampleBernoulli(&v.storage)
        func clamp() { for r in 0..<count { for c in 0..<stack.labelUnits { v[r, n + c] = c == label ? 1 : 0 } } }
        clamp()
        var h = Matrix<Float>(rows: count, columns: top.hiddenCount)
        for step in 0..<max(1, steps) {
            top.hiddenProbabilities(v, into: &h)
            random.sampleBernoulli(&h.storage)
            top.visibleMeans(h, into: &v)
            if step < steps - 1 { random.sampleBernoulli(&v.storage) }
            clamp()
        }
        // Top-down pass through the lower layers with probabilities.
        var x = v.columnsSlice(0..<n)
        for rbm in stack.layers.dropLast().reversed() {
            x = rbm.visibleMeans(x)
        }
        return x
    }
}

extension Matrix {
    /// The columns `range` of every row, as a new matrix.
    func columnsSlice(_ range: Range<Int>) -> Matrix {
        var out = Matrix(rows: rows, columns: range.count)
        for r in 0..<rows { for (k, c) in range.enumerated() { out[r, k] = self[r, c] } }
        return out
    }
}
