import Foundation

/// A directed segment joining two hits on different layers: one neuron of the Denby–Peterson
/// network (Denby 1988; Peterson 1989).
///
/// Segments point in flight order, from the inner (or upstream) layer to the outer one.
public struct Segment: Equatable, Sendable {
    /// Index (into the event's hits) of the hit the segment leaves.
    public var from: Int32
    /// Index of the hit the segment reaches.
    public var to: Int32
    /// Length |r_to − r_from| in mm.
    public var length: Double
    /// Unit direction from `from` to `to`.
    public var dx: Double, dy: Double, dz: Double
    /// The position, in flight order, of the layer of `from`.
    public var fromLayer: Int
    /// How many layers the segment crosses: 1 for neighbouring layers, 2 when it skips one.
    public var layerStep: Int
    /// The position, in the same numbering as `fromLayer`, of the layer of `to`: `fromLayer +
    /// layerStep` in a layer order; the graph's layer index along a `LayerGraph`.
    public var toLayer: Int
    /// Signed curvature (1/mm) of the circle through the beam line (x = y = 0) and both hits: the
    /// transverse curvature of a primary track that made them.
    public var curvature: Double
    /// Transverse chord length √(Δx² + Δy²), mm.
    public var transverseLength: Double
    /// Direction in the r–z plane, atan2(Δr, Δz).
    public var rzAngle: Double
    /// The error of `rzAngle` from the hits' resolution along their layers, √(σ_a² + σ_b²)/length
    /// (rad); 0 when the resolutions are not known.
    public var rzError: Double = 0

    /// The segment from `a` (index `i`, on layer `fromLayer` in flight order) to `b` (index `j`,
    /// `layerStep` layers further, on layer `toLayer`, by default `fromLayer + layerStep`).
    public init(from i: Int, to j: Int, _ a: Hit, _ b: Hit, fromLayer: Int, layerStep: Int, toLayer: Int? = nil) {
        self.init(from: i, to: j, ax: a.x, ay: a.y, az: a.z, bx: b.x, by: b.y, bz: b.z, fromLayer: fromLayer, layerStep: layerStep,
                  toLayer: toLayer)
    }

    /// The segment from the hit at (a_x, a_y, a_z) to the one at (b_x, b_y, b_z) (see
    /// `init(from:to:_:_:fromLayer:layerStep:toLayer:)`).
    @inline(__always)
    init(from i: Int, to j: Int, ax: Double, ay: Double, az: Double, bx: Double, by: Double, bz: Double,
         fromLayer: Int, layerStep: Int, toLayer: Int? = nil) {
        self.fromLayer = fromLayer
        self.toLayer = toLayer ?? fromLayer + layerStep
        from = Int32(i)
        to = Int32(j)
        let x = bx - ax, y = by - ay, z = bz - az
        length = (x * x + y * y + z * z).squareRoot()
        let inv = length > 0 ? 1 / length : 0
        dx = x * inv
        dy = y * inv
        dz = z * inv
        self.layerStep = layerStep
        transverseLength = (x * x + y * y).squareRoot()
        let ra = (ax * ax + ay * ay).squareRoot(), rb = (bx * bx + by * by).squareRoot()
        let denominator = ra * rb * transverseLength
        curvature = denominator > 0 ? 2 * (ax * by - ay * bx) / denominator : 0
        rzAngle = atan2(rb - ra, z)
    }

    /// cos θ between this segment and `next`, θ being the angle the track turns at the shared hit.
    @inlinable public func cosine(with next: Segment) -> Double {
        dx * next.dx + dy * next.dy + dz * next.dz
    }

    /// The kink θ (rad) at the shared hit after removing the bending a primary helix would have
    /// in a solenoid: the transverse part is the change of curvature between the two segments'
    /// circles through the beam line, as an angle over the two chords, θ_xy = (κ_b − κ_a)(c_a + c_b)/2,
    /// and the longitudinal part the kink in the r–z plane, θ_rz; θ² = (θ_xy sin ϑ)² + θ_rz², with ϑ the
    /// polar angle. A helix from the beam line has θ = 0 whatever its p_T; scattering and resolution
    /// make it small.
    ///
    /// With `rzResolution` > 0, θ_rz is scaled by min(1, rzResolution / √(e_a² + e_b²)), e being
    /// each segment's `rzError`: where hits are measured coarsely along the layer (strips: σ = 0.5 mm
    /// against 0.05 mm for pixels) the r–z kink of a true track is mostly resolution, and it is
    /// weighed as a pull against the pixels' error instead of as an angle.
    @inlinable public func helixKink(with next: Segment, rzResolution: Double = 0) -> Double {
        var rz = next.rzAngle - rzAngle
        if rzResolution > 0 {
            let e = (rzError * rzError + next.rzError * next.rzError).squareRoot()
            if e > rzResolution { rz *= rzResolution / e }
        }
        let xy = (next.curvature - curvature) * 0.5 * (transverseLength + next.transverseLength)
        let sinPolar = (transverseLength + next.transverseLength) / max(length + next.length, 1e-12)
        return ((xy * sinPolar) * (xy * sinPolar) + rz * rz).squareRoot()
    }
}
