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
    @Option(help: "Number of hidden units to show.") var count = 100
    @Option(help: "Image shape HxW (default: square).") var shape: String?
    @Option(help: "The PNG to write.") var png: String

    func run() throws {
        try AtomicFile.checkOutput(png, isNotAnyOf: [model])
        let (rbm, _) = try RBMModelFile.read(model)
        let (h, w) = try RBMCommandSupport.imageShape(shape, visible: rbm.visibleCount)
        let shown = min(max(count, 1), rbm.hiddenCount)
        // Row j of Wᵀ is hidden unit j's filter.
        let filters = rbm.weights.transposed.rows(0..<shown)
        try GrayImage.grid(tiles: filters, tileWidth: w, tileHeight: h, scale: 2, scaling: .perTile).write(to: png)
        print("wrote the filters of \(shown) hidden units to \(png)")
    }
}
