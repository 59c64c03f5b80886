import EnergyCore
import Foundation

/// How the layers of a detector are ordered along the particles' flight.
///
/// - `barrel`: cylindrical layers around the beam in a solenoid (collider barrels such as the
///   TrackML detector); layers are ordered by mean radius r.
/// - `forward`: planar chambers across the beam (fixed-target spectrometers such as EXCHARM's six
///   MWPCs); layers are ordered by mean z.
/// - `auto`: whichever of the two describes the hits better (see `LayerLayout.init`).
public enum DetectorGeometry: String, CaseIterable, Codable, Sendable {
    case barrel, forward, auto
}

/// The layers of one event in flight order, with each hit's position in that order.
///
/// The ordering coordinate ("depth") is the radius r for a barrel and z for a forward detector.
public struct LayerLayout: Sendable {
    /// The resolved geometry (never `.auto`).
    public let geometry: DetectorGeometry
    /// The layers, innermost (barrel) or most upstream (forward) first.
    public let layers: [LayerID]
    /// The mean depth of each layer, in mm, in the order of `layers`.
    public let depths: [Double]
    /// For each hit, the index of its layer in `layers`.
    public let layerIndex: [Int]

    /// Orders the layers of `hits`.
    ///
    /// With `.auto`, each candidate ordering is scored by how thin the layers are in its depth
    /// coordinate compared with the gaps between them, (max spread within a layer) / (min gap
    /// between consecutive layer means); the thinner one wins. Cylinders are thin in r and planes
    /// in z, so real detectors are told apart without a hint.
    public init(hits: [Hit], geometry: DetectorGeometry) {
        let resolved: DetectorGeometry
        switch geometry {
        case .auto:
            let barrel = Self.thickness(hits) { $0.r }
            let forward = Self.thickness(hits) { $0.z }
            resolved = barrel <= forward ? .barrel : .forward
        default:
            resolved = geometry
        }
        let depth: (Hit) -> Double = resolved == .barrel ? { $0.r } : { $0.z }
        var sum: [LayerID: (Double, Int)] = [:]
        for h in hits { sum[h.layer, default: (0, 0)].0 += depth(h); sum[h.layer, default: (0, 0)].1 += 1 }
        let ordered = sum.map { ($0.key, $0.value.0 / Double($0.value.1)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        self.geometry = resolved
        self.layers = ordered.map(\.0)
        self.depths = ordered.map(\.1)
        let index = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element.0, $0.offset) })
        self.layerIndex = hits.map { index[$0.layer] ?? 0 }
    }

    /// (largest spread of `depth` within a layer) / (smallest gap between consecutive layer means).
    static func thickness(_ hits: [Hit], depth: (Hit) -> Double) -> Double {
        var range: [LayerID: (lo: Double, hi: Double, sum: Double, n: Int)] = [:]
        for h in hits {
            let d = depth(h)
            if let r = range[h.layer] {
                range[h.layer] = (min(r.lo, d), max(r.hi, d), r.sum + d, r.n + 1)
            } else {
                range[h.layer] = (d, d, d, 1)
            }
        }
        let means = range.values.map { $0.sum / Double($0.n) }.sorted()
        let spread = range.values.map { $0.hi - $0.lo }.max() ?? 0
        var gap = Double.infinity
        for k in 1..<max(1, means.count) { gap = min(gap, means[k] - means[k - 1]) }
        guard gap > 0 else { return .infinity }
        return spread / gap
    }
}

extension LayerLayout {
    /// The layers of a `LayerGraph` (a collider in a solenoid, reported as `.barrel`: kinks are
    /// measured against a helix from the beam line), each at its position (a cylinder's radius or
    /// a disk's z). Hits on layers the graph does not have get index −1.
    public init(hits: [Hit], graph: LayerGraph) {
        let index = graph.layerIndex
        self.geometry = .barrel
        self.layers = graph.layers.map(\.id)
        self.depths = graph.layers.map(\.position)
        self.layerIndex = hits.map { index[$0.layer] ?? -1 }
    }
}
