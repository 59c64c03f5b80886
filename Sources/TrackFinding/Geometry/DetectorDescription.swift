import EnergyCore
import EnergyFormats
import Foundation

/// One sensitive layer of a collider detector: a cylinder around the beam (barrel) or a disk across
/// it (endcap), in the TrackML frame (mm, z along the beam).
public struct DetectorLayer: Codable, Equatable, Sendable {
    /// The surface a layer's sensors lie on.
    public enum Shape: String, Codable, CaseIterable, Sendable {
        /// A cylinder of radius `position` around the beam, from z = `lower` to `upper`.
        case cylinder
        /// A disk across the beam at z = `position`, from r = `lower` to `upper`.
        case disk
    }

    /// The layer's identity in hit files, (volume_id, layer_id).
    public var id: LayerID
    /// Cylinder or disk.
    public var shape: Shape
    /// A cylinder's radius, or a disk's z, mm.
    public var position: Double
    /// A cylinder's z range, or a disk's r range, mm.
    public var lower: Double, upper: Double
    /// The hit resolution across the layer's long coordinate (r φ), mm.
    public var sigmaRPhi: Double
    /// The hit resolution along the other coordinate (z on a cylinder, r on a disk), mm.
    public var sigmaAlong: Double
    /// The material a particle crosses at normal incidence, in radiation lengths x/X₀.
    public var radiationLength: Double

    public init(id: LayerID, shape: Shape, position: Double, lower: Double, upper: Double,
                sigmaRPhi: Double, sigmaAlong: Double, radiationLength: Double) {
        self.id = id
        self.shape = shape
        self.position = position
        self.lower = lower
        self.upper = upper
        self.sigmaRPhi = sigmaRPhi
        self.sigmaAlong = sigmaAlong
        self.radiationLength = radiationLength
    }

    /// Whether the point (r, z) lies on the layer's sensitive area (ignoring its thickness).
    public func covers(r: Double, z: Double) -> Bool {
        switch shape {
        case .cylinder: return z >= lower && z <= upper
        case .disk: return r >= lower && r <= upper
        }
    }
}

/// A collider detector as a set of layers in a solenoid field along z: what a simulation needs to
/// make hits, and what a layer graph is propagated through (the role of ACTS's tracking geometry,
/// reduced to cylinders and disks).
///
/// Stored as a JSON document with `"format": "energymodels.detector"`.
public struct DetectorDescription: Codable, Equatable, Sendable {
    /// The document kind in the JSON file.
    public static let format = "energymodels.detector"

    /// Always `format`.
    public var format: String
    /// A short name, e.g. `trackml-full`.
    public var name: String
    /// The solenoid field along z, tesla.
    public var magneticField: Double
    /// The layers, in any order.
    public var layers: [DetectorLayer]

    public init(name: String, magneticField: Double, layers: [DetectorLayer]) {
        self.format = Self.format
        self.name = name
        self.magneticField = magneticField
        self.layers = layers
    }

    /// The layer with identity `id`, if the detector has one.
    public func layer(_ id: LayerID) -> DetectorLayer? { layers.first { $0.id == id } }

    /// Throws unless the description is usable: at least one layer, unique ids, finite positive
    /// sizes and resolutions, lower < upper.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `layers.3.upper`.
    public func validate() throws {
        guard magneticField >= 0, magneticField.isFinite else {
            throw ConfigurationError(field: "magneticField", "expected a field ≥ 0 T, found \(magneticField)")
        }
        guard !layers.isEmpty else { throw ConfigurationError(field: "layers", "expected at least one layer") }
        var seen = Set<LayerID>()
        for (k, l) in layers.enumerated() {
            let field = "layers.\(k)"
            guard seen.insert(l.id).inserted else { throw ConfigurationError(field: field + ".id", "layer \(l.id) appears twice") }
            guard l.position.isFinite, abs(l.position) <= 100_000 else {
                throw ConfigurationError(field: field + ".position", "expected a position within 100 m, found \(l.position)")
            }
            if l.shape == .cylinder, !(l.position > 0) {
                throw ConfigurationError(field: field + ".position", "expected a cylinder radius > 0 mm, found \(l.position)")
            }
            guard l.lower.isFinite, l.upper.isFinite, l.lower < l.upper, abs(l.lower) <= 100_000, abs(l.upper) <= 100_000 else {
                throw ConfigurationError(field: field + ".upper", "expected lower < upper within 100 m, found \(l.lower) … \(l.upper)")
            }
            if l.shape == .disk, l.lower < 0 {
                throw ConfigurationError(field: field + ".lower", "expected a disk's inner radius ≥ 0 mm, found \(l.lower)")
            }
            for (name, value) in [("sigmaRPhi", l.sigmaRPhi), ("sigmaAlong", l.sigmaAlong), ("radiationLength", l.radiationLength)]
            where !(value >= 0 && value.isFinite) {
                throw ConfigurationError(field: field + "." + name, "expected a number ≥ 0, found \(value)")
            }
        }
    }

    /// Reads a description written by `write(to:)` (or by hand).
    ///
    /// - Throws: `InputError` naming the file and the field when it is not a usable description.
    public static func read(_ path: String) throws -> DetectorDescription {
        let d = try JSONFile.read(DetectorDescription.self, from: path, format: format, what: "a detector description")
        do {
            try d.validate()
        } catch let error as ConfigurationError {
            throw InputError(file: path, "field '\(error.field)': \(error.message)")
        }
        return d
    }

    /// Writes the description as JSON, atomically.
    public func write(to path: String) throws { try JSONFile.write(self, to: path) }
}

extension DetectorDescription {
    /// The barrel of the TrackML detector (Amrouche et al. 2019, the TrackML challenge's detector,
    /// rounded): pixel cylinders at r = 32, 72, 116, 172 mm (volume 8, |z| ≤ 455 mm, σ = 0.05 mm),
    /// short strips at r = 260, 360, 500, 660 mm (volume 13) and long strips at r = 820, 1020 mm
    /// (volume 17), |z| ≤ 1030 mm, σ_rφ = 0.1 mm, σ_z = 0.5 mm; 2% of a radiation length per layer;
    /// a 2 T solenoid. These are the layers `EventGenerator`'s `barrel` detector has always used.
    public static let trackMLBarrel = DetectorDescription(name: "trackml-barrel", magneticField: 2, layers: barrelLayers)

    /// The whole TrackML-like detector: `trackMLBarrel` plus endcap disks on both sides, with
    /// TrackML's volume ids (negative z / positive z):
    ///
    /// - pixel disks (7/9) at |z| = 600, 700, 820, 960, 1100, 1300, 1500 mm, r 30–175 mm, σ = 0.05 mm;
    /// - short-strip disks (12/14) at |z| = 1220, 1500, 1800, 2150, 2550, 2950 mm, r 230–700 mm;
    /// - long-strip disks (16/18) at the same z, r 720–1020 mm; strips have σ_rφ = 0.1 mm, σ_r = 0.5 mm.
    ///
    /// Layer ids are 2, 4, 6, … in increasing z within each volume, as in TrackML: on the negative
    /// side layer 2 is the outermost disk.
    public static let trackMLFull: DetectorDescription = {
        var layers = barrelLayers
        func disks(negative: Int, positive: Int, z: [Double], r: (Double, Double), sigma: (Double, Double)) {
            let positions = z.map { -$0 }.reversed() + z
            let volumes = Array(repeating: negative, count: z.count) + Array(repeating: positive, count: z.count)
            for (k, (position, volume)) in zip(positions, volumes).enumerated() {
                let index = volume == negative ? k : k - z.count
                layers.append(DetectorLayer(id: LayerID(volume: volume, layer: 2 * (index + 1)), shape: .disk, position: position,
                                            lower: r.0, upper: r.1, sigmaRPhi: sigma.0, sigmaAlong: sigma.1, radiationLength: 0.02))
            }
        }
        disks(negative: 7, positive: 9, z: [600, 700, 820, 960, 1100, 1300, 1500], r: (30, 175), sigma: (0.05, 0.05))
        let strips: [Double] = [1220, 1500, 1800, 2150, 2550, 2950]
        disks(negative: 12, positive: 14, z: strips, r: (230, 700), sigma: (0.1, 0.5))
        disks(negative: 16, positive: 18, z: strips, r: (720, 1020), sigma: (0.1, 0.5))
        return DetectorDescription(name: "trackml-full", magneticField: 2, layers: layers)
    }()

    private static let barrelLayers: [DetectorLayer] = {
        let pixels: [Double] = [32, 72, 116, 172], short: [Double] = [260, 360, 500, 660], long: [Double] = [820, 1020]
        func cylinders(_ volume: Int, _ radii: [Double], halfLength: Double, sigma: (Double, Double)) -> [DetectorLayer] {
            radii.enumerated().map { k, r in
                DetectorLayer(id: LayerID(volume: volume, layer: 2 * (k + 1)), shape: .cylinder, position: r, lower: -halfLength,
                              upper: halfLength, sigmaRPhi: sigma.0, sigmaAlong: sigma.1, radiationLength: 0.02)
            }
        }
        return cylinders(8, pixels, halfLength: 455, sigma: (0.05, 0.05)) + cylinders(13, short, halfLength: 1030, sigma: (0.1, 0.5))
            + cylinders(17, long, halfLength: 1030, sigma: (0.1, 0.5))
    }()
}
