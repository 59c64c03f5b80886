import EnergyCore
import Foundation

/// A setting of `TrackFinderConfiguration` that `TrackFinderTuner` fits, with its bounds.
///
/// `field` is the setting's path, as `ConfigurationError` names it (`cuts.minPT`, `energy.maxAngle`);
/// `tunableFields` lists those a tuner can change: the real-valued cuts, energy constants and
/// extraction threshold. The search runs in [`lower`, `upper`], on a logarithmic scale when
/// `logScale` (for scales such as p_T, angles and exponents, whose sensible values span decades).
public struct TunedParameter: Equatable, Sendable, CustomStringConvertible {
    /// The setting's path, e.g. `cuts.minPT`.
    public var field: String
    /// The bounds of the search, lower < upper.
    public var lower: Double
    public var upper: Double
    /// Whether the search steps in log(value) (needs lower > 0).
    public var logScale: Bool

    /// A parameter with the bounds given.
    public init(field: String, lower: Double, upper: Double, logScale: Bool) {
        self.field = field
        self.lower = lower
        self.upper = upper
        self.logScale = logScale
    }

    /// The parameter `field` with its default bounds and scale (`tunableFields`), or nil for a field
    /// that cannot be tuned.
    public init?(field: String) {
        guard let d = Self.defaults[field] else { return nil }
        self.init(field: field, lower: d.lower, upper: d.upper, logScale: d.log)
    }

    public var description: String { "\(field) in [\(lower), \(upper)]\(logScale ? " (log scale)" : "")" }

    /// A parameter from its text form `field=lower:upper`, e.g. `cuts.minPT=0.1:2`, optionally
    /// prefixed `log:` or `linear:` to choose the scale; without a prefix the field's default scale
    /// (log only when lower > 0).
    ///
    /// - Throws: `ConfigurationError` naming `bounds` for text of another form or a field that
    ///   cannot be tuned.
    public init(bounds text: String) throws {
        var spec = Substring(text), scale: Bool?
        for (prefix, log) in [("log:", true), ("linear:", false)] where spec.hasPrefix(prefix) {
            spec = spec.dropFirst(prefix.count)
            scale = log
        }
        let parts = spec.split(separator: "=", maxSplits: 1)
        let range = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false) : []
        guard parts.count == 2, range.count == 2, let lower = Double(range[0]), let upper = Double(range[1]) else {
            throw ConfigurationError(field: "bounds", "expected field=lower:upper, e.g. cuts.minPT=0.1:2, found '\(text)'")
        }
        let field = String(parts[0])
        guard let known = TunedParameter(field: field) else {
            throw ConfigurationError(field: "bounds", "cannot tune '\(field)'; the tunable settings are " + Self.tunableFields.joined(separator: ", "))
        }
        self.init(field: field, lower: lower, upper: upper, logScale: scale ?? (known.logScale && lower > 0))
    }

    /// The parameters to tune: the settings `fields` names (nil: `defaults`), each with its default
    /// bounds unless `bounds` gives others; without `fields`, `bounds` may also add a setting.
    ///
    /// - Throws: `ConfigurationError` naming `fields` for a setting that cannot be tuned, or
    ///   `bounds` for bounds of a setting that `fields` does not name.
    public static func selection(fields: [String]?, bounds: [TunedParameter], defaults: [TunedParameter]) throws -> [TunedParameter] {
        var parameters = defaults
        if let fields {
            parameters = try fields.map { field in
                guard let p = TunedParameter(field: field) else {
                    throw ConfigurationError(field: "fields", "cannot tune '\(field)'; the tunable settings are " + tunableFields.joined(separator: ", "))
                }
                return p
            }
        }
        for p in bounds {
            if let i = parameters.firstIndex(where: { $0.field == p.field }) {
                parameters[i] = p
            } else if fields == nil {
                parameters.append(p)
            } else {
                throw ConfigurationError(field: "bounds", "'\(p.field)' is not among the settings tuned")
            }
        }
        return parameters
    }

    /// The fields a tuner can change, with their default bounds: wide enough to hold every preset's
    /// value and the values measured best in docs/tracks.md, narrow enough that no cut lets the
    /// candidate segments grow without limit.
    public static var tunableFields: [String] { Self.defaults.keys.sorted() }

    /// The parameters tuned when none are given: the barrel cuts (p_T window, z₀) or the forward cuts
    /// (slope, target radius) for the event's geometry, then the kink cut, the angle exponent, the
    /// fork/join penalty and the extraction threshold; and the second pass's kink cut when there is one.
    public static func defaultParameters(geometry: DetectorGeometry, secondPass: Bool) -> [TunedParameter] {
        let cuts = geometry == .forward ? ["cuts.maxSlope", "cuts.targetRadius"] : ["cuts.minPT", "cuts.maxZ0"]
        let rest = ["energy.maxAngle", "energy.angleExponent", "energy.alpha", "extraction.threshold"]
        return (cuts + rest + (secondPass ? ["secondPass.maxAngle"] : [])).compactMap { TunedParameter(field: $0) }
    }

    /// Throws unless the bounds are usable and the field can be tuned in `configuration`.
    ///
    /// - Throws: `ConfigurationError` for the field `field` (an unknown field, or a second-pass field
    ///   without a second pass) or `bounds` (not finite, not increasing, a log scale with lower ≤ 0,
    ///   or a bound the configuration refuses, with its reason).
    public func validate(in configuration: TrackFinderConfiguration) throws {
        guard Self.accessors[field] != nil else {
            throw ConfigurationError(field: "field", "cannot tune '\(field)'; the tunable fields are "
                                     + Self.tunableFields.joined(separator: ", "))
        }
        guard value(in: configuration) != nil else {
            throw ConfigurationError(field: "field", "cannot tune '\(field)': the configuration has no second pass")
        }
        guard lower.isFinite, upper.isFinite, lower < upper else {
            throw ConfigurationError(field: "bounds", "expected bounds lower < upper for \(field), found [\(lower), \(upper)]")
        }
        if logScale, !(lower > 0) {
            throw ConfigurationError(field: "bounds", "a log-scale search of \(field) needs a positive lower bound, found \(lower)")
        }
        for bound in [lower, upper] {
            var c = configuration
            set(bound, in: &c)
            do {
                try c.validate()
            } catch let error as ConfigurationError {
                throw ConfigurationError(field: "bounds", "\(field) = \(bound) is refused: \(error.message)")
            }
        }
    }

    /// The field's value in `configuration`, or nil when it has none (a second-pass field without a
    /// second pass, or an unknown field).
    public func value(in configuration: TrackFinderConfiguration) -> Double? { Self.accessors[field]?.get(configuration) }

    /// Sets the field to `value` in `configuration` (nothing for a field it does not have).
    public func set(_ value: Double, in configuration: inout TrackFinderConfiguration) { Self.accessors[field]?.set(&configuration, value) }

    /// The position of `value` in the bounds, from 0 (lower) to 1 (upper), on the parameter's scale;
    /// values outside are clamped.
    func normalised(_ value: Double) -> Double {
        let v = min(max(value, lower), upper)
        let t = logScale ? (Foundation.log(v) - Foundation.log(lower)) / (Foundation.log(upper) - Foundation.log(lower))
                         : (v - lower) / (upper - lower)
        return min(max(t, 0), 1)
    }

    /// The value at position `t` ∈ [0, 1] of the bounds (the inverse of `normalised`).
    func value(atNormalised t: Double) -> Double {
        let t = min(max(t, 0), 1)
        let v = logScale ? Foundation.exp(Foundation.log(lower) + t * (Foundation.log(upper) - Foundation.log(lower)))
                         : lower + t * (upper - lower)
        return min(max(v, lower), upper)
    }

    private struct Accessor: Sendable {
        let get: @Sendable (TrackFinderConfiguration) -> Double?
        let set: @Sendable (inout TrackFinderConfiguration, Double) -> Void
    }

    private static func field(_ path: WritableKeyPath<TrackFinderConfiguration, Double> & Sendable) -> Accessor {
        Accessor(get: { $0[keyPath: path] }, set: { $0[keyPath: path] = $1 })
    }

    private static let accessors: [String: Accessor] = [
        "cuts.minPT": field(\.cuts.minPT),
        "cuts.maxZ0": field(\.cuts.maxZ0),
        "cuts.maxSlope": field(\.cuts.maxSlope),
        "cuts.targetRadius": field(\.cuts.targetRadius),
        "cuts.maxLength": field(\.cuts.maxLength),
        "energy.maxAngle": field(\.energy.maxAngle),
        "energy.angleExponent": field(\.energy.angleExponent),
        "energy.lengthExponent": field(\.energy.lengthExponent),
        "energy.alpha": field(\.energy.alpha),
        "energy.beta": field(\.energy.beta),
        "energy.rzResolution": field(\.energy.rzResolution),
        "energy.stripPenalty": field(\.energy.stripPenalty),
        "extraction.threshold": field(\.extraction.threshold),
        "secondPass.maxAngle": Accessor(get: { $0.secondPass?.maxAngle }, set: { $0.secondPass?.maxAngle = $1 }),
    ]

    /// Default bounds and scale of each tunable field.
    private static let defaults: [String: (lower: Double, upper: Double, log: Bool)] = [
        "cuts.minPT": (0.05, 5, true),
        "cuts.maxZ0": (5, 1000, true),
        "cuts.maxSlope": (0.02, 3, true),
        "cuts.targetRadius": (0.5, 1000, true),
        "cuts.maxLength": (10, 5000, true),
        "energy.maxAngle": (0.0005, 0.5, true),
        "energy.angleExponent": (1, 500, true),
        "energy.lengthExponent": (0, 4, false),
        "energy.alpha": (0, 5, false),
        "energy.beta": (0, 2, false),
        "energy.rzResolution": (0, 0.1, false),
        "energy.stripPenalty": (0, 2, false),
        "extraction.threshold": (0.05, 0.95, false),
        "secondPass.maxAngle": (0.0005, 0.5, true),
    ]
}
