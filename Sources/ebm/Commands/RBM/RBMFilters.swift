import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import RBM

/// `ebm rbm filters`: the receptive fields of the first hidden units, as image tiles.
struct RBMFilters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "Write the first hidden units' weights W[:, j] as a PNG grid of image tiles.")

    @Option(help: "The model file.") var model: String
    @Option(help: "Number of hidden units to show.", transform: OptionRange.integer(1...100_000)) var count = 100
    @Option(help: "Image shape HxW (default: square).") var shape: String?
    @Option(help: "The PNG to write.") var png: String

    func run() throws {
        try AtomicFile.checkOutput(png, isNotAnyOf: [model])
        let (rbm, _) = try RBMModelFile.read(model)
        let (h, w) = try RBMCommandSupport.imageShape(shape, visible: rbm.visibleCount)
        let filters = rbm.filters(count: count)
        try GrayImage.grid(tiles: filters, tileWidth: w, tileHeight: h, scale: 2, scaling: .perTile).write(to: png)
        print("wrote the filters of \(filters.rows) hidden units to \(png)")
    }
}
