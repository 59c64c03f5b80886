import ArgumentParser
import DBN
import EnergyCore
import EnergyFormats
import Foundation

/// `ebm dbn predict`: class probabilities per image, as CSV.
struct DBNPredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Write index,label,p0,p1,… (one probability per class) for every image.")

    @Option(help: "The model (.npz).") var model: String
    @Option(help: "Images.") var data: String
    @Option(help: "The CSV to write.") var out: String

    func run() throws {
        try AtomicFile.checkOutput(out, isNotAnyOf: [model, data])
        let (m, _) = try DBNModelFile.read(model)
        let x = try DataMatrix.load(data)
        let p = try m.probabilities(x, source: data)
        let predicted = Classification.predictions(p)
        let header = ["index", "label"] + (0..<m.classes).map { "p\($0)" }
        let rows = (0..<x.rows).map { r in ["\(r)", "\(predicted[r])"] + (0..<m.classes).map { String(format: "%.6g", p[r, $0]) } }
        try AtomicFile.write(CSVTable.format(header: header, rows: rows), to: out)
        print("wrote \(out): \(x.rows) predictions")
    }
}
