import EnergyCore
import Foundation

/// A readout module (sensor, or zone of a chamber) of a `SpectrometerStation`: a rectangle of the
/// station's plane, mm, whose strips end at its edges and are read out on their own. Two strips
/// of different modules never make a point, so strip-crossing ghosts arise only between particles
/// crossing the same module, and only where the two strips actually cross inside it.
public struct StationModule: Codable, Equatable, Sendable {
    /// The rectangle in the station's plane, mm.
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double

    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        self.xMin = xMin
        self.xMax = xMax
        self.yMin = yMin
        self.yMax = yMax
    }

    /// Whether (x, y) lies on the module (edges included).
    public func covers(x: Double, y: Double) -> Bool { x >= xMin && x <= xMax && y >= yMin && y <= yMax }

    /// The rectangle [`xMin`, `xMax`] × [`yMin`, `yMax`] cut into `columns` × `rows` equal modules,
    /// row by row from (`xMin`, `yMin`).
    public static func grid(xMin: Double, xMax: Double, yMin: Double, yMax: Double, columns: Int, rows: Int) -> [StationModule] {
        let columns = max(columns, 1), rows = max(rows, 1)
        let dx: Double = (xMax - xMin) / Double(columns), dy: Double = (yMax - yMin) / Double(rows)
        var modules: [StationModule] = []
        for r in 0..<rows {
            let y0: Double = yMin + Double(r) * dy
            for c in 0..<columns {
                let x0: Double = xMin + Double(c) * dx
                modules.append(StationModule(xMin: x0, xMax: x0 + dx, yMin: y0, yMax: y0 + dy))
            }
        }
        return modules
    }
}

/// One tracking station of a fixed-target spectrometer: a plane across the beam at depth `z`,
/// read out by two views of strips. The first view measures x (strips along y); the second is
/// turned by `stereoAngle` and measures u = x cos α + y sin α. A point is where a strip of each
/// view crosses: with n particles on a readout module (`modules`; the whole active area when there
/// are none), the n × n crossings of their strips that fall inside the module are all candidate
/// points, and up to n² − n of them are ghosts. A strip of a module of height h at stereo angle α
/// spans h tan α in x, so only particles that close in x can make a ghost together.
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
    /// The readout modules, disjoint rectangles inside the active area; a particle crossing the
    /// area outside every module (a gap between them) leaves no hit. Empty: one module, the whole area.
    public var modules: [StationModule]

    public init(id: LayerID, z: Double, xMin: Double, xMax: Double, yMin: Double, yMax: Double, stereoAngle: Double, sigma: Double,
                radiationLength: Double, modules: [StationModule] = []) {
        self.modules = modules
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

    /// The active area as a rectangle.
    public var area: StationModule { StationModule(xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax) }

    /// Whether (x, y) lies on the active area.
    public func covers(x: Double, y: Double) -> Bool { area.covers(x: x, y: y) }

    /// The index in `modules` of the module that (x, y) lies on (the first, on a shared edge); 0 when
    /// there are no modules and the point is on the area; nil when it is on none.
    public func module(x: Double, y: Double) -> Int? {
        guard covers(x: x, y: y) else { return nil }
        if modules.isEmpty { return 0 }
        return modules.firstIndex { $0.covers(x: x, y: y) }
    }

    /// The module `index` as a rectangle: `modules[index]`, or the whole area when there are none.
    public func moduleArea(_ index: Int) -> StationModule {
        modules.isEmpty ? area : modules[index]
    }
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
            for (j, m) in s.modules.enumerated() {
                guard m.xMin < m.xMax, m.yMin < m.yMax, m.xMin >= s.xMin, m.xMax <= s.xMax, m.yMin >= s.yMin, m.yMax <= s.yMax else {
                    throw ConfigurationError(field: field + ".modules.\(j)", "expected a non-empty rectangle inside the station's area")
                }
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
    /// pitch (σ = 0.25 mm), 0.5% X₀.
    ///
    /// Areas and readout modules, centred on the beam: silicon 120 × 120 mm² for the first two
    /// stations and 240 × 240 mm² for the third, read out as 60 × 60 mm² sensors (2 × 2 and 4 × 4;
    /// the sensor size is a round value near the 63 × 63 mm² double-sided sensors, not BM@N's
    /// module layout). GEMs are JINR's 1632 × 450 mm² chambers (A. Zinchenko, "GEM detector
    /// configuration", BM@N meeting, 14 Oct 2014: strips at 0° and 15°, 0.8 mm pitch; the chamber's
    /// strips are read out by a left and a right board, and a "hot" inner zone of 400 × 150 mm²
    /// around the beam has strips of its own): eight modules, the hot zone's two halves and the
    /// outer zone's three rectangles on each side. (Run 7's chambers sat above the beam line, from
    /// y ≈ −60 to 390 mm in JINR's simulated events; these are centred on it.)
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
            let sensors = Int(2 * half / 60)
            stations.append(SpectrometerStation(id: LayerID(volume: 1, layer: k + 1), z: z, xMin: -half, xMax: half, yMin: -half, yMax: half,
                                                stereoAngle: 2.5 * .pi / 180, sigma: 0.03, radiationLength: 0.003,
                                                modules: StationModule.grid(xMin: -half, xMax: half, yMin: -half, yMax: half, columns: sensors, rows: sensors)))
        }
        let (width, height, hotX, hotY) = (816.0, 225.0, 200.0, 75.0)
        var zones: [StationModule] = []
        for side in [-1.0, 1.0] {
            func rect(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> StationModule {
                StationModule(xMin: min(side * x0, side * x1), xMax: max(side * x0, side * x1), yMin: y0, yMax: y1)
            }
            zones += [rect(0, hotX, -hotY, hotY), rect(0, hotX, hotY, height), rect(0, hotX, -height, -hotY), rect(hotX, width, -height, height)]
        }
        for (k, z) in gems.enumerated() {
            stations.append(SpectrometerStation(id: LayerID(volume: 2, layer: k + 1), z: z, xMin: -width, xMax: width, yMin: -height, yMax: height,
                                                stereoAngle: 15 * .pi / 180, sigma: 0.25, radiationLength: 0.005, modules: zones))
        }
        return DipoleSpectrometer(name: "bmn", magnet: DipoleField(field: 0.6, zStart: 0, zEnd: 2000, minMomentum: 0.3, sigmaY: 1, findsTarget: true), targetZ: 0,
                                  stations: stations)
    }()
}
