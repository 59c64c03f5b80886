import ArgumentParser
import EnergyFormats
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
        let finder = try self.finder.finder()
        let drawing = frames ? try EventDisplay.annealingFrames(hitsFile: hits, finder: finder, seed: seed)
                             : try EventDisplay.drawing(hitsFile: hits, submission: submission, truth: truth, geometry: finder.configuration.geometry)
        try AtomicFile.write(drawing.svg, to: out)
        print(frames ? "\(out): \(drawing.frameCount) frames of \(drawing.neuronCount) neurons"
                     : "\(out): \(drawing.hitCount) hits, \(drawing.trackCount) tracks")
    }
}
