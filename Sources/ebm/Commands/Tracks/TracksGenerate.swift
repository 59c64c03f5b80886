import ArgumentParser
import EnergyCore
import TrackFinding

/// `ebm tracks generate`: simulated events with truth, in TrackML format.
struct TracksGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Simulate events (planar fixed-target, TrackML barrel, or the full TrackML-like detector with pile-up) with truth, in TrackML format.",
        discussion: """
        Writes PREFIX-hits.csv, PREFIX-truth.csv and PREFIX-particles.csv; with --events N > 1, \
        PREFIXnnnnnnnnn-hits.csv … for events 1…N (so PREFIX = DIR/event gives the layout that \
        `ebm tracks find --events DIR` reads). --noise is noise hits as a fraction of particle hits.
        planar, barrel and bmn take --tracks; bmn events have the ghost points of two-view strip \
        readout (every crossing of a fired strip of each view on a station) besides --noise; full takes --pileup (collisions per event, about 48 charged \
        particles each over |η| ≤ 4, ⟨p_T⟩ = 0.5 GeV; μ = 200 gives about 10,000 particles and \
        100,000 hits with 10% noise). --focus-pt X gives truth weight only to particles with \
        p_T ≥ X GeV (and, always, at least 4 hits).
        """)

    @Option(help: "planar (EXCHARM-like, 6 chambers, no field), barrel (TrackML barrel, 2 T), full (TrackML-like barrel and endcaps, pile-up) or bmn (BM@N-like silicon and GEM stations in a dipole field, strip-crossing ghosts).")
    var detector: EventGenerator.Detector
    @Option(help: "planar, barrel, bmn: particles per event.") var tracks: Int?
    @Option(help: "full: collisions per event (exactly this many).", transform: OptionRange.integer(0...10_000))
    var pileup = EventGenerator.Configuration().pileup
    @Option(name: .customLong("dn-deta"), help: "full: charged particles per unit of η per collision.", transform: OptionRange.real(0...1000))
    var dnDeta = EventGenerator.Configuration().multiplicity
    @Option(help: "full: chance that a crossing also leaves a hit in the overlapping module.", transform: OptionRange.real(0...1))
    var overlap = EventGenerator.Configuration().overlap
    @Option(help: "full: neutral decays into a charged pair, as a fraction of the primary particles.", transform: OptionRange.real(0...1))
    var secondaries = EventGenerator.Configuration().secondaries
    @Option(name: .customLong("detector-file"), help: "full: a detector description (JSON) instead of the TrackML-like detector.")
    var detectorFile: String?
    @Option(name: .customLong("focus-pt"), help: "Truth weight only for particles with p_T ≥ this, GeV.", transform: OptionRange.real(0...1_000_000))
    var focusPT = EventGenerator.Configuration().focusPT
    @Option(help: "Noise hits as a fraction of particle hits.") var noise = EventGenerator.Configuration().noise
    @Option(help: "Chance that a layer misses a particle's hit.") var inefficiency = EventGenerator.Configuration().inefficiency
    @Option(name: .customLong("pt-min"), help: "Barrel: lowest p_T, GeV (bmn: lowest momentum p).") var ptMin = EventGenerator.Configuration().minPT
    @Option(name: .customLong("pt-max"), help: "Barrel: highest p_T, GeV (bmn: highest momentum p).") var ptMax = EventGenerator.Configuration().maxPT
    @Option(help: "Barrel, full: largest |η| (default 1 for barrel, 4 for full).", transform: OptionRange.real(0...10)) var etaMax: Double?
    @Flag(inversion: .prefixedNo, help: "bmn: the ghost points of two-view strip readout (default: on).") var ghosts = true
    @Option(help: "Events to write.", transform: OptionRange.integer(1...1_000_000)) var events = 1
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output prefix.") var out: String

    /// The option that sets each field of `EventGenerator.Configuration`.
    static let flags = ConfigurationFlags(["tracks": "--tracks", "noise": "--noise", "inefficiency": "--inefficiency",
                                           "minPT": "--pt-min", "maxPT": "--pt-max", "maxEta": "--eta-max", "pileup": "--pileup",
                                           "multiplicity": "--dn-deta", "overlap": "--overlap", "secondaries": "--secondaries",
                                           "focusPT": "--focus-pt", "detectorDescription": "--detector-file"])

    func validate() throws {
        if detector == .full, tracks != nil { throw ValidationError("--tracks is for planar, barrel and bmn; the full detector's particles come from --pileup") }
        if detector != .full, tracks == nil { throw ValidationError("--tracks is required for --detector \(detector.rawValue)") }
        if detector != .full, detectorFile != nil { throw ValidationError("--detector-file is for --detector full") }
    }

    func run() throws {
        let description = try detectorFile.map { try DetectorDescription.read($0) }
        let configuration = EventGenerator.Configuration(detector: detector, tracks: tracks ?? 0, noise: noise, inefficiency: inefficiency,
                                                         minPT: ptMin, maxPT: ptMax, maxEta: etaMax, pileup: pileup, multiplicity: dnDeta,
                                                         secondaries: secondaries, overlap: overlap, detectorDescription: description,
                                                         focusPT: focusPT, ghosts: ghosts)
        let generator = try Self.flags.map { try EventGenerator(configuration) }
        try generator.write(events: events, prefix: out, random: RandomSource(seed: seed)) { event in
            print("\(event.hitsFile): \(event.hitCount) hits, \(event.particleCount) particles, \(event.noiseHitCount) noise hits")
        }
    }
}
