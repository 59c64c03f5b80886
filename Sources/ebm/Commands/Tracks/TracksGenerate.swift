import ArgumentParser
import EnergyCore
import TrackFinding

/// `ebm tracks generate`: simulated events with truth, in TrackML format.
struct TracksGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Simulate events (planar fixed-target or TrackML barrel) with truth, in TrackML format.",
        discussion: """
        Writes PREFIX-hits.csv, PREFIX-truth.csv and PREFIX-particles.csv; with --events N > 1, \
        PREFIXnnnnnnnnn-hits.csv … for events 1…N (so PREFIX = DIR/event gives the layout that \
        `ebm tracks find --events DIR` reads). --noise is noise hits as a fraction of particle hits.
        """)

    @Option(help: "planar (EXCHARM-like, 6 chambers, no field) or barrel (TrackML barrel, 2 T).") var detector: EventGenerator.Detector
    @Option(help: "Particles per event.") var tracks: Int
    @Option(help: "Noise hits as a fraction of particle hits.") var noise = EventGenerator.Configuration().noise
    @Option(help: "Chance that a layer misses a particle's hit.") var inefficiency = EventGenerator.Configuration().inefficiency
    @Option(name: .customLong("pt-min"), help: "Barrel: lowest p_T, GeV.") var ptMin = EventGenerator.Configuration().minPT
    @Option(name: .customLong("pt-max"), help: "Barrel: highest p_T, GeV.") var ptMax = EventGenerator.Configuration().maxPT
    @Option(help: "Barrel: largest |η|.") var etaMax = EventGenerator.Configuration().maxEta
    @Option(help: "Events to write.") var events = 1
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output prefix.") var out: String

    /// The option that sets each field of `EventGenerator.Configuration`.
    static let flags = ConfigurationFlags(["tracks": "--tracks", "noise": "--noise", "inefficiency": "--inefficiency",
                                           "minPT": "--pt-min", "maxPT": "--pt-max", "maxEta": "--eta-max"])

    func validate() throws {
        if events < 1 { throw ValidationError("--events must be at least 1") }
    }

    func run() throws {
        let configuration = EventGenerator.Configuration(detector: detector, tracks: tracks, noise: noise, inefficiency: inefficiency,
                                                         minPT: ptMin, maxPT: ptMax, maxEta: etaMax)
        let generator = try Self.flags.map { try EventGenerator(configuration) }
        try generator.write(events: events, prefix: out, random: RandomSource(seed: seed)) { event in
            print("\(event.hitsFile): \(event.hitCount) hits, \(event.particleCount) particles, \(event.noiseHitCount) noise hits")
        }
    }
}
