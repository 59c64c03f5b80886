import ArgumentParser
import EnergyCore
import HopfieldMemory

/// `--rule`: a learning rule by any name `LearningRule.named` knows (`hebb`/`hebbian`, `storkey`,
/// `pseudoinverse`/`pinv`/`projection`, `modern`, `dense`, `dense-exp`, `dense-polyN`, in any case); plain
/// `dense` takes its degree from `--degree`.
enum LearningRuleArgument: ExpressibleByArgument {
    /// `dense`: the dense memory of the degree `--degree` gives.
    case dense
    /// Any other name: a rule that needs no more options.
    case rule(LearningRule)

    init?(argument: String) {
        if argument.lowercased() == "dense" {
            self = .dense
        } else if let rule = LearningRule.named(argument) {
            self = .rule(rule)
        } else {
            return nil
        }
    }

    /// The names an invalid value's error message lists (the other spellings are accepted too).
    static var allValueStrings: [String] { ["hebb", "storkey", "pseudoinverse", "dense", "dense-exp", "modern"] }

    var defaultValueDescription: String {
        switch self {
        case .dense: return "dense"
        case .rule(let rule): return rule.name
        }
    }

    /// The rule, with `degree` for plain `dense` (0 for the exponential F).
    func rule(degree: Int) -> LearningRule {
        switch self {
        case .dense: return .dense(degree: degree)
        case .rule(let rule): return rule
        }
    }
}

/// `--mode`: a recall mode by name, `async` (or `asynchronous`), `sync` (or `synchronous`), or
/// `stochastic` (or `glauber`), whose schedule the schedule options give.
struct RecallModeArgument: ExpressibleByArgument {
    /// The mode; stochastic with the default schedule until `with(schedule:)`.
    let mode: RecallMode

    init(_ mode: RecallMode) { self.mode = mode }

    init?(argument: String) {
        guard let mode = RecallMode.named(argument) else { return nil }
        self.mode = mode
    }

    static var allValueStrings: [String] { ["async", "sync", "stochastic"] }

    var defaultValueDescription: String { mode.name }

    /// The mode, stochastic recall annealing along `schedule`.
    func with(schedule: AnnealingSchedule) -> RecallMode {
        mode.schedule == nil ? mode : .stochastic(schedule)
    }
}

/// `--loads start:end:step`: the loads α of a capacity scan, from start to end inclusive.
enum LoadRange {
    /// A value that is not start:end:step with 0 < start ≤ end and step > 0, or has too many steps.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// The loads of `start:end:step`: start, start + step, … up to end (within a rounding margin).
    static func parse(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":").compactMap { Double($0) }
        guard parts.count == 3, parts[0] > 0, parts[1] >= parts[0], parts[2] > 0, (parts[1] - parts[0]) / parts[2] <= 1000 else {
            throw Invalid(description: "expected start:end:step with 0 < start <= end, step > 0 and at most 1000 steps")
        }
        return stride(from: parts[0], through: parts[1] + parts[2] * 1e-9, by: parts[2]).map { $0 }
    }
}
