import EnergyCore
import Foundation

/// One tracking station of a fixed-target spectrometer: a plane across the beam at depth `z`,
/// read out by two views of strips. The first view measures x (strips along y); the second is
/// turned by `stereoAngle` and measures u = x cos α + y sin α. A point is where a strip of each
/// view crosses: with n particles on a station, the n × n strip crossings that fall inside the
/// active area are all candidate points, and up to n² − n of them are ghosts.
public struct SpectrometerStation: Codable, Equatable, Sendable {
    /// The station's identity in hit files.
    public var id: LayerID
    /// Depth along the beam, mm.
    public var z: Double
    /// The active area, mm.
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double
    /// The angle α between the two strip views, rad.
    public var stereoAngle: Double
    /// Each view's resolution across its strips, mm (strip pitch / √12 for binary readout).
    public var sigma: Double
    /// The material a particle crosses at normal incidence, x/X₀.
    public var radiationLength: Double

    public init(id: LayerID, z: Double, xMin: Double, xMax: Double, yMin: Double, yMax: Double, stereoAngle: Double, sigma: Double,
                radiationLength: Double) {
        self.id = id
        self.z = z
        self.xMin = xMin
        self.xMax = xMax
        self.yMin = yMin
        self.yMax = yMax
        self.stereoAngle = stereoAngle
        self.sigma = sigma
        self.radiationLength = radiationLength
    }

    /// Whether (x, y) lies on the active area.
    public func covers(x: Double, y: Double) -> Bool { x >= xMin && x <= xMax && y >= yMin && y <= yMax }
}

/// A fixed-target spectrometer: a target at z = `targetZ`, an analysing magnet (`DipoleField`)
/// and planar strip stations, in mm. What `EventGenerator`'s `bmn` detector simulates.
public struct DipoleSpectrometer: Codable, Equatable, Sendable {
    /// A short name, e.g. `bmn`.
    public var name: String
    /// The magnet.
    public var magnet: DipoleField
    /// The target's depth, mm.
    public var targetZ: Double
    /// The stations, upstream first.
    public var stations: [SpectrometerStation]

    public init(name: String, magnet: DipoleField, targetZ: Double, stations: [SpectrometerStation]) {
        self.name = name
        self.magnet = magnet
        self.targetZ = targetZ
        self.stations = stations
    }

    /// Throws unless the description is usable: a valid magnet, at least two stations, unique
    /// ids, stations downstream of the target in increasing z, non-empty areas, stereo angles in
    /// (0, π/2], resolutions and material ≥ 0.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `stations.2.stereoAngle`.
    public func validate() throws {
        try ConfigurationError.nesting("magnet") { try magnet.validate() }
        guard targetZ.isFinite, abs(targetZ) <= 100_000 else { throw ConfigurationError(field: "targetZ", "expected a depth within 100 m, found \(targetZ)") }
        guard stations.count >= 2 else { throw ConfigurationError(field: "stations", "expected at least two stations, found \(stations.count)") }
        var seen = Set<LayerID>(), previous = targetZ
        for (k, s) in stations.enumerated() {
            let field = "stations.\(k)"
            guard seen.insert(s.id).inserted else { throw ConfigurationError(field: field + ".id", "station \(s.id) appears twice") }
            guard s.z.isFinite, s.z > previous, s.z <= 100_000 else {
                throw ConfigurationError(field: field + ".z", "expected a depth beyond \(previous) mm (the target or the previous station), found \(s.z)")
            }
            previous = s.z
            guard s.xMin < s.xMax, s.yMin < s.yMax, [s.xMin, s.xMax, s.yMin, s.yMax].allSatisfy({ $0.isFinite && abs($0) <= 100_000 }) else {
                throw ConfigurationError(field: field + ".xMax", "expected a non-empty area within 100 m")
            }
            guard s.stereoAngle > 0, s.stereoAngle <= .pi / 2 else {
                throw ConfigurationError(field: field + ".stereoAngle", "expected an angle in (0, π/2] rad, found \(s.stereoAngle)")
            }
            for (name, value) in [("sigma", s.sigma), ("radiationLength", s.radiationLength)] where !(value >= 0 && value <= 1000) {
                throw ConfigurationError(field: field + "." + name, "expected a number from 0 to 1000, found \(value)")
            }
        }
    }
}

extension DipoleSpectrometer {
    /// A BM@N-like spectrometer (Baryonic Matter at Nuclotron, JINR; Kapishin, Eur. Phys. J. A 52
    /// (2016) 213; the BM@N collaboration, "The BM@N spectrometer at the NICA accelerator complex",
    /// arXiv:2312.17573): three forward silicon stations and six GEM stations inside the analysing
    /// magnet, as in the 2018 argon run (run 7). The stations' z are those of BM@N's run-7
    /// simulation geometry (rounded to mm; the silicon modules' staggering in z is left out):
    /// silicon at 124, 153, 245 mm, GEMs at 399, 653, 1134, 1355, 1614, 1838 mm. Silicon strips
    /// at 0° and 2.5° stereo, 95 µm pitch (σ = 0.03 mm), 0.3% X₀; GEM strips at 0° and 15°, 0.8 mm
    /// pitch (σ = 0.25 mm), 0.5% X₀. Active areas are round values: silicon 120 × 120 mm² for the
    /// first two stations and 240 × 240 mm² for the third, GEMs 1600 × 450 mm², centred on the beam.
    /// The field is an idealisation, not the SP-41 field map: a uniform 0.6 T along y (the magnet
    /// reaches 1.2 T; run 7 ran below that) from z = 0 to 2000 mm, so every station is inside it.
    /// The magnet's `sigmaY` is 1 mm, the y resolution of both kinds of station (σ √(1 + cos²α) / sin α),
    /// and it finds each event's beam spot (`findsTarget`), starting from (0, 0).
    /// Layer ids: silicon volume 1, GEM volume 2, stations numbered from 1 (as the BM@N event
    /// reader numbers `detector` + 1 and `station` + 1).
    public static let bmnLike: DipoleSpectrometer = {
        let silicon: [(Double, Double)] = [(124, 60), (153, 60), (245, 120)]
        let gems: [Double] = [399, 653, 1134, 1355, 1614, 1838]
        var stations: [SpectrometerStation] = []
        for (k, (z, half)) in silicon.enumerated() {
            stations.append(SpectrometerStation(id: LayerID(volume: 1, layer: k + 1), z: z, xMin: -half, xMax: half, yMin: -half, yMax: half,
                                                stereoAngle: 2.5 * .pi / 180, sigma: 0.03, radiationLength: 0.003))
        }
        for (k, z) in gems.enumerated() {
            stations.append(SpectrometerStation(id: LayerID(volume: 2, layer: k + 1), z: z, xMin: -800, xMax: 800, yMin: -225, yMax: 225,
                                                stereoAngle: 15 * .pi / 180, sigma: 0.25, radiationLength: 0.005))
        }
        return DipoleSpectrometer(name: "bmn", magnet: DipoleField(field: 0.6, zStart: 0, zEnd: 2000, minMomentum: 0.3, sigmaY: 1, findsTarget: true), targetZ: 0,
                                  stations: stations)
    }()
}
