import EnergyCore
import Foundation
import RBM

/// The settings of supervised fine-tuning by backpropagation.
public struct FineTuningConfiguration: Codable, Equatable, Sendable {
    public var epochs = 120
    public var batchSize = 100
    public var optimizer = OptimizerKind.sgd
    /// Initial learning rate ε. Default 0.1 for SGD (sigmoid units, mean cross-entropy).
    public var learningRate = 0.1
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
    /// Stop after this many epochs without a better validation error. Default 50: on MNIST the
    /// validation error still improves late in the linear decay, after plateaus of 30 epochs.
    public var patience = 50
    public var seed: UInt64 = 1

    public init() {}

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
        guard patience >= 1 else { throw InputError(file: "--patience", "expected at least 1 epoch, found \(patience)") }
    }
}

/// What one fine-tuning epoch did.
public struct FineTuningReport: Codable, Sendable {
    public var epoch: Int
    public var learningRate: Double
    /// Mean training cross-entropy over the epoch's batches (with dropout), nats.
    public var trainingLoss: Double
    /// Validation error rate, when there is validation data.
    public var validationError: Double?
    public var seconds: Double
}

/// Mini-batch backpropagation of a `FeedForwardNetwork` with early stopping on a validation split
/// (Hinton & Salakhutdinov 2006 fine-tune a pretrained DBN this way; dropout as in Srivastava et
/// al. 2014). The best network by validation error is kept; the run stops after `patience` epochs
/// without improvement.
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
        optimizer = OptimizerState(for: network)
    }

    func restore(best: FeedForwardNetwork, bestValidationError: Double, epochsSinceBest: Int, epochsDone: Int) {
        self.best = best
        self.bestValidationError = bestValidationError
        self.epochsSinceBest = epochsSinceBest
        self.epochsDone = epochsDone
    }

    /// Whether early stopping has ended the run.
    public var stopped: Bool { epochsSinceBest >= configuration.patience || epochsDone >= configuration.epochs }

    /// One epoch over `data` in a fresh random order, then the validation error.
    ///
    /// - Throws: `NumericalError` when the loss or the weights become NaN or infinite.
    public func trainEpoch(_ data: Matrix<Float>, labels: [Int], validation: (Matrix<Float>, [Int])?,
                           progress: ProgressReporter? = nil) throws -> FineTuningReport {
        let start = Date()
        let lr = configuration.learningRate(epoch: epochsDone)
        let order = random.permutation(data.rows)
        var total = 0.0, batches = 0
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
                           momentum: Float(configuration.momentum), weightDecay: Float(configuration.weightDecay))
            total += loss
            batches += 1
            progress?.advance()
        }
        guard network.layers.allSatisfy({ $0.weights.isFinite && $0.bias.allFinite }) else {
            throw NumericalError("fine-tuning diverged in epoch \(epochsDone + 1): the weights became NaN or infinite; try a smaller --lr")
        }
        epochsDone += 1
        var validationError: Double?
        if let (vx, vy) = validation {
            let error = Classification.evaluate(network.probabilities(vx), labels: vy).errorRate
            validationError = error
            if error < bestValidationError {
                bestValidationError = error
                best = network
                epochsSinceBest = 0
            } else {
                epochsSinceBest += 1
            }
        } else {
            best = network
        }
        return FineTuningReport(epoch: epochsDone, learningRate: lr, trainingLoss: total / Double(max(batches, 1)),
                                validationError: validationError, seconds: Date().timeIntervalSince(start))
    }
}
