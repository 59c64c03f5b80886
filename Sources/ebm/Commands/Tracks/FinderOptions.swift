import ArgumentParser
import EnergyCore
import TrackFinding

/// The settings of `TrackFinderConfiguration` as command-line options, with its defaults.
struct FinderOptions: ParsableArguments {
    @Option(help: "Detector geometry: barrel (layers by radius), forward (layers by z) or auto.") var geometry = DetectorGeometry.auto
    @Option(help: "Solver: mean-field or annealing (binary neurons, GSL simulated annealing).") var solver = TrackFinderConfiguration.Solver.meanField
    @Flag(name: .customLong("skip-layers"), inversion: .prefixedNo, help: "Also join hits two layers apart (missing hits).") var skipLayers = SegmentCuts().skipLayers
    @Option(help: "Longest segment, mm.") var maxLength = SegmentCuts().maxLength
    @Option(name: .customLong("min-pt"), help: "Barrel: lowest p_T kept by the Δφ window, GeV.") var minPT = SegmentCuts().minPT
    @Option(help: "Barrel: solenoid field, T.") var magneticField = SegmentCuts().magneticField
    @Option(name: .customLong("max-z0"), help: "Barrel: largest |z0| at the beam line, mm.") var maxZ0 = SegmentCuts().maxZ0
    @Option(help: "Forward: largest |dx/dz| and |dy/dz|.") var maxSlope = SegmentCuts().maxSlope
    @Option(help: "Forward: z of the target, mm.") var targetZ = SegmentCuts().targetZ
    @Option(help: "Forward: radius at the target the segment must pass, mm.") var targetRadius = SegmentCuts().targetRadius
    @Option(help: "Exponent m of cos^m θ.") var angleExponent = EnergyParameters().angleExponent
    @Option(help: "Exponent λ of the segment lengths.") var lengthExponent = EnergyParameters().lengthExponent
    @Option(help: "Length form: sum (1/(r^λ + r'^λ)) or product (1/(r r')).") var lengthForm = EnergyParameters().lengthForm
    @Option(help: "Largest kink that connects two segments, rad.") var maxAngle = EnergyParameters().maxAngle
    @Flag(name: .customLong("helix-kinks"), inversion: .prefixedNo, help: "Barrel in a field: measure kinks against a helix from the beam line.") var helixKinks = EnergyParameters().helixKinks
    @Option(help: "Fork and join penalty α.") var alpha = EnergyParameters().alpha
    @Option(help: "Global constraint strength β on (Σ V − N_hits)².") var beta = EnergyParameters().beta
    @Option(name: .customLong("t-initial"), help: "Initial temperature (default: 1 for both solvers).") var tInitial: Double?
    @Option(name: .customLong("mu-t"), help: "Cooling factor: T ← T / mu_t (default: 1.3 mean-field, 1.2 annealing).") var muT: Double?
    @Option(name: .customLong("t-min"), help: "Final temperature (default: 0.2 mean-field, 0.01 annealing).") var tMin: Double?
    @Option(name: .customLong("iters-fixed-t"), help: "Sweeps (mean-field, default 2) or flips (annealing, default 20000) per temperature.") var itersFixedT: Int?
    @Option(help: "Mean-field updates: asynchronous or synchronous.") var update = MeanFieldAnnealing.Configuration().update
    @Option(help: "Damping of synchronous updates.") var damping = MeanFieldAnnealing.Configuration().damping
    @Option(help: "Convergence threshold on max |ΔV|.") var tolerance = MeanFieldAnnealing.Configuration().tolerance
    @Option(help: "Activation above which a segment is on.") var threshold = TrackExtractor.Configuration().threshold
    @Option(help: "Fewest hits of a track.") var minHits = TrackExtractor.Configuration().minHits
    @Option(name: .customLong("layer-map"), help: "A layer map from ebm tracks map: segments follow its links (barrel and endcap disks); --geometry is then unused.")
    var layerMap: String?
    @Option(help: "Threads that build one event's segments with --layer-map.", transform: OptionRange.integer(1...1024))
    var threads = 1
    @Option(help: "Which links the extraction accepts first: auto (heaviest along a layer map, else straightest), straightest or heaviest.")
    var linkOrder = TrackExtractor.Configuration().linkOrder
    @Option(help: "Join chains broken at overlapping modules and complete them through candidate segments: auto (along a layer map), on or off.")
    var overlapMerging = TrackExtractor.Configuration().overlapMerging
    @Flag(name: .customLong("second-pass"), help: "Run a second network on the hits the first one's confident tracks leave.") var secondPass = false
    @Option(help: "Second pass: fewest hits of a first-pass track that is kept.", transform: OptionRange.integer(2...1000))
    var confidentHits = SecondPass().minConfidentHits
    @Option(help: "Second pass: largest kink, rad.", transform: OptionRange.real(1e-6...3.14159)) var secondMaxAngle = SecondPass().maxAngle
    @Flag(name: .customLong("second-skip-layers"), inversion: .prefixedNo, help: "Second pass: also join hits two layers apart.")
    var secondSkipLayers = SecondPass().skipLayers

    /// The option that sets each field of `TrackFinderConfiguration`.
    static let flags: ConfigurationFlags = {
        var names = [
            "cuts.maxLength": "--max-length", "cuts.minPT": "--min-pt", "cuts.magneticField": "--magnetic-field",
            "cuts.maxZ0": "--max-z0", "cuts.maxSlope": "--max-slope", "cuts.targetRadius": "--target-radius",
            "energy.angleExponent": "--angle-exponent", "energy.lengthExponent": "--length-exponent",
            "energy.maxAngle": "--max-angle", "energy.alpha": "--alpha", "energy.beta": "--beta",
            "meanField.damping": "--damping", "meanField.tolerance": "--tolerance",
            "extraction.threshold": "--threshold", "extraction.minHits": "--min-hits",
            "layerGraph": "--layer-map", "workers": "--threads",
            "secondPass.minConfidentHits": "--confident-hits", "secondPass.maxAngle": "--second-max-angle",
        ]
        for solver in ["meanField", "annealing"] {
            names[solver + ".schedule.initialTemperature"] = "--t-initial"
            names[solver + ".schedule.coolingFactor"] = "--mu-t"
            names[solver + ".schedule.minimumTemperature"] = "--t-min"
            names[solver + ".schedule.iterationsPerTemperature"] = "--iters-fixed-t"
        }
        return ConfigurationFlags(names)
    }()

    /// The configuration these options describe (checked by `TrackFinder.init`).
    var configuration: TrackFinderConfiguration {
        var c = TrackFinderConfiguration(
            geometry: geometry,
            cuts: SegmentCuts(skipLayers: skipLayers, maxLength: maxLength, minPT: minPT, magneticField: magneticField, maxZ0: maxZ0,
                              maxSlope: maxSlope, targetZ: targetZ, targetRadius: targetRadius),
            energy: EnergyParameters(angleExponent: angleExponent, lengthExponent: lengthExponent, lengthForm: lengthForm, maxAngle: maxAngle,
                                     helixKinks: helixKinks, alpha: alpha, beta: beta),
            solver: solver,
            meanField: MeanFieldAnnealing.Configuration(update: update, damping: damping, tolerance: tolerance),
            extraction: TrackExtractor.Configuration(threshold: threshold, minHits: minHits, linkOrder: linkOrder, overlapMerging: overlapMerging),
            workers: threads,
            secondPass: secondPass ? SecondPass(minConfidentHits: confidentHits, skipLayers: secondSkipLayers, maxAngle: secondMaxAngle) : nil)
        for schedule in [\TrackFinderConfiguration.meanField.schedule, \TrackFinderConfiguration.annealing.schedule] {
            if let tInitial { c[keyPath: schedule].initialTemperature = tInitial }
            if let muT { c[keyPath: schedule].coolingFactor = muT }
            if let tMin { c[keyPath: schedule].minimumTemperature = tMin }
            if let itersFixedT { c[keyPath: schedule].iterationsPerTemperature = itersFixedT }
        }
        return c
    }

    /// The finder these options describe.
    ///
    /// - Throws: a usage error naming the option whose value the configuration refuses.
    func finder() throws -> TrackFinder {
        var c = configuration
        if let layerMap { c.layerGraph = try LayerGraph.read(layerMap) }
        return try Self.flags.map { try TrackFinder(c) }
    }
}
