import Foundation

extension DipoleField {
    /// The beam spot of one event, found from its hits: every pair of hits on the two most
    /// upstream layers is extended as a straight line to the target plane z = `cuts.targetZ`
    /// (slopes within `cuts.maxSlope`), and the densest 4 mm cell of those intercepts within
    /// `searchRadius` of (`targetX`, `targetY`) (cells summed with their 8 neighbours) is refined to
    /// the mean of the intercepts within 6 mm of it. Tracks from one vertex meet there, pairs of
    /// different tracks, ghosts and noise spread out (a primary-vertex search in the style of a
    /// histogramming vertex finder). Nil when fewer than 3 intercepts fall within 6 mm of the peak.
    ///
    /// The magnet bends tracks before the first layers, which blurs the peak in x by about
    /// κ z₁²/2 (5 mm for p_xz = 0.3 GeV at 0.6 T and z₁ = 124 mm) on both sides of the vertex.
    public func estimatedTarget(hits: [Hit], layout: LayerLayout, cuts: SegmentCuts,
                                searchRadius: Double = 200) -> (x: Double, y: Double)? {
        guard layout.layers.count >= 2 else { return nil }
        var first: [Int] = [], second: [Int] = []
        for (i, k) in layout.layerIndex.enumerated() {
            if k == 0 { first.append(i) } else if k == 1 { second.append(i) }
        }
        var points: [(Double, Double)] = []
        for i in first {
            let a = hits[i]
            for j in second {
                let b = hits[j], dz = b.z - a.z
                guard dz > 0, a.z > cuts.targetZ else { continue }
                let sx = (b.x - a.x) / dz, sy = (b.y - a.y) / dz
                guard abs(sx) <= cuts.maxSlope, abs(sy) <= cuts.maxSlope else { continue }
                let x0 = a.x - sx * (a.z - cuts.targetZ), y0 = a.y - sy * (a.z - cuts.targetZ)
                if abs(x0 - targetX) <= searchRadius, abs(y0 - targetY) <= searchRadius { points.append((x0, y0)) }
            }
        }
        let cell = 4.0, n = Int((2 * searchRadius / cell).rounded(.up)) + 1
        guard !points.isEmpty, n > 0, n <= 10_000 else { return nil }
        var grid = [Int](repeating: 0, count: n * n)
        func index(_ v: Double, _ center: Double) -> Int { max(0, min(n - 1, Int(((v - center + searchRadius) / cell).rounded(.down)))) }
        for (x, y) in points { grid[index(x, targetX) * n + index(y, targetY)] += 1 }
        var best = -1, bestCount = 0
        for gx in 0..<n {
            for gy in 0..<n {
                var sum = 0
                for dx in -1...1 {
                    for dy in -1...1 where (0..<n).contains(gx + dx) && (0..<n).contains(gy + dy) { sum += grid[(gx + dx) * n + gy + dy] }
                }
                if sum > bestCount { bestCount = sum; best = gx * n + gy }
            }
        }
        guard best >= 0 else { return nil }
        let cx = targetX - searchRadius + (Double(best / n) + 0.5) * cell, cy = targetY - searchRadius + (Double(best % n) + 0.5) * cell
        let near = points.filter { abs($0.0 - cx) <= 6 && abs($0.1 - cy) <= 6 }
        guard near.count >= 3 else { return nil }
        return (near.reduce(0) { $0 + $1.0 } / Double(near.count), near.reduce(0) { $0 + $1.1 } / Double(near.count))
    }
}
