import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

@Suite("Tuning a configuration on events with truth")
struct TuningTests {
    /// Barrel events of 100 tracks with 10% noise, in memory.
    static func events(_ count: Int, seed: UInt64) throws -> [TuningEvent] {
        let generator = try EventGenerator(.init(detector: .barrel, tracks: 100, noise: 0.1))
        let random = RandomSource(seed: seed)
        return try (1...count).map { k in
            let e = generator.generate(random: random)
            return try TuningEvent(name: "event\(seed)-\(k)", hits: e.hits, truth: e.truth)
        }
    }

    /// A configuration mistuned for those events: a 3 GeV p_T cut (they start at 0.5 GeV) and a
    /// 3 mrad kink cut.
    static let mistuned = TrackFinderConfiguration(cuts: SegmentCuts(minPT: 3), energy: EnergyParameters(maxAngle: 0.003))

    @Test("tuning a mistuned configuration raises the training and the held-out score, reproducibly for a seed")
    func improvesMistuned() throws {
        let training = try Self.events(1, seed: 3), heldOut = try Self.events(1, seed: 4)
        let tuner = try TrackFinderTuner(base: Self.mistuned, tuning: TuningConfiguration(timeBudget: 60, maxEvaluations: 60, patience: 30))
        var steps: [TuningStep] = []
        let report = try tuner.tune(training: training, heldOut: heldOut, seed: 1) { steps.append($0) }
        #expect(report.parameters.map(\.field) == ["cuts.minPT", "cuts.maxZ0", "energy.maxAngle", "energy.angleExponent", "energy.alpha",
                                                   "extraction.threshold"])
        #expect(report.trainingScore.before < 0.3 && report.trainingScore.after > 0.95, "\(report.trainingScore)")
        let held = try #require(report.heldOutScore)
        #expect(held.before < 0.3 && held.after > 0.9, "\(held)")
        // The report's scores are what scoring the configurations gives; the tuned one is the best evaluated.
        #expect(try TrackFinderTuner.score(report.configuration, on: heldOut, seed: 1).mean == held.after)
        #expect(try TrackFinderTuner.score(Self.mistuned, on: training, seed: 1, workers: 2).mean == report.trainingScore.before)
        #expect(steps.count == report.evaluations && steps.map(\.bestScore).max() == report.trainingScore.after)
        #expect(steps.first?.values == report.startValues && report.tunedValues[0] < 1)
        #expect(report.configuration.description.contains("Tuned by TrackFinderTuner"))
        // The same seed gives the same search.
        let again = try tuner.tune(training: training, heldOut: [], seed: 1)
        #expect(again.tunedValues == report.tunedValues && again.evaluations == report.evaluations)
    }

    @Test("stops at the evaluation limit and the time budget; early stop; the start is never beaten by a worse result")
    func stops() throws {
        let training = try Self.events(1, seed: 5)
        let limited = try TrackFinderTuner(base: Self.mistuned, tuning: TuningConfiguration(maxEvaluations: 5))
        let r = try limited.tune(training: training, seed: 2)
        #expect(r.stop == .evaluations && r.evaluations == 5 && r.heldOutScore == nil)
        #expect(r.trainingScore.after >= r.trainingScore.before)
        let quick = try TrackFinderTuner(base: Self.mistuned, tuning: TuningConfiguration(timeBudget: 0.001))
        let q = try quick.tune(training: training, seed: 2)
        #expect(q.stop == .timeBudget && q.evaluations <= 1)
        let impatient = try TrackFinderTuner(base: TrackFinderConfiguration(), tuning: TuningConfiguration(patience: 3))
        let p = try impatient.tune(training: training, seed: 2)
        #expect([.patience, .perfect].contains(p.stop) && p.trainingScore.after >= p.trainingScore.before)
    }

    @Test("a start that keeps no track (a flat score) is left by restarting from random points of the bounds")
    func flatStart() throws {
        let training = try Self.events(1, seed: 6)
        // |z0| ≤ 0.01 mm keeps no segment of vertices spread by 55 mm; the first simplex sees only zeros.
        let base = TrackFinderConfiguration(cuts: SegmentCuts(maxZ0: 0.01))
        let tuning = TuningConfiguration(parameters: [TunedParameter(field: "cuts.maxZ0", lower: 0.01, upper: 500, logScale: true)],
                                         maxEvaluations: 80, patience: 10)
        let r = try TrackFinderTuner(base: base, tuning: tuning).tune(training: training, seed: 3)
        #expect(r.trainingScore.before < 0.05 && r.trainingScore.after > 0.9 && r.restarts >= 1, "\(r.trainingScore) \(r.restarts)")
        #expect(r.tunedValues[0] > 50)
    }

    @Test("a start outside the bounds is the result when nothing inside them scores above it")
    func startOutsideBounds() throws {
        let training = try Self.events(1, seed: 7)
        // The defaults find these tracks; a kink cut of 1–2 mrad (the start's 0.05 rad is outside) keeps few.
        let tuning = TuningConfiguration(parameters: [TunedParameter(field: "energy.maxAngle", lower: 0.001, upper: 0.002, logScale: true)],
                                         maxEvaluations: 12, patience: 6, restarts: 0)
        let base = TrackFinderConfiguration()
        let r = try TrackFinderTuner(base: base, tuning: tuning).tune(training: training, seed: 1)
        #expect(r.trainingScore.before > 0.9 && r.trainingScore.after == r.trainingScore.before, "\(r.trainingScore)")
        #expect(r.tunedValues == r.startValues && r.configuration.energy.maxAngle == base.energy.maxAngle)
    }

    @Test("parameters: defaults by geometry, bounds checked against the configuration, fields named")
    func parameters() throws {
        let planar = try EventGenerator(.init(detector: .planar, tracks: 10, noise: 0)).generate(random: RandomSource(seed: 1))
        let event = try TuningEvent(name: "planar", hits: planar.hits, truth: planar.truth)
        let tuner = try TrackFinderTuner(base: TrackFinderConfiguration(cuts: SegmentCuts(magneticField: 0)))
        #expect(try tuner.parameters(for: [event]).prefix(2).map(\.field) == ["cuts.maxSlope", "cuts.targetRadius"])
        let second = try TrackFinderTuner(base: TrackFinderConfiguration(secondPass: SecondPass()))
        #expect(try second.parameters(for: try Self.events(1, seed: 1)).last?.field == "secondPass.maxAngle")
        func field(_ p: TunedParameter, _ base: TrackFinderConfiguration = TrackFinderConfiguration()) -> String? {
            do {
                _ = try TrackFinderTuner(base: base, tuning: TuningConfiguration(parameters: [p]))
                return nil
            } catch let error as ConfigurationError {
                return error.field
            } catch {
                return "\(error)"
            }
        }
        #expect(field(TunedParameter(field: "cuts.minPT", lower: -1, upper: 2, logScale: false)) == "parameters[0].bounds")
        #expect(field(TunedParameter(field: "cuts.minPT", lower: 2, upper: 1, logScale: true)) == "parameters[0].bounds")
        #expect(field(TunedParameter(field: "extraction.threshold", lower: 0.1, upper: 1, logScale: false)) == "parameters[0].bounds")
        #expect(field(TunedParameter(field: "cuts.minPt", lower: 0.1, upper: 1, logScale: false)) == "parameters[0].field")
        #expect(field(TunedParameter(field: "secondPass.maxAngle", lower: 0.01, upper: 0.1, logScale: true)) == "parameters[0].field")
        #expect(field(try #require(TunedParameter(field: "energy.alpha"))) == nil)
        #expect(throws: ConfigurationError.self) { _ = try TrackFinderTuner(base: TrackFinderConfiguration(), tuning: TuningConfiguration(timeBudget: 0)) }
    }

    @Test("events read from a folder and from hit files, with their truth")
    func readsEvents() throws {
        let dir = TemporaryFolder()
        _ = try EventGenerator(.init(detector: .barrel, tracks: 5, noise: 0)).write(events: 2, prefix: dir.file("ev/event"), random: RandomSource(seed: 1))
        let events = try TuningEvent.read([dir.file("ev"), dir.file("ev/event000000002-hits.csv")])
        #expect(events.map(\.name) == ["event000000001-hits.csv", "event000000002-hits.csv", "event000000002-hits.csv"])
        #expect(events.allSatisfy { $0.hits.count == $0.truth.count && !$0.hits.isEmpty })
        #expect(throws: InputError.self) { _ = try TuningEvent.read([dir.file("nothing")]) }
    }

    @Test("the tuned settings: bounds from text, fields chosen or defaulted, bounds replacing or adding, refusals naming the field")
    func selection() throws {
        #expect(try TunedParameter(bounds: "log:cuts.minPT=0.1:2") == TunedParameter(field: "cuts.minPT", lower: 0.1, upper: 2, logScale: true))
        #expect(try TunedParameter(bounds: "energy.alpha=0:3").logScale == false)
        #expect(throws: ConfigurationError.self) { _ = try TunedParameter(bounds: "cuts.minPT") }
        #expect(throws: ConfigurationError.self) { _ = try TunedParameter(bounds: "cuts.minPt=1:2") }
        let defaults = TunedParameter.defaultParameters(geometry: .barrel, secondPass: false)
        let maxZ0 = try TunedParameter(bounds: "cuts.maxZ0=50:300")
        let chosen = try TunedParameter.selection(fields: nil, bounds: [maxZ0], defaults: defaults)
        #expect(chosen.map(\.field) == defaults.map(\.field) && chosen[1] == maxZ0)
        let two = try TunedParameter.selection(fields: ["energy.alpha", "cuts.maxZ0"], bounds: [maxZ0], defaults: defaults)
        #expect(two.map(\.field) == ["energy.alpha", "cuts.maxZ0"] && two[1] == maxZ0)
        #expect(throws: ConfigurationError.self) { _ = try TunedParameter.selection(fields: ["cuts.minPt"], bounds: [], defaults: defaults) }
        #expect(throws: ConfigurationError.self) { _ = try TunedParameter.selection(fields: ["energy.alpha"], bounds: [maxZ0], defaults: defaults) }
    }

    @Test("a tuner makes the same selection from its configuration's fields and bounds, and its init refuses a bad one")
    func selectionInTuner() throws {
        let base = TrackFinderConfiguration()
        let events = try Self.events(1, seed: 1)
        let maxZ0 = try TunedParameter(bounds: "cuts.maxZ0=50:300")
        let defaults = try TrackFinderTuner(base: base).parameters(for: events)
        let added = try TrackFinderTuner(base: base, tuning: TuningConfiguration(bounds: [maxZ0])).parameters(for: events)
        #expect(added == (try TunedParameter.selection(fields: nil, bounds: [maxZ0], defaults: defaults)))
        let named = try TrackFinderTuner(base: base, tuning: TuningConfiguration(fields: ["energy.alpha", "cuts.maxZ0"], bounds: [maxZ0]))
        #expect(try named.parameters(for: events).map(\.field) == ["energy.alpha", "cuts.maxZ0"])
        func refusedField(_ tuning: TuningConfiguration) -> String? {
            do { _ = try TrackFinderTuner(base: base, tuning: tuning); return nil } catch let e as ConfigurationError { return e.field } catch { return "other" }
        }
        #expect(refusedField(TuningConfiguration(fields: ["cuts.minPt"])) == "fields")
        #expect(refusedField(TuningConfiguration(fields: ["energy.alpha"], bounds: [maxZ0])) == "bounds")
        #expect(refusedField(TuningConfiguration(parameters: [maxZ0], fields: ["cuts.maxZ0"])) == "fields")
    }
}
