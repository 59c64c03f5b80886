import EnergyCore
import Foundation
import RBM

/// The settings of greedy layer-wise pretraining.
public struct PretrainingConfiguration: Codable, Equatable, Sendable {
    /// Hidden sizes, bottom first. Default 500, 500, 2000 (Hinton, Osindero & Teh 2006).
    public var layers = [500, 500, 2000]
    /// The training of each layer's RBM, bottom first (one entry per layer), by the RBM module's
    /// trainer. The default follows Hinton & Salakhutdinov (2006): CD-1, learning rate 0.1, momentum
    /// 0.5 rising to 0.9 after 5 epochs, weight decay 0.0002, batch 100, 20 epochs; a label-joined
    /// top layer gets CD-10 for 10 epochs instead (`associativeTopSteps`, `associativeTopEpochs`).
    public var training: [RBMTrainer.Configuration]
    /// Unit type of the first layer's visible units (Gaussian for standardised real-valued data).
    public var visibleUnits = VisibleUnits.bernoulli
    /// Train the top RBM on the penultimate layer joined to one-hot label units, the associative
    /// memory of Hinton et al. (2006) that `DBNGenerator` samples class-conditionally. Default true.
    /// Set it through `init` so that the top layer's default sampler follows it.
    public var generativeTop = true

    /// Gibbs steps per update of a label-joined top RBM by default. Longer negative chains than
    /// CD-1 (Hinton, Osindero & Teh 2006 ran up to CD-10 for the associative memory) let the label
    /// units shape the top RBM's modes: with CD-1, chains clamped to a label drift into the basins
    /// of other digits (`docs/dbn.md`, Generation).
    public static let associativeTopSteps = 10
    /// Epochs of a label-joined top RBM by default (each costs about 3.7 CD-1 epochs).
    public static let associativeTopEpochs = 10

    /// The default settings for hidden sizes `layers`.
    ///
    /// - Parameters:
    ///   - epochs: one count for every layer, or one per layer; `nil` for the defaults (20 per layer,
    ///     `associativeTopEpochs` for a label-joined top).
    ///   - generativeTop: whether the top RBM is joined to the labels.
    public init(layers: [Int] = [500, 500, 2000], epochs: [Int]? = nil, generativeTop: Bool = true) {
        self.layers = layers
        self.generativeTop = generativeTop
        training = layers.indices.map { k in
            let associative = generativeTop && k == layers.count - 1
            var c = RBMTrainer.Configuration()
            if let epochs, !epochs.isEmpty {
                c.epochs = epochs[min(k, epochs.count - 1)]
            } else {
                c.epochs = associative ? Self.associativeTopEpochs : 20
            }
            c.sampling = .contrastiveDivergence(steps: associative ? Self.associativeTopSteps : 1)
            c.learningRate = 0.1
            c.decay = .none
            c.initialMomentum = 0.5
            c.finalMomentum = 0.9
            c.momentumRampEpochs = 5
            return c
        }
    }

    public func validate() throws {
        guard !layers.isEmpty, layers.allSatisfy({ $0 >= 1 }) else { throw InputError(file: "--layers", "expected positive layer sizes, e.g. 500,500,2000") }
        guard training.count == layers.count else { throw InputError(file: "--pretrain-epochs", "expected one setting per layer (\(layers.count))") }
        for t in training { try t.validate() }
    }
}

/// Greedy layer-wise pretraining (Hinton, Osindero & Teh 2006): RBM 1 on the data, RBM 2 on RBM 1's
/// hidden probabilities, and so on; with `generativeTop`, the top RBM sees the penultimate layer
/// and the one-hot labels together.
public enum Pretraining {
    /// The input of layer `k`: `x`, joined to one-hot `labels` for a generative top layer.
    static func layerInput(_ x: Matrix<Float>, labels: [Int], classes: Int, top: Bool, generativeTop: Bool) -> Matrix<Float> {
        guard top, generativeTop else { return x }
        var joined = Matrix<Float>(rows: x.rows, columns: x.columns + classes)
        for r in 0..<x.rows {
            for c in 0..<x.columns { joined[r, c] = x[r, c] }
            joined[r, x.columns + labels[r]] = 1
        }
        return joined
    }

    /// Trains the stack from `startingWith` (already trained lower layers, e.g. from a resumed run).
    /// `onLayer` sees each finished stack; `onEpoch` each RBM epoch report.
    public static func run(data: Matrix<Float>, labels: [Int], classes: Int, configuration: PretrainingConfiguration,
                           startingWith done: [RestrictedBoltzmannMachine] = [], random: RandomSource, progress: (any ProgressObserver)? = nil,
                           onEpoch: (Int, RBMTrainer.EpochReport) -> Void = { _, _ in },
                           onLayer: ([RestrictedBoltzmannMachine]) throws -> Void = { _ in }) throws -> LayerStack {
        try configuration.validate()
        var rbms = done
        var x = data
        if done.count < configuration.layers.count {
            // The input of the first layer still to train (the top, which may hold label units, is never below one).
            for rbm in done { x = rbm.hiddenProbabilities(x) }
        }
        // Each layer draws its own stream from `random`; skipping the finished layers' draws keeps a
        // resumed run on exactly the stream of an uninterrupted one.
        for _ in done.indices { _ = random.split() }
        for k in done.count..<configuration.layers.count {
            let top = k == configuration.layers.count - 1
            let input = layerInput(x, labels: labels, classes: classes, top: top, generativeTop: configuration.generativeTop)
            let units: VisibleUnits = k == 0 ? configuration.visibleUnits : .bernoulli
            let settings = configuration.training[k]
            let layerRandom = random.split()
            let trainer = try RBMTrainer(model: .initialized(visible: input.columns, hidden: configuration.layers[k], visibleUnits: units,
                                                             data: input, weightScale: settings.initialWeightScale, random: layerRandom),
                                         configuration: settings, random: layerRandom)
            for _ in 0..<settings.epochs {
                let report = try trainer.trainEpoch(input, progress: progress.map { LabelledProgress("layer \(k + 1)", $0) })
                onEpoch(k, report)
            }
            rbms.append(trainer.model)
            try onLayer(rbms)
            if !top { x = trainer.model.hiddenProbabilities(x) }
        }
        return try LayerStack(rbms, labelUnits: configuration.generativeTop ? classes : 0)
    }
}
