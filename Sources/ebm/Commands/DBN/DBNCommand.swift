import ArgumentParser
import DBN
import EnergyCore
import EnergyFormats
import Foundation

/// `ebm dbn`: deep belief networks.
struct DBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dbn",
        abstract: "Pretrain deep belief networks greedily from RBMs, fine-tune them as classifiers, sample them.",
        subcommands: [DBNTrain.self, DBNEval.self, DBNPredict.self, DBNGenerate.self])

    /// Images and their labels, checked against each other.
    static func load(images: String, labels: String, limit: Int? = nil) throws -> (Matrix<Float>, [Int]) {
        var x = try DataMatrix.load(images)
        var y = try DataMatrix.loadLabels(labels)
        guard y.count == x.rows else {
            throw InputError(file: labels, "has \(y.count) labels; expected \(x.rows), one per image in \(images)")
        }
        if let limit, limit < x.rows {
            x = x.rows(0..<limit)
            y = Array(y[0..<limit])
        }
        return (x, y)
    }

    /// Throws unless `x` has the model's input size.
    static func check(_ x: Matrix<Float>, file: String, model: DeepBeliefNetwork, modelFile: String) throws {
        guard x.columns == model.inputs else {
            throw InputError(file: file, "has \(x.columns) values per example; the model \(modelFile) expects \(model.inputs)")
        }
    }
}
