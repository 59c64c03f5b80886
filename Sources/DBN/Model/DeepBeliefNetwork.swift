import EnergyCore
import RBM

/// A deep belief network: the pretrained RBM stack (generative model) and the fine-tuned
/// feed-forward classifier unrolled from it (Hinton, Osindero & Teh 2006; Hinton & Salakhutdinov 2006).
public struct DeepBeliefNetwork: Sendable {
    /// The RBMs; nil for a network trained from random initialisation (`--no-pretrain`).
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
}
