/// A geometric cooling schedule with the parameters of GSL's `gsl_siman_params_t`.
///
/// The temperature starts at `t_initial` and is divided by `mu_t` after every `iters_fixed_T`
/// steps, until it falls below `t_min` (Kirkpatrick, Gelatt & Vecchi 1983; GSL's `gsl_siman_solve`):
///
///     T₀ = t_initial,   T_{n+1} = T_n · (1/mu_t),   stop after the first T_n with T_{n+1} < t_min.
///
/// The Metropolis acceptance of an uphill move ΔE > 0 is exp(−ΔE / (k T)).
/// The same schedule drives both the discrete annealer (`SimulatedAnnealing`) and the continuous
/// dynamics of the models (Glauber recall, mean-field track finding), so one set of parameters
/// means the same thing everywhere.
public struct AnnealingSchedule: Sendable, Equatable, Codable {
    /// Starting temperature (`t_initial`).
    public var initialTemperature: Double
    /// Cooling factor: each stage divides the temperature by `mu_t` (> 1).
    public var coolingFactor: Double
    /// Last temperature (`t_min`): the schedule stops once the next temperature is below it.
    public var minimumTemperature: Double
    /// Steps (or sweeps) at each temperature (`iters_fixed_T`).
    public var iterationsPerTemperature: Int
    /// Boltzmann constant `k` in exp(−ΔE / (k T)).
    public var boltzmann: Double
    /// Points tried per step (`n_tries`; GSL reserves it, the toolkit passes it through).
    public var tries: Int
    /// Maximum step size handed to a move (`step_size`).
    public var stepSize: Double

    /// A schedule. Parameters are checked by `validate()`.
    public init(initialTemperature: Double, coolingFactor: Double, minimumTemperature: Double,
                iterationsPerTemperature: Int, boltzmann: Double = 1, tries: Int = 1, stepSize: Double = 1) {
        self.initialTemperature = initialTemperature
        self.coolingFactor = coolingFactor
        self.minimumTemperature = minimumTemperature
        self.iterationsPerTemperature = iterationsPerTemperature
        self.boltzmann = boltzmann
        self.tries = tries
        self.stepSize = stepSize
    }

    /// Refuses parameters for which the schedule would not end or would not make sense.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `coolingFactor`; a configuration that
    ///   holds a schedule reports it under its own path (`meanField.schedule.coolingFactor`).
    public func validate() throws {
        func bad(_ field: String, _ message: String) -> ConfigurationError { ConfigurationError(field: field, message) }
        guard initialTemperature.isFinite, initialTemperature > 0 else {
            throw bad("initialTemperature", "expected a positive temperature, got \(initialTemperature)")
        }
        guard minimumTemperature.isFinite, minimumTemperature > 0 else {
            throw bad("minimumTemperature", "expected a positive temperature, got \(minimumTemperature)")
        }
        guard coolingFactor.isFinite, coolingFactor > 1 else {
            throw bad("coolingFactor", "expected a cooling factor greater than 1, got \(coolingFactor)")
        }
        guard iterationsPerTemperature >= 1 else {
            throw bad("iterationsPerTemperature", "expected at least 1 iteration per temperature, got \(iterationsPerTemperature)")
        }
        guard boltzmann.isFinite, boltzmann > 0 else { throw bad("boltzmann", "expected a positive constant, got \(boltzmann)") }
        guard stepCount <= 10_000_000 else {
            throw bad("minimumTemperature", "the schedule has \(stepCount) temperatures; expected at most 10,000,000")
        }
    }

    /// The temperatures visited, in order, exactly as `gsl_siman_solve` visits them.
    public var temperatures: [Double] {
        var out: [Double] = []
        var t = initialTemperature
        let factor = 1 / coolingFactor  // GSL multiplies by 1/mu_t; keep its rounding
        repeat {
            out.append(t)
            t *= factor
        } while t >= minimumTemperature && out.count <= 10_000_000
        return out
    }

    /// Number of temperatures visited.
    public var stepCount: Int {
        guard initialTemperature > 0, minimumTemperature > 0, coolingFactor > 1 else { return 1 }
        var n = 1
        let factor = 1 / coolingFactor
        var t = initialTemperature * factor
        while t >= minimumTemperature && n <= 10_000_000 { n += 1; t *= factor }
        return n
    }
}

extension AnnealingSchedule: DecodableOverDefaults {
    /// A schedule whose fields missing from the document are `defaults`' (a solver's default
    /// schedule): `{"coolingFactor": 1.5}` changes just the cooling factor.
    public init(from decoder: any Decoder, over defaults: AnnealingSchedule) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        initialTemperature = try c.decode(forKey: .initialTemperature, over: defaults.initialTemperature)
        coolingFactor = try c.decode(forKey: .coolingFactor, over: defaults.coolingFactor)
        minimumTemperature = try c.decode(forKey: .minimumTemperature, over: defaults.minimumTemperature)
        iterationsPerTemperature = try c.decode(forKey: .iterationsPerTemperature, over: defaults.iterationsPerTemperature)
        boltzmann = try c.decode(forKey: .boltzmann, over: defaults.boltzmann)
        tries = try c.decode(forKey: .tries, over: defaults.tries)
        stepSize = try c.decode(forKey: .stepSize, over: defaults.stepSize)
    }
}
