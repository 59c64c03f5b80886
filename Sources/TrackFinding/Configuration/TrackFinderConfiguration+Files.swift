import EnergyCore
import EnergyFormats
import Foundation

/// Configuration files: a whole `TrackFinderConfiguration` as a JSON document with
/// `"format": "energymodels.tracks-configuration"`, so that a detector's settings are written once
/// and reused (`resolve(presetOrFile:)` reads a file or a preset by name).
///
/// Every field may be left out: a missing field takes the default of `TrackFinderConfiguration()`
/// (and a missing field of a nested part, e.g. `cuts.minPT`, that part's default), so files written
/// before a field existed and short hand-written files decode. A field the configuration does not
/// know is refused by its path. `layerGraph` is either the layer map inline (as `write(to:)` writes
/// it) or a string: the path of a layer-map file (`LayerGraph.read`), relative to the configuration
/// file's folder.
extension TrackFinderConfiguration: DecodableOverDefaults {
    /// The document kind in the JSON file.
    public static let format = "energymodels.tracks-configuration"

    /// The decoder's `userInfo` key for the folder that a `layerGraph` path is relative to (a
    /// `String`; without it, the current directory).
    public static let baseFolderKey = CodingUserInfoKey(rawValue: "energymodels.baseFolder")!

    enum CodingKeys: String, CodingKey {
        case format, description, geometry, cuts, energy, solver, meanField, annealing, extraction, layerGraph, workers, secondPass, dipole
    }

    /// Decodes a document in which every field is optional (the defaults of `init()`).
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: TrackFinderConfiguration()) }

    /// Decodes the fields present in the document; the others are `defaults`'. A `format` field is
    /// accepted and not checked here (`read(_:)` checks it).
    public init(from decoder: any Decoder, over defaults: TrackFinderConfiguration) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decode(forKey: .description, over: defaults.description)
        geometry = try c.decode(forKey: .geometry, over: defaults.geometry)
        cuts = try c.decode(forKey: .cuts, over: defaults.cuts)
        energy = try c.decode(forKey: .energy, over: defaults.energy)
        solver = try c.decode(forKey: .solver, over: defaults.solver)
        meanField = try c.decode(forKey: .meanField, over: defaults.meanField)
        annealing = try c.decode(forKey: .annealing, over: defaults.annealing)
        extraction = try c.decode(forKey: .extraction, over: defaults.extraction)
        layerGraph = try Self.layerGraph(c, decoder: decoder, over: defaults.layerGraph)
        workers = try c.decode(forKey: .workers, over: defaults.workers)
        secondPass = try c.decode(forKey: .secondPass, over: defaults.secondPass, fresh: SecondPass())
        dipole = try c.decode(forKey: .dipole, over: defaults.dipole, fresh: DipoleField())
    }

    /// The layer graph of a document: missing → `defaultValue`, `null` → none, a string → the layer
    /// map file it names (relative to the base folder), an object → the map inline.
    private static func layerGraph(_ c: KeyedDecodingContainer<CodingKeys>, decoder: any Decoder, over defaultValue: LayerGraph?) throws -> LayerGraph? {
        guard c.contains(.layerGraph) else { return defaultValue }
        if try c.decodeNil(forKey: .layerGraph) { return nil }
        if let path = try? c.decode(String.self, forKey: .layerGraph) {
            let base = decoder.userInfo[baseFolderKey] as? String ?? FileManager.default.currentDirectoryPath
            return try LayerGraph.read(path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path))
        }
        return try c.decode(LayerGraph.self, forKey: .layerGraph)
    }

    /// Writes every field, `format` included, with the layer graph inline.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.format, forKey: .format)
        try c.encode(description, forKey: .description)
        try c.encode(geometry, forKey: .geometry)
        try c.encode(cuts, forKey: .cuts)
        try c.encode(energy, forKey: .energy)
        try c.encode(solver, forKey: .solver)
        try c.encode(meanField, forKey: .meanField)
        try c.encode(annealing, forKey: .annealing)
        try c.encode(extraction, forKey: .extraction)
        try c.encodeIfPresent(layerGraph, forKey: .layerGraph)
        try c.encode(workers, forKey: .workers)
        try c.encodeIfPresent(secondPass, forKey: .secondPass)
        try c.encodeIfPresent(dipole, forKey: .dipole)
    }

    /// Reads a configuration file written by `write(to:)` or by hand, and checks it.
    ///
    /// - Throws: `InputError` naming the file and the field when it is not JSON, is another kind of
    ///   document, has a field of the wrong type or an unknown field (`field 'cuts.minPt': unknown
    ///   field`), a layer map it names cannot be read, or a setting is unusable (`field 'cuts.minPT':
    ///   expected a positive number, found -1.0`, from `validate()`).
    public static func read(_ path: String) throws -> TrackFinderConfiguration {
        let folder = (path as NSString).deletingLastPathComponent
        let c = try JSONFile.read(TrackFinderConfiguration.self, from: path, format: format, what: "a track-finder configuration",
                                  userInfo: [baseFolderKey: folder.isEmpty ? "." : folder])
        do {
            try c.validate()
        } catch let error as ConfigurationError {
            throw InputError(file: path, "field '\(error.field)': \(error.message)")
        }
        return c
    }

    /// Writes the whole configuration as JSON (sorted keys, the layer graph inline), atomically.
    /// `read(_:)` gives back an equal configuration.
    public func write(to path: String) throws { try JSONFile.write(self, to: path) }
}
