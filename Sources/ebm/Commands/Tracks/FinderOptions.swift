import ArgumentParser
import EnergyCore
import TrackFinding

/// The settings of `TrackFinderConfiguration` as command-line options, with its defaults.
struct FinderOptions: ParsableArguments {
    @Option(help: "Detector geometry: barrel (layers by radius), forward (layers by z) or auto.") var geometry = "auto"
    @Option(help: "Solver: mean-field or annealing (binary neurons, GSL simulated annealing).") var solver = "mean-field"
    @Flag(name: .customLong("skip-layers"), inversion: .prefixedNo, help: "Also join hits two layers apart (missing hits).") var skipLayers = true
    @Option(help: "Longest segment, mm.") var maxLength = SegmentCuts().maxLength
    @Option(name: .customLong("min-pt"), help: "Barrel: lowest p_T kept by the Δφ window, GeV.") var minPT = SegmentCuts().minPT
    @Option(help: "Barrel: solenoid field, T.") var magneticField = SegmentCuts().magneticField
    @Option(name: .customLong("max-z0"), help: "Barrel: largest |z0| at the beam line, mm.") var maxZ0 = SegmentCuts().maxZ0
    @Option(help: "Forward: largest |dx/dz| and |dy/dz|.") var maxSlope = SegmentCuts().maxSlope
    @Option(help: "Forward: z of the target, mm.") var targetZ = SegmentCuts().targetZ
    @Option(help: "Forward: radius at the target the segment must pass, mm.") var targetRadius = SegmentCuts().targetRadius
    @Option(help: "Exponent m of cos^m θ.") var angleExponent = EnergyParameters().angleExponent
    @Option(help: "Exponent λ of the segment lengths.") var lengthExponent = EnergyParameters().lengthExponent
    @Option(help: "Length form: sum (1/(r^λ + r'^λ)) or product (1/(r r')).") var lengthForm = EnergyParameters().lengthForm.rawValue
    @Option(help: "Largest kink that connects two segments, rad.") var maxAngle = EnergyParameters().maxAngle
    @Flag(name: .customLong("helix-kinks"), inversion: .prefixedNo, help: "Barrel in a field: measure kinks against a helix from the beam line.") var helixKinks = true
    @Option(help: "Fork and join penalty α.") var alpha = EnergyParameters().alpha
    @Option(help: "Global constraint strength β on (Σ V − N_hits)².") var beta = EnergyParameters().beta
    @Option(name: .customLong("t-initial"), help: "Initial temperature (default: 2 for mean-field, 1 for annealing).") var tInitial: Double?
    @Option(name: .customLong("mu-t"), help: "Cooling factor: T ← T / mu_t.") var muT: Double?
    @Option(name: .customLong("t-min"), help: "Final temperature.") var tMin: Double?
    @Option(name: .customLong("iters-fixed-t"), help: "Sweeps (mean-field) or flips (annealing) per temperature.") var itersFixedT: Int?
    @Option(help: "Mean-field updates: asynchronous or synchronous.") var update = "asynchronous"
    @Option(help: "Damping of synchronous updates.") var damping = MeanFieldAnnealing().damping
    @Option(help: "Convergence threshold on max |ΔV|.") var tolerance = MeanFieldAnnealing().tolerance
    @Option(help: "Activation above which a segment is on.") var threshold = TrackExtractor().threshold
    @Option(help: "Fewest hits of a track.") var minHits = TrackExtractor().minHits

    /// The configuration these options describe.
    func configuration() throws -> TrackFinderConfiguration {
        var c = TrackFinderConfiguration()
        guard let g = DetectorGeometry(rawValue: geometry) else { throw InputError(file: "--geometry", "expected barrel, forward or auto, got '\(geometry)'") }
        guard let s = TrackFinderConfiguration.Solver(rawValue: solver) else { throw InputError(file: "--solver", "expected mean-field or annealing, got '\(solver)'") }
        guard let form = EnergyParameters.LengthForm(rawValue: lengthForm) else { throw InputError(file: "--length-form", "expected sum or product, got '\(lengthForm)'") }
        guard let u = MeanFieldAnnealing.Update(rawValue: update) else { throw InputError(file: "--update", "expected asynchronous or synchronous, got '\(update)'") }
        c.geometry = g
        c.solver = s
        c.cuts.skipLayers = skipLayers
        c.cuts.maxLength = maxLength
        c.cuts.minPT = minPT
        c.cuts.magneticField = magneticField
        c.cuts.maxZ0 = maxZ0
        c.cuts.maxSlope = maxSlope
        c.cuts.targetZ = targetZ
        c.cuts.targetRadius = targetRadius
        c.energy.angleExponent = angleExponent
        c.energy.lengthExponent = lengthExponent
        c.energy.lengthForm = form
        c.energy.maxAngle = maxAngle
        c.energy.alpha = alpha
        c.energy.helixKinks = helixKinks
        c.energy.beta = beta
        c.meanField.update = u
        c.meanField.damping = damping
        c.meanField.tolerance = tolerance
        for schedule in [\TrackFinderConfiguration.meanField.schedule, \TrackFinderConfiguration.annealing.schedule] {
            if let tInitial { c[keyPath: schedule].initialTemperature = tInitial }
            if let muT { c[keyPath: schedule].coolingFactor = muT }
            if let tMin { c[keyPath: schedule].minimumTemperature = tMin }
            if let itersFixedT { c[keyPath: schedule].iterationsPerTemperature = itersFixedT }
        }
        c.extraction.threshold = threshold
        c.extraction.minHits = minHits
        try c.validate()
        return c
    }
}
