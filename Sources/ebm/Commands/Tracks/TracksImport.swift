import ArgumentParser
import EnergyCore
import Foundation
import TrackFinding

/// `ebm tracks import`: other data sets' event files as TrackML hit and truth files.
struct TracksImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert other event formats to TrackML hit and truth files (JINR's SPD simulation output).",
        discussion: """
        --spdsim FILE: the output of datasets/spdsim.py of JINR's hopfield-tracking repository (tab-separated, \
        no header: evt, x, y, z, station, trk, px, py, pz, vtxx, vtxy, vtxz). Each event is written as \
        PREFIXnnnnnnnnn-hits.csv and -truth.csv (nnnnnnnnn: its evt), the station as the layer, weights 1 per \
        track hit (normalised), 0 per noise hit, as that repository scores them. With --out DIR/event the \
        folder works with ebm tracks find --events and ebm tracks tune --events.
        """)

    @Option(help: "An SPD simulation file (datasets/spdsim.py output).") var spdsim: String
    @Option(help: "Output prefix.") var out: String

    func run() throws {
        let written = try SPDSimFile.convert(spdsim, prefix: out)
        print("\(spdsim): \(written.count) event(s) written as \(out)nnnnnnnnn-hits.csv and -truth.csv")
    }
}
