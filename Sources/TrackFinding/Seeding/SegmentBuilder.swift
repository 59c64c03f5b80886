import Foundation

/// Builds the candidate segments (the neurons) of an event under `SegmentCuts`.
///
/// Barrel hits are searched in azimuth windows over φ-sorted layers, so the cost grows with the
/// number of segments kept rather than with the square of the hit count.
public enum SegmentBuilder {
    /// The segments of `hits`, in flight order, that pass `cuts`.
    public static func segments(hits: [Hit], layout: LayerLayout, cuts: SegmentCuts) -> [Segment] {
        let layerCount = layout.layers.count
        var byLayer = Array(repeating: [Int](), count: layerCount)
        for (i, k) in layout.layerIndex.enumerated() { byLayer[k].append(i) }
        let steps = cuts.skipLayers ? [1, 2] : [1]
        var out: [Segment] = []
        switch layout.geometry {
        case .forward:
            for k in 0..<layerCount {
                for step in steps where k + step < layerCount {
                    for i in byLayer[k] {
                        for j in byLayer[k + step] where forwardAccepts(hits[i], hits[j], cuts) {
                            out.append(Segment(from: i, to: j, hits[i], hits[j], fromLayer: k, layerStep: step))
                        }
                    }
                }
            }
        default:
            let phi = hits.map(\.phi)
            let sorted = byLayer.map { layer in layer.sorted { (phi[$0], $0) < (phi[$1], $1) } }
            let sortedPhi = sorted.map { $0.map { phi[$0] } }
            for k in 0..<layerCount {
                for i in byLayer[k] {
                    let a = hits[i]
                    for step in steps where k + step < layerCount {
                        let target = k + step
                        let window = cuts.maxDeltaPhi(a.r, layout.depths[target])
                        forEachInWindow(sortedPhi[target], center: phi[i], halfWidth: window) { p in
                            let j = sorted[target][p]
                            if barrelAccepts(a, hits[j], cuts) {
                                out.append(Segment(from: i, to: j, a, hits[j], fromLayer: k, layerStep: step))
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Whether the pair passes the barrel cuts (exact Δφ, beam-line z₀ and length).
    static func barrelAccepts(_ a: Hit, _ b: Hit, _ cuts: SegmentCuts) -> Bool {
        let ra = a.r, rb = b.r
        guard outwardsWithinTurn(a, b, ra, rb, cuts) else { return false }
        let z0 = a.z - ra * (b.z - a.z) / (rb - ra)
        guard abs(z0) <= cuts.maxZ0 else { return false }
        let dx = b.x - a.x, dy = b.y - a.y, dz = b.z - a.z
        return dx * dx + dy * dy + dz * dz <= cuts.maxLength * cuts.maxLength
    }

    /// Whether `b` (at radius `rb`) lies further out than `a` (at `ra`) and within the azimuth
    /// window `SegmentCuts.maxDeltaPhi` of it.
    static func outwardsWithinTurn(_ a: Hit, _ b: Hit, _ ra: Double, _ rb: Double, _ cuts: SegmentCuts) -> Bool {
        guard rb > ra else { return false }
        var dphi = b.phi - a.phi
        if dphi > .pi { dphi -= 2 * .pi } else if dphi < -.pi { dphi += 2 * .pi }
        return abs(dphi) <= cuts.maxDeltaPhi(ra, rb)
    }

    /// Whether the pair passes the forward cuts (slopes, target and length).
    static func forwardAccepts(_ a: Hit, _ b: Hit, _ cuts: SegmentCuts) -> Bool {
        let dz = b.z - a.z
        guard dz > 0 else { return false }
        let sx = (b.x - a.x) / dz, sy = (b.y - a.y) / dz
        guard abs(sx) <= cuts.maxSlope, abs(sy) <= cuts.maxSlope else { return false }
        let x0 = a.x - sx * (a.z - cuts.targetZ), y0 = a.y - sy * (a.z - cuts.targetZ)
        guard x0 * x0 + y0 * y0 <= cuts.targetRadius * cuts.targetRadius else { return false }
        let dx = b.x - a.x, dy = b.y - a.y
        return dx * dx + dy * dy + dz * dz <= cuts.maxLength * cuts.maxLength
    }

    /// Calls `body` with the positions in the ascending array `values` (angles in (−π, π]) that
    /// lie within `halfWidth` of `center`, wrapping around ±π.
    static func forEachInWindow(_ values: [Double], center: Double, halfWidth: Double, _ body: (Int) -> Void) {
        guard !values.isEmpty else { return }
        if halfWidth >= .pi {
            for p in values.indices { body(p) }
            return
        }
        func scan(_ lo: Double, _ hi: Double) {
            var p = lowerBound(values, lo)
            while p < values.count, values[p] <= hi { body(p); p += 1 }
        }
        let lo = center - halfWidth, hi = center + halfWidth
        scan(max(lo, -.pi), min(hi, .pi))
        if lo < -.pi { scan(lo + 2 * .pi, .pi) }
        if hi > .pi { scan(-.pi, hi - 2 * .pi) }
    }

    static func lowerBound(_ values: [Double], _ x: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
