import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm rbm sample`: Gibbs chains from an RBM, written as an image grid.
struct RBMSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Run Gibbs chains and write their final visible means as a PNG grid.",
        discussion: "Each chain starts from uniform random binary states and runs --steps alternating Gibbs steps h ~ P(h|v), v ~ P(v|h); the image shows E[v | h] of the last step.")

    @Option(help: "The model file.") var model: String
    @Option(help: "Number of chains (images).", transform: OptionRange.integer(1...10_000)) var count = 64
    @Option(help: "Gibbs steps per chain.", transform: OptionRange.integer(1...100_000_000)) var steps = 1000
    @Option(help: "Image shape HxW (default: square).") var shape: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "The PNG to write.") var png: String

    func run() throws {
        try AtomicFile.checkOutput(png, isNotAnyOf: [model])
        let (rbm, _) = try RBMModelFile.read(model)
        let (h, w) = try RBMCommandSupport.imageShape(shape, visible: rbm.visibleCount)
        let samples = RBMSampler.gibbsChains(rbm, count: count, steps: steps, random: RandomSource(seed: seed))
        let scaling: GrayImage.Scaling = rbm.visibleUnits == .bernoulli ? .unitInterval : .perTile
        try GrayImage.grid(tiles: samples, tileWidth: w, tileHeight: h, scale: 2, scaling: scaling).write(to: png)
        print("wrote \(count) samples after \(steps) Gibbs steps to \(png)")
    }
}
