import EnergyCore
import Foundation
import RBM

/// The settings of supervised fine-tuning by backpropagation.
public struct FineTuningConfiguration: Codable, Equatable, Sendable {
    /// Epochs of the linear learning-rate decay. Default 140: on MNIST the averaged network's
    /// validation error is still at its lowest in the last, low-rate epochs, and 140 epochs of the
    /// default network fit in the 30-minute budget with pretraining (docs/dbn.md).
    public var epochs = 140
    public var batchSize = 100
    public var optimizer = OptimizerKind.sgd
    /// Initial learning rate ε; the default is `defaultLearningRate(for: .sgd, pretrained: true)`.
    public var learningRate = FineTuningConfiguration.defaultLearningRate(for: .sgd, pretrained: true)
    /// How ε falls over the epochs (linear: to 0 at the last epoch).
    public var decay = LearningRateDecay.linear
    /// Momentum μ (SGD). Default 0.9.
    public var momentum = 0.9
    /// L2 weight decay λ. Default 0.
    public var weightDecay = 0.0
    /// Dropout probability of the input units. Default 0.2.
    public var inputDropout = 0.2
    /// Dropout probability of the hidden units. Default 0.5.
    public var hiddenDropout = 0.5
    /// Stop after this many epochs without a better validation error; nil (the default) runs every
    /// epoch. The network with the lowest validation error is kept either way. With the linear decay
    /// the best networks come in the last, low-rate epochs, after plateaus of 50 epochs and more at
    /// high rates, so stopping on a plateau would end the run before them.
    public var patience: Int?
    /// Decay α of the exponential moving average of the weights, w̄ ← α w̄ + (1 − α) w after every
    /// step (Polyak & Juditsky 1992); the average is what is validated, kept and saved. Default
    /// 0.999 (a horizon of about 1,000 steps); nil trains and keeps the weights themselves.
    public var averaging: Double? = 0.999
    public var seed: UInt64 = 1

    public init() {}

    /// The default ε. SGD from a pretrained stack: 0.5 (sigmoid units, mean cross-entropy); on
    /// MNIST, 20-epoch runs from the same pretrained stack reach 1.76% validation error with 0.1,
    /// 1.43% with 0.3 and 1.36% with 1.0, while 3.0 is unstable (docs/dbn.md). SGD from random
    /// initialisation: 0.1, since at 0.5 the same network with dropout stays at chance. Adam: 0.001
    /// (Kingma & Ba 2015).
    public static func defaultLearningRate(for optimizer: OptimizerKind, pretrained: Bool) -> Double {
        switch optimizer {
        case .sgd: pretrained ? 0.5 : 0.1
        case .adam: 0.001
        }
    }

    /// ε at `epoch` (0-based).
    public func learningRate(epoch: Int) -> Double { decay.rate(learningRate, epoch: epoch, of: epochs) }

    /// Throws `InputError` naming the option of the first unusable setting.
    public func validate() throws {
        guard epochs >= 1 else { throw InputError(file: "--finetune-epochs", "expected at least 1 epoch, found \(epochs)") }
        guard batchSize >= 1 else { throw InputError(file: "--batch", "expected a batch of at least 1, found \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw InputError(file: "--lr", "expected a learning rate > 0, found \(learningRate)") }
        guard momentum >= 0, momentum < 1 else { throw InputError(file: "--momentum", "expected a momentum in [0, 1), found \(momentum)") }
        guard weightDecay >= 0 else { throw InputError(file: "--weight-decay", "expected a weight decay ≥ 0, found \(weightDecay)") }
        for (name, p) in [("input-dropout", inputDropout), ("dropout", hiddenDropout)] where !(p >= 0 && p < 1) {
            throw InputError(file: "--\(name)", "expected a probability in [0, 1), found \(p)")
        }
        if let patience, patience < 1 { throw InputError(file: "--patience", "expected at least 1 epoch, found \(patience)") }
        if let averaging, !(averaging > 0 && averaging < 1) {
            throw InputError(file: "--averaging", "expected a decay in (0, 1), or 0 for no averaging, found \(averaging)")
        }
    }
}

/// What one fine-tuning epoch did.
public struct FineTuningReport: Codable, Sendable {
    public var epoch: Int
    public var learningRate: Double
    /// Mean training cross-entropy over the epoch's batches (with dropout), nats.
    public var trainingLoss: Double
    /// Validation error rate of the network being kept (the averaged one when averaging), when there is validation data.
    public var validationError: Double?
    /// Validation error rate of the current, not averaged, weights (only when averaging).
    public var currentValidationError: Double?
    public var seconds: Double
}

/// Mini-batch backpropagation of a `FeedForwardNetwork` with early stopping on a validation split
/// (Hinton & Salakhutdinov 2006 fine-tune a pretrained DBN this way; dropout as in Srivastava et
/// al. 2014). With `averaging`, an exponential moving average of the weights (Polyak & Juditsky
/// 1992) is what gets validated. The best network by validation error is kept (early stopping in
/// the sense of Prechelt 1998); with a `patience`, the run also ends after that many epochs without
/// improvement.
public final class FineTuner {
    public private(set) var network: FeedForwardNetwork
    /// The network with the lowest validation error so far (the current one without validation data).
    public private(set) var best: FeedForwardNetwork
    public private(set) var bestValidationError: Double = .infinity
    public private(set) var epochsSinceBest = 0
    public let configuration: FineTuningConfiguration
    public internal(set) var epochsDone = 0
    public let random: RandomSource
    var optimizer: OptimizerState
    private var workspace: BackpropWorkspace?

    public init(network: FeedForwardNetwork, configuration: FineTuningConfiguration, random: RandomSource) throws {
        try configuration.validate()
        self.network = network
        self.best = network
        self.configuration = configuration
        self.random = random
        optimizer = OptimizerState(for: network, averaging: configuration.averaging != nil)
    }

    func restore(best: FeedForwardNetwork, bestValidationError: Double, epochsSinceBest: Int, epochsDone: Int) {
        self.best = best
        self.bestValidationError = bestValidationError
        self.epochsSinceBest = epochsSinceBest
        self.epochsDone = epochsDone
    }

    /// The moving average of the weights (the current network when not averaging).
    public var averagedNetwork: FeedForwardNetwork { optimizer.averaged(like: network) }

    /// Whether early stopping has ended the run.
    public var stopped: Bool { epochsSinceBest >= configuration.patience ?? .max || epochsDone >= configuration.epochs }

    /// One epoch over `data` in a fresh random order, then the validation error.
    ///
    /// - Throws: `NumericalError` when the loss or the weights become NaN or infinite.
    public func trainEpoch(_ data: Matrix<Float>, labels: [Int], validation: (Matrix<Float>, [Int])?,
                           progress: (any ProgressObserver)? = nil) throws -> FineTuningReport {
        let start = Date()
        let lr = configuration.learningRate(epoch: epochsDone)
        let order = random.permutation(data.rows)
        var total = 0.0, batches = 0
        progress?.begin("fine-tuning epoch \(epochsDone + 1)/\(configuration.epochs)", total: (data.rows + configuration.batchSize - 1) / configuration.batchSize)
        defer { progress?.end() }
        for first in stride(from: 0, to: data.rows, by: configuration.batchSize) {
            let indices = order[first..<min(first + configuration.batchSize, data.rows)]
            if workspace?.batch != indices.count { workspace = BackpropWorkspace(network: network, batch: indices.count) }
            guard let workspace else { break }
            let loss = network.backpropagate(data, labels: labels, indices: indices, workspace: workspace,
                                             dropout: (configuration.inputDropout, configuration.hiddenDropout), random: random)
            guard loss.isFinite else {
                throw NumericalError("fine-tuning diverged in epoch \(epochsDone + 1), mini-batch \(batches + 1): the loss became \(loss) "
                                     + "(learning rate \(lr)); try a smaller --lr")
            }
            optimizer.step(&network, workspace, kind: configuration.optimizer, learningRate: Float(lr),
                           momentum: Float(configuration.momentum), weightDecay: Float(configuration.weightDecay),
                           averageDecay: Float(configuration.averaging ?? 0))
            total += loss
            batches += 1
            progress?.advance(by: 1)
        }
        guard network.layers.allSatisfy({ $0.weights.isFinite && $0.bias.allFinite }) else {
            throw NumericalError("fine-tuning diverged in epoch \(epochsDone + 1): the weights became NaN or infinite; try a smaller --lr")
        }
        epochsDone += 1
        var validationError: Double?, currentValidationError: Double?
        let kept = averagedNetwork
        if let (vx, vy) = validation {
            let error = Classification.evaluate(kept.probabilities(vx), labels: vy).errorRate
            validationError = error
            if configuration.averaging != nil {
                currentValidationError = Classification.evaluate(network.probabilities(vx), labels: vy).errorRate
            }
            if error < bestValidationError {
                bestValidationError = error
                best = kept
                epochsSinceBest = 0
            } else {
                epochsSinceBest += 1
            }
        } else {
            best = kept
        }
        return FineTuningReport(epoch: epochsDone, learningRate: lr, trainingLoss: total / Double(max(batches, 1)),
                                validationError: validationError, currentValidationError: currentValidationError,
                                seconds: Date().timeIntervalSince(start))
    }
}
