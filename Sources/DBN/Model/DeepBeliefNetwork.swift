import EnergyCore
import RBM

/// A deep belief network: the pretrained RBM stack (generative model) and the fine-tuned
/// feed-forward classifier unrolled from it (Hinton, Osindero & Teh 2006; Hinton & Salakhutdinov 2006).
public struct DeepBeliefNetwork: Sendable {
    /// The RBMs; nil for a network trained from random initialisation (no pretraining).
    public var stack: LayerStack?
    /// The classifier: sigmoid layers and a softmax output.
    public var classifier: FeedForwardNetwork

    public init(stack: LayerStack?, classifier: FeedForwardNetwork) {
        self.stack = stack
        self.classifier = classifier
    }

    /// Input size.
    public var inputs: Int { classifier.sizes.first ?? 0 }
    /// Number of classes.
    public var classes: Int { classifier.classes }

    /// The classifier's class probabilities for each row of `x`.
    ///
    /// - Throws: `InputError` naming `source` when the rows are not of the model's input size.
    public func probabilities(_ x: Matrix<Float>, source: String = "data") throws -> Matrix<Float> {
        guard x.columns == inputs else {
            throw InputError(file: source, "has \(x.columns) values per example; the model expects \(inputs)")
        }
        return classifier.probabilities(x)
    }

    /// The classifier's accuracy and confusion matrix on `x` with `labels`.
    ///
    /// - Throws: `InputError` naming `source` or `labelSource` for rows of the wrong size, a label
    ///   count that differs from the rows, or a label that is not a class of the model.
    public func evaluate(_ x: Matrix<Float>, labels: [Int], source: String = "data", labelSource: String = "labels") throws -> Classification {
        let p = try probabilities(x, source: source)
        try Classification.checkLabels(labels, rows: x.rows, classes: classes, source: labelSource)
        return Classification.evaluate(p, labels: labels)
    }
}
