import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm bench rbm`: the time of one training epoch, and the GFLOP/s it reaches.
struct RBMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbm",
        abstract: "Time one CD-k epoch over a data set and report GFLOP/s against the sgemm peak.",
        discussion: "A CD-k mini-batch costs 2k + 3 GEMMs of B×D×H multiply-adds (the positive phase, k Gibbs steps of two products, and the two gradient products); GFLOP/s counts those, as dense products. Sparse batches (MNIST) skip the multiply-adds by zero, so this dense-equivalent rate can exceed the sgemm peak.")

    @Option(help: "Training data.") var data = "Data/mnist/train-images-idx3-ubyte.gz"
    @Option(help: "Hidden units.", transform: OptionRange.integer(1...100_000)) var hidden = 500
    @Option(help: "Mini-batch size.", transform: OptionRange.integer(1...1_000_000)) var batch = 100
    @Option(name: .customLong("cd"), help: "Gibbs steps k.", transform: OptionRange.integer(1...10_000)) var steps = 1
    @Option(help: "Epochs to time (the best is reported).", transform: OptionRange.integer(1...1000)) var repeats = 2
    @Option(help: "Random seed.") var seed: UInt64 = 1

    /// The option that sets each field of `RBMTrainer.Configuration` (and `hidden`).
    static let flags = ConfigurationFlags(["sampling.steps": "--cd", "batchSize": "--batch", "epochs": "--repeats", "hidden": "--hidden"])

    func run() throws {
        let x = try DataMatrix.load(data)
        // Plain CD-k, as the peers it is compared with run it: uncentred, whatever the training default.
        let config = RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: steps), epochs: repeats, batchSize: batch, seed: seed,
                                              centring: false)
        let trainer = try Self.flags.map { try RBMTrainer(hidden: hidden, data: x, configuration: config) }
        var best = Double.infinity
        try trainer.train(data: x) { best = min(best, $0.seconds) }
        let gemms = Double(2 * steps + 3)
        let flops = gemms * 2 * Double(x.rows) * Double(x.columns) * Double(hidden)
        let peak = BLASProbe.timeGemm(Float.self, n: 2048, repeats: 3).gflops
        print(String(format: "ebm CD-%d epoch: %d×%d, %d hidden, batch %d, %d threads: %.2f s (best of %d), %.1f GFLOP/s dense-equivalent = %.0f%% of sgemm peak %.1f GFLOP/s",
                     steps, x.rows, x.columns, hidden, batch, BLAS.threads, best, repeats, flops / best / 1e9,
                     100 * flops / best / 1e9 / peak, peak))
    }
}
