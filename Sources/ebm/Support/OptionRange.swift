import ArgumentParser

/// The valid range of a numeric option, declared where the option is declared:
///
///     @Option(help: "Hidden units.", transform: OptionRange.integer(1...1_000_000)) var hidden: Int
///     @Option(help: "Fraction of bits flipped.", transform: OptionRange.real(0...1)) var noise = 0.1
///
/// A value outside the range, NaN, or text that is not a number is a usage error (exit 2) that names
/// the option and the range, through swift-argument-parser's own reporting.
enum OptionRange {
    /// A value that is not a number of the option's kind, or lies outside its range.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// An integer in `range`.
    static func integer(_ range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else { throw Invalid(description: "expected an integer, got '\(text)'") }
            guard range.contains(n) else { throw Invalid(description: "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(n)") }
            return n
        }
    }

    /// An integer of at least `range.lowerBound`.
    static func integer(_ range: PartialRangeFrom<Int>) -> @Sendable (String) throws -> Int {
        integer(range.lowerBound...Int.max)
    }

    /// A finite number in `range` (NaN and infinities are refused).
    static func real(_ range: ClosedRange<Double>) -> @Sendable (String) throws -> Double {
        { text in
            guard let x = Double(text.trimmingCharacters(in: .whitespaces)) else { throw Invalid(description: "expected a number, got '\(text)'") }
            guard x.isFinite, range.contains(x) else {
                throw Invalid(description: "expected a number from \(describe(range.lowerBound)) to \(describe(range.upperBound)), got \(text)")
            }
            return x
        }
    }

    /// A finite number of at least `range.lowerBound`.
    static func real(_ range: PartialRangeFrom<Double>) -> @Sendable (String) throws -> Double {
        { text in
            guard let x = Double(text.trimmingCharacters(in: .whitespaces)) else { throw Invalid(description: "expected a number, got '\(text)'") }
            guard x.isFinite, x >= range.lowerBound else { throw Invalid(description: "expected a finite number ≥ \(describe(range.lowerBound)), got \(text)") }
            return x
        }
    }

    /// A finite number greater than zero.
    static func positive(_ text: String) throws -> Double {
        guard let x = Double(text.trimmingCharacters(in: .whitespaces)) else { throw Invalid(description: "expected a number, got '\(text)'") }
        guard x.isFinite, x > 0 else { throw Invalid(description: "expected a finite number > 0, got \(text)") }
        return x
    }

    /// `1.0` as `1`, other values as they print.
    private static func describe(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }
}
