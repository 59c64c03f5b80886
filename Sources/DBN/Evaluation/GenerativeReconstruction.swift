import EnergyCore
import RBM

/// How well a DBN's generative model reconstructs its data: the measure that up-down fine-tuning
/// (`UpDownFineTuner`) improves, after Hinton, Osindero & Teh (2006).
///
/// Each image v with its label y goes up with the recognition probabilities to the penultimate
/// layer p, through one mean-field step of the top RBM with the label clamped (h = σ(c + [p, y]W),
/// p̂ = σ(a + W h) over the penultimate units), and down with the generative probabilities to v̂.
/// The error is the mean squared difference per pixel, (1/(n·d)) Σ (v − v̂)².
public enum GenerativeReconstruction {
    /// The mean squared reconstruction error per value of `data` (rows) with `labels`; 0 when
    /// `data` has no rows. The stack must have label units and fit the data (`UpDownFineTuner.train` checks).
    public static func error(_ stack: LayerStack, data: Matrix<Float>, labels: [Int]) -> Double {
        guard data.rows > 0, stack.labelUnits > 0, let top = stack.layers.last else { return 0 }
        let chunk = 1000
        var total = 0.0
        var start = 0
        while start < data.rows {
            let end = min(start + chunk, data.rows)
            let x = data.rows(start..<end)
            var p = x
            for rbm in stack.recognitionLayers.dropLast() { p = rbm.hiddenProbabilities(p) }
            let pen = p.columns
            var joined = Matrix<Float>(rows: p.rows, columns: top.visibleCount)
            for r in 0..<p.rows {
                for j in 0..<pen { joined[r, j] = p[r, j] }
                joined[r, pen + labels[start + r]] = 1
            }
            let means = top.visibleMeans(top.hiddenProbabilities(joined))
            for r in 0..<p.rows { for j in 0..<pen { p[r, j] = means[r, j] } }
            for rbm in stack.layers.dropLast().reversed() { p = rbm.visibleMeans(p) }
            for i in 0..<x.storage.count {
                let d = Double(x.storage[i] - p.storage[i])
                total += d * d
            }
            start = end
        }
        return total / Double(data.rows * data.columns)
    }
}
