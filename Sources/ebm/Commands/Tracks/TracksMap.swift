import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import TrackFinding

/// `ebm tracks map`: the layer graph of a detector, from its geometry or from truth.
struct TracksMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Build a layer map (which layer can follow which) for ebm tracks find --layer-map.",
        discussion: """
        From the geometry: --detector trackml-full, trackml-barrel or a detector JSON file; helices of p_T ≥ --min-pt \
        from vertices within --max-z0 of the origin are propagated over |η| ≤ --max-eta and the layers each \
        crosses, in order, give the links (and the links that skip one layer). From truth: --events DIR with \
        eventNNN-hits.csv and eventNNN-truth.csv; the layer pairs that particles (of p_T ≥ --min-pt, if given) \
        connect, kept when at least --min-count particles make them.
        """)

    @Option(help: "Detector: trackml-full, trackml-barrel or a detector JSON file.") var detector: String?
    @Option(help: "A folder of events with truth to learn the map from.") var events: String?
    @Option(name: .customLong("min-pt"), help: "Lowest p_T of the tracks that make links, GeV (default: 0.5 from geometry, all from truth).",
            transform: OptionRange.real(0...1000)) var minPT: Double?
    @Option(name: .customLong("max-z0"), help: "Geometry: largest |z0| of the vertices, mm.", transform: OptionRange.real(0...10_000))
    var maxZ0 = LayerGraph.Propagation().maxZ0
    @Option(help: "Geometry: largest |η| propagated.", transform: OptionRange.real(0.01...10)) var maxEta = LayerGraph.Propagation().maxEta
    @Option(help: "Truth: fewest particles that make a link.", transform: OptionRange.integer(1...1_000_000)) var minCount = 1
    @Option(help: "The layer map (JSON) to write.") var output: String

    static let flags = ConfigurationFlags(["minPT": "--min-pt", "maxZ0": "--max-z0", "maxEta": "--max-eta"])

    func validate() throws {
        if (detector == nil) == (events == nil) { throw ValidationError("give either --detector NAME|FILE or --events DIR") }
    }

    func run() throws {
        let graph: LayerGraph
        if let events {
            try AtomicFile.checkOutput(output, isNotAnyOf: [])
            graph = try LayerGraph(truthOf: EventFolder(events), minPT: minPT ?? 0, minCount: minCount)
        } else if let detector {
            try AtomicFile.checkOutput(output, isNotAnyOf: [detector])
            let description: DetectorDescription
            switch detector {
            case "trackml-full": description = .trackMLFull
            case "trackml-barrel": description = .trackMLBarrel
            default: description = try DetectorDescription.read(detector)
            }
            let propagation = LayerGraph.Propagation(minPT: minPT ?? LayerGraph.Propagation().minPT, maxZ0: maxZ0, maxEta: maxEta)
            graph = try Self.flags.map { try LayerGraph(detector: description, propagation: propagation) }
        } else {
            return
        }
        try graph.write(to: output)
        let skips = graph.links.filter { $0.step == 2 }.count
        print("\(output): \(graph.layers.count) layers, \(graph.links.count) links (\(skips) skipping a layer); \(graph.source)")
    }
}
