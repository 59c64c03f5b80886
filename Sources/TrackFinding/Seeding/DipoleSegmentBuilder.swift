import Foundation

/// Builds the candidate segments of a fixed-target spectrometer with an analysing magnet
/// (`DipoleField`): layers ordered by z (`LayerLayout` with `.forward`), every pair of hits on
/// consecutive layers (or one further, with `SegmentCuts.skipLayers`) that `DipoleField.accepts`.
///
/// Hits of each layer are sorted by y, so the pairs examined are those whose dip slope
/// |Δy| / Δz ≤ `maxSlope` (|Δy| / √(Δx² + Δz²) ≤ maxSlope implies it); the exact cuts follow.
public enum DipoleSegmentBuilder {
    /// The segments of `hits`, in flight order, that pass `cuts` in the field `dipole`.
    public static func segments(hits: [Hit], layout: LayerLayout, cuts: SegmentCuts, dipole: DipoleField) -> [Segment] {
        let layerCount = layout.layers.count
        var byLayer = Array(repeating: [Int](), count: layerCount)
        for (i, k) in layout.layerIndex.enumerated() where k >= 0 { byLayer[k].append(i) }
        let sorted = byLayer.map { $0.sorted { (hits[$0].y, $0) < (hits[$1].y, $1) } }
        let sortedY = sorted.map { $0.map { hits[$0].y } }
        let steps = cuts.skipLayers ? [1, 2] : [1]
        var out: [Segment] = []
        for k in 0..<layerCount {
            for step in steps where k + step < layerCount {
                let target = k + step
                for i in byLayer[k] {
                    let a = hits[i]
                    // |Δy| ≤ maxSlope · Δz bounds the window; the layer's depth spread is allowed for.
                    let reach = cuts.maxSlope * max(0, layout.depths[target] - a.z + 50)
                    var p = SegmentBuilder.lowerBound(sortedY[target], a.y - reach)
                    while p < sortedY[target].count, sortedY[target][p] <= a.y + reach {
                        let j = sorted[target][p]
                        if dipole.accepts(a, hits[j], cuts: cuts) {
                            out.append(Segment(from: i, to: j, a, hits[j], fromLayer: k, layerStep: step))
                        }
                        p += 1
                    }
                }
            }
        }
        return out
    }
}
