import ArgumentParser
import EnergyCore
import Foundation
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

    @Option(help: "planar (EXCHARM-like, 6 chambers, no field) or barrel (TrackML barrel, 2 T).") var detector: String
    @Option(help: "Particles per event.") var tracks: Int
    @Option(help: "Noise hits as a fraction of particle hits.") var noise = 0.1
    @Option(help: "Chance that a layer misses a particle's hit.") var inefficiency = 0.0
    @Option(name: .customLong("pt-min"), help: "Barrel: lowest p_T, GeV.") var ptMin = 0.5
    @Option(name: .customLong("pt-max"), help: "Barrel: highest p_T, GeV.") var ptMax = 10.0
    @Option(help: "Barrel: largest |η|.") var etaMax = 1.0
    @Option(help: "Events to write.") var events = 1
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output prefix.") var out: String

    func run() throws {
        guard let d = EventGenerator.Detector(rawValue: detector) else { throw InputError(file: "--detector", "expected planar or barrel, got '\(detector)'") }
        guard events >= 1 else { throw InputError(file: "--events", "expected at least 1 event, got \(events)") }
        var g = EventGenerator(detector: d, tracks: tracks, noise: noise)
        g.inefficiency = inefficiency
        g.minPT = ptMin
        g.maxPT = ptMax
        g.maxEta = etaMax
        let random = RandomSource(seed: seed)
        let dir = (out as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        for e in 1...events {
            let event = try g.generate(random: random)
            let prefix = events == 1 ? out : out + String(format: "%09d", e)
            try event.write(prefix: prefix)
            print("\(prefix)-hits.csv: \(event.hits.count) hits, \(event.particles.count) particles, "
                  + "\(event.truth.filter { $0.particleID == 0 }.count) noise hits")
        }
    }
}
