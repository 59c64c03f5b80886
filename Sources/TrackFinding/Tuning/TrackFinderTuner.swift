import EnergyCore
import Foundation

/// Fits the energy and cut settings of a `TrackFinderConfiguration` to events with truth: it
/// maximises the mean TrackML score (`TrackingScore`, Amrouche et al. 2019) of the training events
/// by the Nelder–Mead simplex method (Nelder & Mead 1965; GSL's `nmsimplex2`, `NelderMead` in
/// EnergyCore), and reports the score of held-out events separately, before and after, so that the
/// tuned score is not only the training score.
///
/// **The search.** Each tuned setting (`TunedParameter`) lives in its bounds; the simplex moves in
/// unbounded coordinates uᵢ with position tᵢ = (1 + sin uᵢ)/2 in the bounds (on a log scale where
/// the parameter says so), the transformation MINUIT uses for bounded parameters (F. James, M. Roos,
/// Comput. Phys. Commun. 10 (1975) 343), so every point the simplex tries is a valid configuration.
/// It starts at the base configuration's values (clamped into the bounds). An evaluation reconstructs
/// every training event with the candidate configuration and the event's own random stream
/// (`TrackFinder.random(seed:forEvent:)`), so the objective is a deterministic function of the
/// settings for a seed, and the search is reproducible. An event whose reconstruction fails (too
/// many candidate segments at loose cuts) scores 0. When a Nelder–Mead run converges or stops early
/// (`patience` evaluations or revisits without improvement), the search restarts
/// (`TuningConfiguration.restarts`) around the best point, moved by random draws from the seed's
/// stream, or, while nothing has beaten the start (a flat score, e.g. cuts that keep no track), from
/// a random point of the bounds; as is usual for a piecewise-constant objective.
///
/// **Stops.** The time budget and the evaluation limit, checked before each evaluation; a perfect
/// training score (1); or the last restart converging or stopping early. The tuned configuration is the best one evaluated: never below the start on
/// the training events (a start outside the bounds, which the search begins from clamped, is itself
/// the result when no configuration inside them scores above it).
public struct TrackFinderTuner: Sendable {
    /// The configuration the search starts from; every setting not tuned keeps its value.
    public let base: TrackFinderConfiguration
    /// How the search runs.
    public let tuning: TuningConfiguration

    /// A tuner for `base` under `tuning`.
    ///
    /// - Throws: `ConfigurationError` naming the first unusable field: of `base` (its path, e.g.
    ///   `cuts.minPT`), of `tuning` (`timeBudget`, `fields`, …), or a setting given explicitly
    ///   (`tuning.parameters`, else the selection `fields` and `bounds` make without the defaults:
    ///   `parameters[i].field`: not tunable; `parameters[i].bounds`: unusable, or a bound the
    ///   configuration refuses).
    public init(base: TrackFinderConfiguration, tuning: TuningConfiguration = TuningConfiguration()) throws {
        try base.validate()
        try tuning.validate()
        // The settings given explicitly (the defaults for the events' geometry are checked by `tune`).
        let given = tuning.parameters.isEmpty ? try TunedParameter.selection(fields: tuning.fields, bounds: tuning.bounds, defaults: [])
                                              : tuning.parameters
        for (i, p) in given.enumerated() { try ConfigurationError.nesting("parameters[\(i)]") { try p.validate(in: base) } }
        self.base = base
        self.tuning = tuning
    }

    /// The settings the search fits on `events`: `tuning.parameters`, or the selection
    /// `tuning.fields` and `tuning.bounds` make from the defaults for the geometry of the first event
    /// (`TunedParameter.defaultParameters`).
    ///
    /// - Throws: `ConfigurationError` naming `fields` or `bounds` for a selection that
    ///   `TuningConfiguration.validate()` refuses (never after a tuner's init).
    public func parameters(for events: [TuningEvent]) throws -> [TunedParameter] {
        if !tuning.parameters.isEmpty { return tuning.parameters }
        let geometry: DetectorGeometry
        if base.layerGraph != nil {
            geometry = .barrel
        } else if base.geometry != .auto {
            geometry = base.geometry
        } else {
            geometry = events.first.map { LayerLayout(hits: $0.hits, geometry: .auto).geometry } ?? .barrel
        }
        let defaults = TunedParameter.defaultParameters(geometry: geometry, secondPass: base.secondPass != nil)
        return try TunedParameter.selection(fields: tuning.fields, bounds: tuning.bounds, defaults: defaults)
    }

    /// The mean TrackML score of `configuration` on `events`, each reconstructed with its own stream
    /// from `seed`, `workers` events at a time (the score does not depend on `workers`); an event
    /// whose reconstruction fails scores 0. Also the number of such failures.
    ///
    /// - Throws: `ConfigurationError` for an unusable configuration.
    public static func score(_ configuration: TrackFinderConfiguration, on events: [TuningEvent], seed: UInt64,
                             workers: Int = 1) throws -> (mean: Double, failures: Int) {
        guard !events.isEmpty else { return (0, 0) }
        let finder = try TrackFinder(configuration)
        var scores = [Double](repeating: 0, count: events.count), failed = [Bool](repeating: false, count: events.count)
        let workers = max(1, min(workers, events.count))
        let lock = NSLock()
        Parallel.run(workers: workers) { w in
            for k in stride(from: w, to: events.count, by: workers) {
                let event = events[k]
                var score = 0.0, failure = false
                do {
                    let r = try finder.reconstruct(event.hits, random: TrackFinder.random(seed: seed, forEvent: event.name))
                    score = TrackingScore.evaluate(hits: event.hits, truth: event.truth, trackIDs: r.trackIDs(hitCount: event.hits.count)).score
                } catch {
                    failure = true
                }
                lock.lock()
                scores[k] = score
                failed[k] = failure
                lock.unlock()
            }
        }
        return (scores.reduce(0, +) / Double(events.count), failed.filter { $0 }.count)
    }

    /// Tunes on `training` and scores `heldOut` (which takes no part in the search) before and after.
    /// `progress` sees one task, one step per evaluation; `onEvaluation` sees every evaluation as it
    /// ends, with the score and the best so far.
    ///
    /// - Throws: `InputError` when there are no training events; `ConfigurationError` for a parameter
    ///   the configuration cannot tune; whatever `onEvaluation` throws.
    public func tune(training: [TuningEvent], heldOut: [TuningEvent] = [], seed: UInt64,
                     progress: (any ProgressObserver)? = nil,
                     onEvaluation: (TuningStep) throws -> Void = { _ in }) throws -> TuningReport {
        guard !training.isEmpty else { throw InputError(file: "the training events", "no events to tune on") }
        let started = Date()
        let parameters = try parameters(for: training)
        for p in parameters { try p.validate(in: base) }
        let startValues = parameters.map { $0.value(in: base) ?? $0.lower }
        let random = RandomSource(seed: seed)

        func configuration(_ values: [Double]) -> TrackFinderConfiguration {
            var c = base
            for (p, v) in zip(parameters, values) { p.set(v, in: &c) }
            return c
        }
        // The start, clamped into the bounds, and its simplex coordinates; the start's coordinates
        // map back to exactly these values (not through sin ∘ asin).
        let clampedStart = zip(parameters, startValues).map { p, v in min(max(v, p.lower), p.upper) }
        let startU = zip(parameters, clampedStart).map { p, v in asin(2 * p.normalised(v) - 1) }
        func values(_ u: [Double]) -> [Double] {
            u == startU ? clampedStart : zip(parameters, u).map { p, u in p.value(atNormalised: (1 + sin(u)) / 2) }
        }

        var cache: [[Double]: Double] = [:]
        var evaluations = 0, sinceImprovement = 0, failures = 0
        var bestScore = -Double.infinity, bestValues = clampedStart, bestU = startU, firstScore: Double?
        progress?.begin("tuning", total: tuning.maxEvaluations)
        defer { progress?.end() }

        func objective(_ u: [Double]) throws -> Double {
            let x = values(u)
            if let known = cache[x] {
                sinceImprovement += 1
                if sinceImprovement >= tuning.patience { throw TuningSignal(stop: .patience) }
                return -known
            }
            if evaluations >= tuning.maxEvaluations { throw TuningSignal(stop: .evaluations) }
            if Date().timeIntervalSince(started) >= tuning.timeBudget { throw TuningSignal(stop: .timeBudget) }
            let (score, failed) = try Self.score(configuration(x), on: training, seed: seed, workers: tuning.workers)
            evaluations += 1
            if evaluations == 1 { firstScore = score }
            failures += failed
            cache[x] = score
            let improved = evaluations == 1 || score >= bestScore + tuning.minImprovement
            if score > bestScore {
                bestScore = score
                bestValues = x
                bestU = u
            }
            sinceImprovement = improved ? 0 : sinceImprovement + 1
            progress?.advance(by: 1)
            try onEvaluation(TuningStep(evaluation: evaluations, parameters: parameters, values: x, score: score, bestScore: bestScore,
                                        improved: improved && score == bestScore, seconds: Date().timeIntervalSince(started)))
            if bestScore >= 1 { throw TuningSignal(stop: .perfect) }
            if sinceImprovement >= tuning.patience { throw TuningSignal(stop: .patience) }
            return -score
        }

        var stop = TuningStop.converged, restarts = 0
        var start = bestU
        let steps = [Double](repeating: tuning.initialStep, count: parameters.count)
        while true {
            do {
                _ = try NelderMead.minimize(from: start, steps: steps, sizeTolerance: tuning.sizeTolerance,
                                            maxIterations: 10 * tuning.maxEvaluations + 10, objective)
                stop = .converged
            } catch let signal as TuningSignal {
                stop = signal.stop
            }
            // A run that converged or stopped early is restarted while restarts remain; the other stops end the search.
            guard stop == .converged || stop == .patience, restarts < tuning.restarts else { break }
            restarts += 1
            sinceImprovement = 0
            if bestScore > (firstScore ?? bestScore) {
                start = bestU.map { $0 + random.uniform(-tuning.initialStep / 2, tuning.initialStep / 2) }
            } else {
                // Nothing has beaten the start (a flat score around it, e.g. cuts that keep no track):
                // start from a random point of the bounds.
                start = parameters.map { _ in random.uniform(-Double.pi / 2, Double.pi / 2) }
            }
        }
        progress?.end()

        // The score before: the first evaluation's, unless the start was clamped into the bounds.
        let trainingBefore: Double
        if clampedStart == startValues, let firstScore {
            trainingBefore = firstScore
        } else {
            trainingBefore = try Self.score(base, on: training, seed: seed, workers: tuning.workers).mean
            // A start outside the bounds was not searched from; when nothing inside them beats it,
            // the start itself is the result, so the tuned score is never below the start's.
            if trainingBefore > bestScore { (bestScore, bestValues) = (trainingBefore, startValues) }
        }
        let tuned = bestValues == startValues ? base : configuration(bestValues)
        var heldOutScores: (before: Double, after: Double)?
        if !heldOut.isEmpty {
            heldOutScores = (try Self.score(base, on: heldOut, seed: seed, workers: tuning.workers).mean,
                             try Self.score(tuned, on: heldOut, seed: seed, workers: tuning.workers).mean)
        }
        var described = tuned
        described.description = Self.description(base: base, training: training.count, heldOut: heldOut.count, seed: seed,
                                                 trainingScores: (trainingBefore, bestScore), heldOutScores: heldOutScores)
        return TuningReport(configuration: described, parameters: parameters, startValues: startValues, tunedValues: bestValues,
                            trainingScore: (trainingBefore, bestScore), heldOutScore: heldOutScores, evaluations: evaluations,
                            restarts: restarts, failedReconstructions: failures, stop: stop,
                            seconds: Date().timeIntervalSince(started))
    }

    /// The tuned configuration's description: the base's, and where the tuned values come from.
    static func description(base: TrackFinderConfiguration, training: Int, heldOut: Int, seed: UInt64,
                            trainingScores: (Double, Double), heldOutScores: (before: Double, after: Double)?) -> String {
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        var text = (base.description.isEmpty ? "The defaults." : base.description)
            + " Tuned by TrackFinderTuner (Nelder-Mead, seed \(seed)) on \(training) event(s) with truth: mean TrackML score "
            + "\(f(trainingScores.0)) -> \(f(trainingScores.1))"
        if let heldOutScores { text += "; on \(heldOut) held-out event(s) \(f(heldOutScores.before)) -> \(f(heldOutScores.after))" }
        return text + "."
    }
}

/// Ends the search from inside the objective.
private struct TuningSignal: Error { var stop: TuningStop }

/// Why a tuning run ended.
public enum TuningStop: String, Sendable {
    /// The time budget ran out.
    case timeBudget = "time budget"
    /// The evaluation limit was reached.
    case evaluations = "evaluation limit"
    /// Early stop: `patience` evaluations without improvement in the last run, after the last restart.
    case patience = "no improvement (early stop)"
    /// The training score reached 1.
    case perfect = "perfect training score"
    /// The last Nelder–Mead run converged (after the last restart).
    case converged = "converged"
}

/// One evaluation of a tuning run: a configuration scored on the training events.
public struct TuningStep: Sendable {
    /// The evaluation's number, from 1 (the start configuration).
    public var evaluation: Int
    /// The tuned settings and their values in this configuration.
    public var parameters: [TunedParameter]
    public var values: [Double]
    /// Its mean TrackML score on the training events, and the best so far.
    public var score: Double
    public var bestScore: Double
    /// Whether this configuration is a new best (by at least `minImprovement`).
    public var improved: Bool
    /// Seconds since the run began.
    public var seconds: Double
}

/// What a tuning run found.
public struct TuningReport: Sendable {
    /// The tuned configuration (its description says how it was tuned); the base's other settings.
    public var configuration: TrackFinderConfiguration
    /// The settings tuned, their starting values (the base's) and tuned values.
    public var parameters: [TunedParameter]
    public var startValues: [Double]
    public var tunedValues: [Double]
    /// The mean TrackML score of the training events with the base and the tuned configuration.
    public var trainingScore: (before: Double, after: Double)
    /// The same on the held-out events, nil without any.
    public var heldOutScore: (before: Double, after: Double)?
    /// Configurations evaluated, Nelder–Mead restarts, and event reconstructions that failed.
    public var evaluations: Int
    public var restarts: Int
    public var failedReconstructions: Int
    /// Why the search ended.
    public var stop: TuningStop
    /// Seconds the run took, held-out scoring included.
    public var seconds: Double
}
