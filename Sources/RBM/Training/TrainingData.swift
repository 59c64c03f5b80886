import EnergyCore
import EnergyFormats

/// Training and validation examples made ready for an `RBMTrainer` run, the way `ebm rbm train`
/// prepares them:
///
/// 1. both are binarised as asked (`DataMatrix.binarize`), the stochastic mode drawing from a
///    stream derived from `configuration.seed` but apart from the training stream, first over the
///    training rows and then over the validation rows, so the same seed gives the same data;
/// 2. for Bernoulli visible units every value must lie in [0, 1];
/// 3. the validation examples must have as many values as the training examples, and only the
///    first `validationLimit` of them are kept, since their mean free energy is computed after
///    every epoch.
public struct RBMTrainingData: Sendable {
    /// The training examples, one per row.
    public var training: Matrix<Float>
    /// The validation examples, at most `validationLimit` rows.
    public var validation: Matrix<Float>?

    /// The validation examples kept by default.
    public static let defaultValidationLimit = 10_000

    /// Prepares `training` and `validation` (see the type's description).
    ///
    /// - Parameters:
    ///   - training: the training examples, one per row.
    ///   - validation: the validation examples, or nil for none.
    ///   - binarization: threshold, stochastic or none.
    ///   - visibleUnits: Bernoulli units require values in [0, 1].
    ///   - configuration: the run's training settings, whose `seed` the stochastic binarisation derives from.
    ///   - validationLimit: the most validation examples kept.
    ///   - trainingFile: the name of the training data for messages, e.g. their file.
    ///   - validationFile: the name of the validation data for messages, e.g. their file.
    /// - Throws: `InputError` naming the file and the example for a value outside [0, 1] with
    ///   Bernoulli units, or validation examples of another width; `ConfigurationError` naming
    ///   `validationLimit` when it is below 1.
    public init(training: Matrix<Float>, validation: Matrix<Float>? = nil, binarization: Binarization = .none,
                visibleUnits: VisibleUnits = .bernoulli, configuration: RBMTrainer.Configuration,
                validationLimit: Int = RBMTrainingData.defaultValidationLimit,
                trainingFile: String = "training data", validationFile: String = "validation data") throws {
        guard validationLimit >= 1 else { throw ConfigurationError(field: "validationLimit", "expected at least 1 example, got \(validationLimit)") }
        let random = configuration.dataRandom
        let train = DataMatrix.binarize(training, binarization, random: random)
        let valid = validation.map { DataMatrix.binarize($0, binarization, random: random) }
        if visibleUnits == .bernoulli {
            try Self.checkUnitInterval(train, file: trainingFile)
            if let valid { try Self.checkUnitInterval(valid, file: validationFile) }
        }
        if let valid, valid.columns != train.columns {
            throw InputError(file: validationFile, "validation examples have \(valid.columns) values; training examples have \(train.columns)")
        }
        self.training = train
        self.validation = valid.map { $0.rows(0..<min($0.rows, validationLimit)) }
    }

    /// Throws unless every value is in [0, 1], as Bernoulli units need.
    static func checkUnitInterval(_ data: Matrix<Float>, file: String) throws {
        if let bad = data.storage.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw InputError(file: file, .record(bad / data.columns),
                             "value \(data.storage[bad]) in column \(bad % data.columns + 1) is outside [0, 1], which Bernoulli visible units need; "
                             + "rescale the data or use Gaussian visible units")
        }
    }
}
