import Foundation

/// A detector layer, identified as in TrackML by the pair (volume_id, layer_id).
///
/// Plain hit files with a single `layer` column use volume 0.
public struct LayerID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var volume: Int
    public var layer: Int

    public init(volume: Int, layer: Int) {
        self.volume = volume
        self.layer = layer
    }

    public static func < (a: LayerID, b: LayerID) -> Bool { (a.volume, a.layer) < (b.volume, b.layer) }
    public var description: String { volume == 0 ? "\(layer)" : "(\(volume),\(layer))" }
}

/// One measured space point of a charged particle crossing a detector layer.
///
/// Coordinates are in millimetres in the TrackML frame: z along the beam (or, for fixed-target
/// planar chambers, along the beam through the chambers), x and y transverse.
public struct Hit: Equatable, Sendable {
    /// The hit's identifier in its file (`hit_id`).
    public var id: Int
    public var x: Double
    public var y: Double
    public var z: Double
    /// The detector layer that recorded it.
    public var layer: LayerID
    /// The module within the layer (`module_id`), 0 when the file has none.
    public var module: Int

    public init(id: Int, x: Double, y: Double, z: Double, layer: LayerID, module: Int = 0) {
        self.id = id
        self.x = x
        self.y = y
        self.z = z
        self.layer = layer
        self.module = module
    }

    /// Transverse radius r = √(x² + y²).
    public var r: Double { (x * x + y * y).squareRoot() }
    /// Azimuth φ = atan2(y, x), in (−π, π].
    public var phi: Double { atan2(y, x) }
}

extension Hit {
    /// √(x² + y² + z²), mm.
    public var distanceFromOrigin: Double { (x * x + y * y + z * z).squareRoot() }

    /// The indices of hits grouped by a nonzero label (a track or particle id, one per hit; 0 is
    /// none), in increasing label order, each group's indices ascending.
    public static func groups(byLabel labels: [Int]) -> [(label: Int, members: [Int])] {
        var g: [Int: [Int]] = [:]
        for (i, l) in labels.enumerated() where l != 0 { g[l, default: []].append(i) }
        return g.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension Array where Element == Hit {
    /// `indices` in flight order: by distance from the origin, the order in which a particle from
    /// the interaction region or target crosses the layers.
    public func flightOrdered(_ indices: [Int]) -> [Int] {
        indices.sorted { self[$0].distanceFromOrigin < self[$1].distanceFromOrigin }
    }
}
