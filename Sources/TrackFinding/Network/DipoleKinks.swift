import Foundation

/// The kinks of a network in a dipole field: `DipoleField.kink` on the hits of two chained
/// segments, the bend of a track from the target removed (the dipole counterpart of
/// `Segment.helixKink`, which needs only the segments because a solenoid's tracks all start on
/// the beam line).
public struct DipoleKinks: Sendable {
    /// The magnet.
    public let field: DipoleField
    /// The target's depth, mm (`SegmentCuts.targetZ`).
    public let targetZ: Double
    /// The reference error of the y kink (`DipoleField.kink`'s `yResolution`), rad.
    public let yResolution: Double
    let x: [Double], y: [Double], z: [Double]

    /// The kinks of segments on `hits` in `field`, the target at depth `targetZ`.
    public init(field: DipoleField, targetZ: Double, hits: [Hit], yResolution: Double = 0) {
        self.yResolution = yResolution
        self.field = field
        self.targetZ = targetZ
        x = hits.map(\.x)
        y = hits.map(\.y)
        z = hits.map(\.z)
    }

    /// The kink θ (rad) from `a` into `b` (`b.from == a.to`), after removing the bend.
    public func kink(_ a: Segment, _ b: Segment) -> Double {
        let i = Int(a.from), j = Int(a.to), k = Int(b.to)
        return field.kink((x[i], y[i], z[i]), (x[j], y[j], z[j]), (x[k], y[k], z[k]), targetZ: targetZ, yResolution: yResolution)
    }
}
