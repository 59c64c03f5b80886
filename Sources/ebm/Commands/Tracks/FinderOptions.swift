import ArgumentParser
import EnergyCore
import Foundation
import TrackFinding

/// The settings of `TrackFinderConfiguration` as command-line options. `--detector` gives the
/// starting configuration (a preset or a configuration file; the library defaults without it), and
/// every option given on the command line overrides its value: an option left out is nil here and
/// keeps the starting value, so `--help` shows the library default in each option's text.
struct FinderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start from a preset (\(TrackFinderConfiguration.presetNames.joined(separator: ", "))) or a configuration "
                               + "file written by ebm tracks config; the options below override it.", valueName: "preset|file"))
    var detector: String?
    @Option(help: "Detector geometry: barrel (layers by radius), forward (layers by z) or auto (default: \(Self.d.geometry.rawValue)).")
    var geometry: DetectorGeometry?
    @Option(help: "Solver: mean-field or annealing (binary neurons, GSL simulated annealing) (default: \(Self.d.solver.rawValue)).")
    var solver: TrackFinderConfiguration.Solver?
    @Flag(name: .customLong("skip-layers"), inversion: .prefixedNo, help: "Also join hits two layers apart (missing hits) (default: on).")
    var skipLayers: Bool?
    @Option(help: "Longest segment, mm (default: \(Self.d.cuts.maxLength)).") var maxLength: Double?
    @Option(name: .customLong("min-pt"), help: "Barrel: lowest p_T kept by the Δφ window, GeV (default: \(Self.d.cuts.minPT)).") var minPT: Double?
    @Option(help: "Barrel: solenoid field, T (default: \(Self.d.cuts.magneticField)).") var magneticField: Double?
    @Option(name: .customLong("max-z0"), help: "Barrel: largest |z0| at the beam line, mm (default: \(Self.d.cuts.maxZ0)).") var maxZ0: Double?
    @Option(help: "Forward: largest |dx/dz| and |dy/dz| (default: \(Self.d.cuts.maxSlope)).") var maxSlope: Double?
    @Option(help: "Keep only segments on a chain of at least this many hits within the kink cut; up to 3 drops only segments with no partner (default: \(Self.d.cuts.minChainHits)).",
            transform: OptionRange.integer(2...1000))
    var minChainHits: Int?
    @Option(help: "Forward: z of the target, mm (default: \(Self.d.cuts.targetZ)).") var targetZ: Double?
    @Option(help: "Forward: radius at the target the segment must pass, mm (default: \(Self.d.cuts.targetRadius)).") var targetRadius: Double?
    @Option(help: "Exponent m of cos^m θ (default: \(Self.d.energy.angleExponent)).") var angleExponent: Double?
    @Option(help: "Exponent λ of the segment lengths (default: \(Self.d.energy.lengthExponent)).") var lengthExponent: Double?
    @Option(help: "Length form: sum (1/(r^λ + r'^λ)) or product (1/(r r')) (default: \(Self.d.energy.lengthForm.rawValue)).")
    var lengthForm: EnergyParameters.LengthForm?
    @Option(help: "Largest kink that connects two segments, rad (default: \(Self.d.energy.maxAngle)).") var maxAngle: Double?
    @Flag(name: .customLong("helix-kinks"), inversion: .prefixedNo, help: "Barrel in a field: measure kinks against a helix from the beam line (default: on).")
    var helixKinks: Bool?
    @Option(help: "Helix kinks along a map with resolutions: error of the r-z kink (rad) above which it is scaled down to it; 0: off (default: \(Self.d.energy.rzResolution)).",
            transform: OptionRange.real(0...1))
    var rzResolution: Double?
    @Option(help: "Strip exclusion γ: penalty on two segments through two hits of one x strip (hits on one layer whose x agree within --strip-tolerance); 0: off (default: \(Self.d.energy.stripPenalty)).",
            transform: OptionRange.real(0...100))
    var stripPenalty: Double?
    @Option(help: "x tolerance (mm) within which two hits on one layer share a strip (default: \(Self.d.energy.stripTolerance)).",
            transform: OptionRange.real(0...100))
    var stripTolerance: Double?
    @Option(help: "Fork and join penalty α (default: \(Self.d.energy.alpha)).") var alpha: Double?
    @Option(help: "Global constraint strength β on (Σ V − N_hits)² (default: \(Self.d.energy.beta)).") var beta: Double?
    @Option(name: .customLong("t-initial"), help: "Initial temperature (default: 1 for both solvers).") var tInitial: Double?
    @Option(name: .customLong("mu-t"), help: "Cooling factor: T ← T / mu_t (default: 1.3 mean-field, 1.2 annealing).") var muT: Double?
    @Option(name: .customLong("t-min"), help: "Final temperature (default: 0.2 mean-field, 0.01 annealing).") var tMin: Double?
    @Option(name: .customLong("iters-fixed-t"), help: "Sweeps (mean-field, default 2) or flips (annealing, default 20000) per temperature.") var itersFixedT: Int?
    @Option(help: "Mean-field updates: asynchronous or synchronous (default: \(Self.d.meanField.update.rawValue)).") var update: MeanFieldAnnealing.Update?
    @Option(help: "Damping of synchronous updates (default: \(Self.d.meanField.damping)).") var damping: Double?
    @Option(help: "Convergence threshold on max |ΔV| (default: \(Self.d.meanField.tolerance)).") var tolerance: Double?
    @Option(help: "Activation above which a segment is on (default: \(Self.d.extraction.threshold)).") var threshold: Double?
    @Option(help: "Fewest hits of a track (default: \(Self.d.extraction.minHits)).") var minHits: Int?
    @Option(name: .customLong("layer-map"), help: "A layer map from ebm tracks map: segments follow its links (barrel and endcap disks); --geometry is then unused.")
    var layerMap: String?
    @Option(help: "Threads that build one event's segments with a layer map (default: \(Self.d.workers)).", transform: OptionRange.integer(1...1024))
    var threads: Int?
    @Option(help: "Which links the extraction accepts first: auto (heaviest along a layer map, else straightest), straightest or heaviest (default: auto).")
    var linkOrder: TrackExtractor.Configuration.LinkOrder?
    @Option(help: "Join chains broken at overlapping modules and complete them through candidate segments: auto (along a layer map), on or off (default: auto).")
    var overlapMerging: TrackExtractor.Configuration.Choice?
    @Option(help: "With overlap merging, a chain may take its missed first hit or an overlap hit from a chain of at most this many hits, which is then dropped; 0: never (default: \(Self.d.extraction.yieldingChainHits)).",
            transform: OptionRange.integer(0...1000))
    var yieldingChainHits: Int?
    @Flag(name: .customLong("second-pass"), inversion: .prefixedNo, help: "Run a second network on the hits the first one's confident tracks leave (default: off).")
    var secondPass: Bool?
    @Option(help: "Second pass: fewest hits of a first-pass track that is kept (default: \(SecondPass().minConfidentHits)).",
            transform: OptionRange.integer(2...1000))
    var confidentHits: Int?
    @Option(help: "Second pass: largest kink, rad (default: \(SecondPass().maxAngle)).", transform: OptionRange.real(1e-6...3.14159))
    var secondMaxAngle: Double?
    @Flag(name: .customLong("second-skip-layers"), inversion: .prefixedNo, help: "Second pass: also join hits two layers apart (default: on).")
    var secondSkipLayers: Bool?
    @Option(help: "Second pass: networks after the first, each on the hits the previous ones left (default: \(SecondPass().networks)).",
            transform: OptionRange.integer(1...10))
    var laterNetworks: Int?
    @Option(help: "Second pass: fewest hits of a track that a later network other than the last keeps (default: \(SecondPass().laterConfidentHits)).",
            transform: OptionRange.integer(2...1000))
    var laterConfidentHits: Int?
    @Option(help: "Second pass: keep only segments on a chain of at least this many hits (default: \(SecondPass().minChainHits)).",
            transform: OptionRange.integer(2...1000))
    var secondMinChainHits: Int?
    @Flag(name: .customLong("join-passes"), inversion: .prefixedNo, help: "Second pass: finally join tracks of all passes where one continues another (default: off).")
    var joinPasses: Bool?
    @Flag(name: .customLong("restore-short-tracks"), inversion: .prefixedNo,
          help: "Second pass: put back the first network's short tracks where the later networks split them (default: off).")
    var restoreShortTracks: Bool?

    /// The library defaults, shown in the help.
    private static let d = TrackFinderConfiguration()

    /// The option that sets each field of `TrackFinderConfiguration`.
    static let flags: ConfigurationFlags = {
        var names = [
            "cuts.maxLength": "--max-length", "cuts.minPT": "--min-pt", "cuts.magneticField": "--magnetic-field",
            "cuts.maxZ0": "--max-z0", "cuts.maxSlope": "--max-slope", "cuts.targetRadius": "--target-radius",
            "energy.angleExponent": "--angle-exponent", "energy.lengthExponent": "--length-exponent",
            "energy.maxAngle": "--max-angle", "energy.alpha": "--alpha", "energy.beta": "--beta",
            "meanField.damping": "--damping", "meanField.tolerance": "--tolerance",
            "extraction.threshold": "--threshold", "extraction.minHits": "--min-hits", "extraction.yieldingChainHits": "--yielding-chain-hits",
            "layerGraph": "--layer-map", "workers": "--threads", "presetOrFile": "--detector",
            "secondPass.minConfidentHits": "--confident-hits", "secondPass.maxAngle": "--second-max-angle",
            "cuts.minChainHits": "--min-chain-hits", "secondPass.minChainHits": "--second-min-chain-hits",
            "energy.rzResolution": "--rz-resolution", "energy.stripTolerance": "--strip-tolerance", "energy.stripPenalty": "--strip-penalty", "secondPass.joinAcrossPasses": "--join-passes", "secondPass.restoresShortTracks": "--restore-short-tracks", "secondPass.networks": "--later-networks",
            "secondPass.laterConfidentHits": "--later-confident-hits",
        ]
        for solver in ["meanField", "annealing"] {
            names[solver + ".schedule.initialTemperature"] = "--t-initial"
            names[solver + ".schedule.coolingFactor"] = "--mu-t"
            names[solver + ".schedule.minimumTemperature"] = "--t-min"
            names[solver + ".schedule.iterationsPerTemperature"] = "--iters-fixed-t"
        }
        return ConfigurationFlags(names)
    }()

    /// The starting configuration: the `--detector` preset or file, else the library defaults.
    ///
    /// - Throws: a usage error for a name that is neither a file nor a preset; `InputError` (exit 1)
    ///   for a configuration file that cannot be read or holds an unusable setting.
    func base() throws -> TrackFinderConfiguration {
        guard let detector else { return TrackFinderConfiguration() }
        return try Self.flags.map { try TrackFinderConfiguration.resolve(presetOrFile: detector) }
    }

    /// `base` with every option given on the command line applied (not yet checked).
    func configuration(over base: TrackFinderConfiguration) throws -> TrackFinderConfiguration {
        var c = base
        if let geometry { c.geometry = geometry }
        if let solver { c.solver = solver }
        if let skipLayers { c.cuts.skipLayers = skipLayers }
        if let maxLength { c.cuts.maxLength = maxLength }
        if let minPT { c.cuts.minPT = minPT }
        if let magneticField { c.cuts.magneticField = magneticField }
        if let maxZ0 { c.cuts.maxZ0 = maxZ0 }
        if let maxSlope { c.cuts.maxSlope = maxSlope }
        if let minChainHits { c.cuts.minChainHits = minChainHits }
        if let targetZ { c.cuts.targetZ = targetZ }
        if let targetRadius { c.cuts.targetRadius = targetRadius }
        if let angleExponent { c.energy.angleExponent = angleExponent }
        if let lengthExponent { c.energy.lengthExponent = lengthExponent }
        if let lengthForm { c.energy.lengthForm = lengthForm }
        if let maxAngle { c.energy.maxAngle = maxAngle }
        if let helixKinks { c.energy.helixKinks = helixKinks }
        if let rzResolution { c.energy.rzResolution = rzResolution }
        if let stripTolerance { c.energy.stripTolerance = stripTolerance }
        if let stripPenalty { c.energy.stripPenalty = stripPenalty }
        if let alpha { c.energy.alpha = alpha }
        if let beta { c.energy.beta = beta }
        for schedule in [\TrackFinderConfiguration.meanField.schedule, \TrackFinderConfiguration.annealing.schedule] {
            if let tInitial { c[keyPath: schedule].initialTemperature = tInitial }
            if let muT { c[keyPath: schedule].coolingFactor = muT }
            if let tMin { c[keyPath: schedule].minimumTemperature = tMin }
            if let itersFixedT { c[keyPath: schedule].iterationsPerTemperature = itersFixedT }
        }
        if let update { c.meanField.update = update }
        if let damping { c.meanField.damping = damping }
        if let tolerance { c.meanField.tolerance = tolerance }
        if let threshold { c.extraction.threshold = threshold }
        if let minHits { c.extraction.minHits = minHits }
        if let linkOrder { c.extraction.linkOrder = linkOrder }
        if let overlapMerging { c.extraction.overlapMerging = overlapMerging }
        if let yieldingChainHits { c.extraction.yieldingChainHits = yieldingChainHits }
        if let layerMap { c.layerGraph = try LayerGraph.read(layerMap) }
        if let threads { c.workers = threads }
        // The second pass: --second-pass turns it on (with the starting file's settings, else the
        // defaults), --no-second-pass off; its options change it whenever there is one.
        if let secondPass { c.secondPass = secondPass ? (c.secondPass ?? SecondPass()) : nil }
        if c.secondPass != nil {
            if let confidentHits { c.secondPass?.minConfidentHits = confidentHits }
            if let secondMaxAngle { c.secondPass?.maxAngle = secondMaxAngle }
            if let secondSkipLayers { c.secondPass?.skipLayers = secondSkipLayers }
            if let laterNetworks { c.secondPass?.networks = laterNetworks }
            if let laterConfidentHits { c.secondPass?.laterConfidentHits = laterConfidentHits }
            if let joinPasses { c.secondPass?.joinAcrossPasses = joinPasses }
            if let secondMinChainHits { c.secondPass?.minChainHits = secondMinChainHits }
            if let restoreShortTracks { c.secondPass?.restoresShortTracks = restoreShortTracks }
        }
        return c
    }

    /// The configuration these options describe, checked.
    ///
    /// - Throws: a usage error naming the option whose value the configuration refuses; `InputError`
    ///   for an unreadable `--detector` file or `--layer-map`.
    func checkedConfiguration() throws -> TrackFinderConfiguration {
        try checkedConfigurationAndBase().configuration
    }

    /// The configuration these options describe, checked, and the starting one it was made from.
    ///
    /// - Throws: as `checkedConfiguration()`.
    func checkedConfigurationAndBase() throws -> (configuration: TrackFinderConfiguration, base: TrackFinderConfiguration) {
        let base = try base()
        let c = try configuration(over: base)
        try Self.flags.map { try c.validate() }
        return (c, base)
    }

    /// The finder these options describe.
    ///
    /// - Throws: as `checkedConfiguration()`.
    func finder() throws -> TrackFinder {
        let c = try checkedConfiguration()
        return try Self.flags.map { try TrackFinder(c) }
    }
}
