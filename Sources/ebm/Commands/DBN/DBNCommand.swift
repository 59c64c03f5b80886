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

    /// Images and their labels, checked against each other: labels are classes 0..<`classes`
    /// (any non-negative integers when nil), one per image.
    static func load(images: String, labels: String, classes: Int? = nil, limit: Int? = nil) throws -> (Matrix<Float>, [Int]) {
        var x = try DataMatrix.load(images)
        var y = try DataMatrix.loadLabels(labels, classes: classes ?? .max)
        guard y.count == x.rows else {
            throw InputError(file: labels, "has \(y.count) labels; expected \(x.rows), one per image in \(images)")
        }
        if let limit, limit < x.rows {
            x = x.rows(0..<limit)
            y = Array(y[0..<limit])
        }
        return (x, y)
    }
}
