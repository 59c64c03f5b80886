import ArgumentParser
import DBN
import EnergyCore
import Foundation

/// `ebm dbn eval`: accuracy and confusion matrix on labelled data.
struct DBNEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Print a DBN classifier's accuracy, confusion matrix and per-class accuracy.")

    @Option(help: "The model (.npz).") var model: String
    @Option(help: "Images.") var data: String
    @Option(help: "Labels.") var labels: String
    @Flag(help: "The model is a fine-tuning checkpoint (MODEL.checkpoint.npz): evaluate the network the run keeps (the best on the validation split; with none, the last, weight-averaged network), not its current weights.")
    var kept = false

    func run() throws {
        let (m, metadata) = try kept ? FineTuner.keptModel(inCheckpoint: model) : DBNModelFile.read(model)
        let (x, y) = try DBNCommand.load(images: data, labels: labels, classes: m.classes)
        let result = try m.evaluate(x, labels: y, source: data, labelSource: labels)
        let epochs = metadata.epochs.map { "; fine-tuned for \($0) epochs" } ?? ""
        print(String(format: "accuracy %.4f (error %.4f, %d of %d correct) on %@", result.accuracy, result.errorRate, result.correct, result.total, data) + epochs)
        print(result.table, terminator: "")
    }
}
