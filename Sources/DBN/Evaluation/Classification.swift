import EnergyCore

/// Classification results: accuracy, confusion matrix and per-class accuracy.
public struct Classification: Equatable, Sendable {
    /// confusion[true][predicted] counts.
    public var confusion: [[Int]]

    public var total: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { confusion.indices.reduce(0) { $0 + confusion[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    public var errorRate: Double { 1 - accuracy }
    /// The fraction of each true class predicted correctly (recall per class).
    public var perClassAccuracy: [Double] {
        confusion.indices.map { c in
            let n = confusion[c].reduce(0, +)
            return n == 0 ? 0 : Double(confusion[c][c]) / Double(n)
        }
    }

    /// The arg-max class of each row of `probabilities`.
    public static func predictions(_ probabilities: Matrix<Float>) -> [Int] {
        (0..<probabilities.rows).map { r in
            var best = 0
            for c in 1..<probabilities.columns where probabilities[r, c] > probabilities[r, best] { best = c }
            return best
        }
    }

    /// Scores the arg-max predictions of `probabilities` against `labels`.
    public static func evaluate(_ probabilities: Matrix<Float>, labels: [Int]) -> Classification {
        let classes = probabilities.columns
        var confusion = Array(repeating: [Int](repeating: 0, count: classes), count: classes)
        for (r, p) in predictions(probabilities).enumerated() { confusion[labels[r]][p] += 1 }
        return Classification(confusion: confusion)
    }

    /// The confusion matrix and per-class accuracy as a text table.
    public var table: String {
        let classes = confusion.count
        var s = "true\\pred" + (0..<classes).map { String(format: "%6d", $0) }.joined() + "  accuracy\n"
        for c in 0..<classes {
            s += String(format: "%9d", c) + confusion[c].map { String(format: "%6d", $0) }.joined()
                + String(format: "  %.4f\n", perClassAccuracy[c])
        }
        return s
    }
}

extension Classification {
    /// Throws unless there is one label per example (`rows`), each a class in 0..<classes.
    ///
    /// - Throws: `InputError` naming `source` (and the record of a label out of range).
    static func checkLabels(_ labels: [Int], rows: Int, classes: Int, source: String = "labels") throws {
        guard labels.count == rows else { throw InputError(file: source, "has \(labels.count) labels; expected \(rows), one per example") }
        if let bad = labels.firstIndex(where: { !(0..<classes).contains($0) }) {
            throw InputError(file: source, .record(bad), "expected a class label 0–\(classes - 1), found \(labels[bad])")
        }
    }
}
