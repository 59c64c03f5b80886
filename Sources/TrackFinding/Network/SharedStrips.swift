import Foundation

/// Which hits share a 0° strip: in two-view strip readout (BM@N's silicon and GEM stations) a point
/// is the crossing of a strip of each view, so the real point of a particle and its ghosts (the
/// crossings of its x strip with the other particles' stereo strips, and vice versa) share a strip.
/// A strip cluster belongs to at most one particle, so at most one of the points on one x strip is
/// a particle's (the strip-exclusion constraint; the ghost mechanism as in Zinchenko, "GEM detector
/// configuration", BM@N meeting 2014, and `SpectrometerSimulation`).
///
/// Sharing is recognised from geometry alone, so that it works on files without strip columns
/// (JINR's BM@N events): two hits share the x strip when they lie on the same layer and their x
/// agree within `tolerance` mm (the points of one strip carry that strip's x exactly; a tolerance far
/// below the resolution, such as 0.001 mm, makes a coincidence between two particles' strips
/// negligible). Only the 0° view is used: the stereo view's u = x cos α + y sin α needs each
/// station's angle and sign, which a hit file does not carry.
public enum SharedStrips {
    /// For each hit, the representative of its x strip: the smallest index of the hits on its layer
    /// whose x lies within `tolerance` of a neighbour's (a chain of such hits is one strip), so hits
    /// `a` and `b` share a strip exactly when `strip[a] == strip[b]`. With `tolerance` ≤ 0, every hit
    /// is its own strip (`strip[h] == h`).
    public static func xStrips(of hits: [Hit], tolerance: Double) -> [Int32] {
        var strip = (0..<hits.count).map { Int32($0) }
        guard tolerance > 0, hits.count > 1 else { return strip }
        let order = hits.indices.sorted { (hits[$0].layer, hits[$0].x, $0) < (hits[$1].layer, hits[$1].x, $1) }
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, hits[order[end]].layer == hits[order[start]].layer,
                  hits[order[end]].x - hits[order[end - 1]].x <= tolerance { end += 1 }
            let representative = order[start..<end].min() ?? order[start]
            for k in order[start..<end] { strip[k] = Int32(representative) }
            start = end
        }
        return strip
    }
}
