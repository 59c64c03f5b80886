import EnergyCore

/// How `TrackFinderTuner` searches: which settings, within what bounds, for how long.
public struct TuningConfiguration: Equatable, Sendable {
    /// The settings to fit, exactly. Empty (the default): the selection `fields` and `bounds` make
    /// from `TunedParameter.defaultParameters` for the geometry of the first training event.
    public var parameters: [TunedParameter]
    /// With `parameters` empty, the settings to fit by name (nil: the defaults for the events'
    /// geometry); see `TunedParameter.selection(fields:bounds:defaults:)`.
    public var fields: [String]?
    /// With `parameters` empty, bounds that replace the default bounds of a selected setting (or,
    /// without `fields`, add a setting to the defaults).
    public var bounds: [TunedParameter]
    /// Wall-clock seconds the search may take; checked before every evaluation, so a run ends at
    /// most one evaluation (one pass over the training events) after it. Default 60.
    public var timeBudget: Double
    /// Most evaluations of a configuration on the training events. Default 400.
    public var maxEvaluations: Int
    /// Early stop: a Nelder–Mead run ends after this many evaluations (or revisits of a point) in a
    /// row without raising the best mean training score by at least `minImprovement`; the search
    /// then restarts while `restarts` remain. Default 60.
    public var patience: Int
    /// The smallest rise of the best score that counts as an improvement. Default 1e-4.
    public var minImprovement: Double
    /// The initial simplex step, in the sine-transformed coordinates (rad): from the middle of the
    /// bounds, 0.5 moves a parameter by a quarter of its range. Default 0.5.
    public var initialStep: Double
    /// The simplex size (GSL's `gsl_multimin_fminimizer_size`, in the transformed coordinates) below
    /// which one Nelder–Mead run has converged; the search then restarts around the best point.
    /// Default 0.02.
    public var sizeTolerance: Double
    /// Restarts after a Nelder–Mead run has converged or stopped early, each from the best point so
    /// far moved by a random draw of up to half the initial step in each coordinate (from a random
    /// point of the bounds while nothing has beaten the start). Default 4.
    public var restarts: Int
    /// Events reconstructed at once in an evaluation. The scores do not depend on it. Default 1.
    public var workers: Int

    /// Settings with the defaults above, or the values given.
    public init(parameters: [TunedParameter] = [], fields: [String]? = nil, bounds: [TunedParameter] = [], timeBudget: Double = 60,
                maxEvaluations: Int = 400, patience: Int = 60, minImprovement: Double = 1e-4, initialStep: Double = 0.5,
                sizeTolerance: Double = 0.02, restarts: Int = 4, workers: Int = 1) {
        self.parameters = parameters
        self.fields = fields
        self.bounds = bounds
        self.timeBudget = timeBudget
        self.maxEvaluations = maxEvaluations
        self.patience = patience
        self.minImprovement = minImprovement
        self.initialStep = initialStep
        self.sizeTolerance = sizeTolerance
        self.restarts = restarts
        self.workers = workers
    }

    /// Throws unless the search settings are usable (the parameters are checked against the
    /// configuration by `TunedParameter.validate(in:)`).
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `timeBudget`; `fields` or `bounds` for a
    ///   selection `TunedParameter.selection` refuses, or one given beside `parameters`.
    public func validate() throws {
        if !parameters.isEmpty, fields != nil || !bounds.isEmpty {
            throw ConfigurationError(field: fields != nil ? "fields" : "bounds", "give the settings either as parameters or as fields and bounds")
        }
        // Whatever the defaults, a selection fails only on `fields` and `bounds` themselves.
        _ = try TunedParameter.selection(fields: fields, bounds: bounds, defaults: [])
        guard timeBudget > 0, timeBudget <= 1e7 else { throw ConfigurationError(field: "timeBudget", "expected 0 to 10⁷ seconds, found \(timeBudget)") }
        guard maxEvaluations >= 1, maxEvaluations <= 1_000_000 else {
            throw ConfigurationError(field: "maxEvaluations", "expected 1 to 10⁶ evaluations, found \(maxEvaluations)")
        }
        guard patience >= 1 else { throw ConfigurationError(field: "patience", "expected at least 1 evaluation, found \(patience)") }
        guard minImprovement >= 0, minImprovement < 1 else {
            throw ConfigurationError(field: "minImprovement", "expected 0 ≤ improvement < 1, found \(minImprovement)")
        }
        guard initialStep > 0, initialStep <= 3.2 else { throw ConfigurationError(field: "initialStep", "expected 0 to π rad, found \(initialStep)") }
        guard sizeTolerance > 0, sizeTolerance < 3.2 else {
            throw ConfigurationError(field: "sizeTolerance", "expected a positive size below π, found \(sizeTolerance)")
        }
        guard restarts >= 0, restarts <= 1000 else { throw ConfigurationError(field: "restarts", "expected 0 to 1000, found \(restarts)") }
        guard workers >= 1, workers <= 1024 else { throw ConfigurationError(field: "workers", "expected 1 to 1024 workers, found \(workers)") }
        var seen = Set<String>()
        for (i, p) in parameters.enumerated() where !seen.insert(p.field).inserted {
            throw ConfigurationError(field: "parameters[\(i)]", "'\(p.field)' is given twice")
        }
    }
}
