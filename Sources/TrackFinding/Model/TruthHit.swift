/// The truth of one hit, as in a TrackML `truth` file (Amrouche et al. 2019): the particle that
/// made it (0 for noise), its true position and momentum, and its weight in the TrackML score.
public struct TruthHit: Equatable, Sendable {
    public var hitID: Int
    /// The particle that made the hit; 0 marks a noise hit.
    public var particleID: Int
    /// True position (mm) and momentum (GeV) at the hit.
    public var tx: Double, ty: Double, tz: Double
    public var tpx: Double, tpy: Double, tpz: Double
    /// The hit's weight in the TrackML score.
    public var weight: Double

    public init(hitID: Int, particleID: Int, tx: Double = 0, ty: Double = 0, tz: Double = 0,
                tpx: Double = 0, tpy: Double = 0, tpz: Double = 0, weight: Double) {
        self.hitID = hitID
        self.particleID = particleID
        self.tx = tx; self.ty = ty; self.tz = tz
        self.tpx = tpx; self.tpy = tpy; self.tpz = tpz
        self.weight = weight
    }
}
