import Foundation

/// Where in a user-supplied file a problem was found.
public enum InputLocation: Sendable, Equatable, CustomStringConvertible {
    /// A 1-based line of a text file.
    case line(Int)
    /// A 1-based line and column (field) of a delimited text file.
    case field(line: Int, column: String)
    /// A 0-based record (image, row, pattern) of a binary file.
    case record(Int)
    /// A byte offset into a binary file.
    case byte(Int)
    /// A named entry of an archive (an `.npz` member).
    case entry(String)

    public var description: String {
        switch self {
        case .line(let n): return "line \(n)"
        case .field(let n, let c): return "line \(n), column '\(c)'"
        case .record(let n): return "record \(n)"
        case .byte(let n): return "byte \(n)"
        case .entry(let e): return "entry '\(e)'"
        }
    }
}

/// A problem with a file or argument the user supplied.
///
/// The message names the file, where in it the problem is, and what was expected, e.g.
/// `hits.csv: line 12, column 'x': expected a number, found "abc"`. Every reader in the toolkit
/// reports bad input with this error rather than trapping.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as the user gave it (or an argument name such as `--seed`).
    public let file: String
    /// Where in the file, when known.
    public let location: InputLocation?
    /// What was expected and what was found.
    public let message: String

    /// An error at a known place in the file.
    public init(file: String, _ location: InputLocation?, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// An error about the file as a whole.
    public init(file: String, _ message: String) {
        self.init(file: file, nil, message)
    }

    public var description: String {
        if let location { return "\(file): \(location): \(message)" }
        return "\(file): \(message)"
    }
}

/// A failure reported by GSL through a status code (`gsl_errno.h`), or a numerical problem
/// such as training that produced NaN or Inf.
public struct NumericalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The GSL status code, or 0 for errors raised by the toolkit itself.
    public let code: Int32
    public let message: String

    public init(code: Int32 = 0, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// A setting outside its valid range, named by the configuration field that holds it.
///
/// The libraries speak in their own terms: `field` is the property path a Swift user writes, such as
/// `learningRate`, `training[2].momentum` or `cuts.minPT`. A front end maps fields to its own words;
/// the `ebm` tool reports them as the command-line option that sets the field, with exit code 2.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration property, e.g. `batchSize` or `schedule.coolingFactor`.
    public let field: String
    /// What was expected and what was found, e.g. `expected at least 1, got 0`.
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    /// The same error for a field nested under `parent`: `training[2]` + `momentum` → `training[2].momentum`.
    public func nested(in parent: String) -> ConfigurationError {
        ConfigurationError(field: parent + "." + field, message)
    }

    /// Runs `validate`, the check of a value held in the field `parent`, reporting its
    /// `ConfigurationError` under that field: `schedule` + `coolingFactor` → `schedule.coolingFactor`.
    public static func nesting(_ parent: String, _ validate: () throws -> Void) rethrows {
        do {
            try validate()
        } catch let error as ConfigurationError {
            throw error.nested(in: parent)
        }
    }

    public var description: String { "\(field): \(message)" }
}
