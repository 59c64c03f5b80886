import EnergyCore

/// A second network on what is left after the confident tracks of the first are removed.
///
/// At high density the first network (with tight cuts: a small `EnergyParameters.maxAngle`, no
/// layer skips) settles the clean tracks well and leaves fragments where tracks cross or lose a
/// hit. Tracks of at least `minConfidentHits` hits are kept and their hits removed; the rest of
/// the hits get a fresh network with `skipLayers` and `maxAngle`, whose tracks join the kept
/// ones. With fewer hits and segments, the looser second network stays sharp (the iterative
/// approach of track finders at hadron colliders, e.g. the ATLAS and CMS iterative tracking,
/// applied to the Denby–Peterson network).
public struct SecondPass: Codable, Equatable, Sendable {
    /// Fewest hits of a first-pass track that is kept. Default 6.
    public var minConfidentHits: Int
    /// Whether the second network joins hits two layers apart. Default true.
    public var skipLayers: Bool
    /// The largest kink of the second network, rad. Default 0.015.
    public var maxAngle: Double
    /// How many networks run after the first, each on the hits the previous ones left. Every one
    /// but the last keeps only its tracks of at least `laterConfidentHits` hits; the last keeps all
    /// of its tracks. Default 1 (the second network only).
    public var networks: Int
    /// Fewest hits of a track that a later network other than the last keeps. Default 5.
    public var laterConfidentHits: Int
    /// Whether the tracks of all passes are finally joined where one continues another, and
    /// extended by free hits (`TrackFinder.joinedAcrossPasses`). Default false.
    public var joinAcrossPasses: Bool
    /// Whether the first network's tracks shorter than `minConfidentHits` are put back where the
    /// later networks split them (no later track holds more than half of their hits;
    /// `TrackFinder.restoringShortTracks`), before the passes are joined. Default false.
    public var restoresShortTracks: Bool

    public init(minConfidentHits: Int = 6, skipLayers: Bool = true, maxAngle: Double = 0.015, networks: Int = 1,
                laterConfidentHits: Int = 5, joinAcrossPasses: Bool = false, restoresShortTracks: Bool = false) {
        self.joinAcrossPasses = joinAcrossPasses
        self.restoresShortTracks = restoresShortTracks
        self.minConfidentHits = minConfidentHits
        self.skipLayers = skipLayers
        self.maxAngle = maxAngle
        self.networks = networks
        self.laterConfidentHits = laterConfidentHits
    }

    /// Throws unless the settings are usable.
    ///
    /// - Throws: `ConfigurationError` naming the field, `minConfidentHits`, `maxAngle`, `networks`
    ///   or `laterConfidentHits`.
    public func validate() throws {
        guard minConfidentHits >= 2, minConfidentHits <= 1000 else {
            throw ConfigurationError(field: "minConfidentHits", "expected 2 to 1000 hits, found \(minConfidentHits)")
        }
        guard networks >= 1, networks <= 10 else { throw ConfigurationError(field: "networks", "expected 1 to 10 networks, found \(networks)") }
        guard laterConfidentHits >= 2, laterConfidentHits <= 1000 else {
            throw ConfigurationError(field: "laterConfidentHits", "expected 2 to 1000 hits, found \(laterConfidentHits)")
        }
        guard maxAngle > 0, maxAngle <= .pi else { throw ConfigurationError(field: "maxAngle", "expected an angle in (0, π] rad, found \(maxAngle)") }
    }
}


extension SecondPass: DecodableOverDefaults {
    /// Decodes a document in which every field is optional: missing fields take the defaults of
    /// `init()` (old files and short hand-written ones decode); unknown fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: SecondPass()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: SecondPass) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minConfidentHits = try c.decode(forKey: .minConfidentHits, over: defaults.minConfidentHits)
        skipLayers = try c.decode(forKey: .skipLayers, over: defaults.skipLayers)
        maxAngle = try c.decode(forKey: .maxAngle, over: defaults.maxAngle)
        networks = try c.decode(forKey: .networks, over: defaults.networks)
        laterConfidentHits = try c.decode(forKey: .laterConfidentHits, over: defaults.laterConfidentHits)
        joinAcrossPasses = try c.decode(forKey: .joinAcrossPasses, over: defaults.joinAcrossPasses)
        restoresShortTracks = try c.decode(forKey: .restoresShortTracks, over: defaults.restoresShortTracks)
    }
}
