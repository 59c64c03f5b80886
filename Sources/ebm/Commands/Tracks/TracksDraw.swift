import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import TrackFinding

/// `ebm tracks draw`: an SVG event display.
struct TracksDraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw an event as SVG: hits, tracks (from a submission or the truth) and noise.",
        discussion: "--frames runs the finder and draws the neurons' activity at several temperatures instead.")

    @Option(help: "Hits of the event.") var hits: String
    @Option(help: "A submission whose tracks to draw.") var submission: String?
    @Option(help: "A truth file whose particles to draw.") var truth: String?
    @Flag(help: "Draw neuron activity during annealing.") var frames = false
    @Option(help: "Random seed (for --frames).") var seed: UInt64 = 1
    @Option(help: "The SVG to write.") var out: String
    @OptionGroup var finder: FinderOptions

    func run() throws {
        try AtomicFile.checkOutput(out, isNotAnyOf: [hits] + [submission, truth].compactMap { $0 })
        let event = try HitFile.read(hits)
        let name = (hits as NSString).lastPathComponent
        let configuration = finder.configuration
        let layout = LayerLayout(hits: event, geometry: configuration.geometry)
        if frames {
            var snapshots: [(Int, AnnealingStep, [Double])] = []
            let r = try finder.finder().reconstruct(event, random: TracksFind.random(seed: seed, for: hits)) { snapshots.append(($0, $1, $2)) }
            let picks = Set([0, snapshots.count / 4, snapshots.count / 2, 3 * snapshots.count / 4, snapshots.count - 1].filter { $0 >= 0 })
            let chosen = snapshots.filter { picks.contains($0.0) }.map {
                (label: String(format: "step %d, T = %.3g, %d with V > 0.5", $0.0, $0.1.temperature, $0.1.active), activations: $0.2)
            }
            try AtomicFile.write(EventDisplay.frames(hits: event, segments: r.network.segments, geometry: layout.geometry, frames: chosen), to: out)
            print("\(out): \(chosen.count) frames of \(r.network.count) neurons")
            return
        }
        var groups: [[Int]] = []
        if let submission {
            let ids = try SubmissionFile.read(submission, matching: event, hitsFile: hits)
            groups = Self.groups(ids, event)
        } else if let truth {
            let t = try TruthFile.read(truth, matching: event, hitsFile: hits)
            groups = Self.groups(t.map(\.particleID), event)
        }
        try AtomicFile.write(EventDisplay.svg(hits: event, groups: groups, geometry: layout.geometry, title: name), to: out)
        print("\(out): \(event.count) hits, \(groups.count) tracks")
    }

    /// Hits grouped by a nonzero label, each group in flight order.
    static func groups(_ labels: [Int], _ hits: [Hit]) -> [[Int]] {
        Hit.groups(byLabel: labels).map { hits.flightOrdered($0.members) }
    }
}
