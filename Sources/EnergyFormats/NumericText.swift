import EnergyCore
import Foundation

/// Integers and floating-point numbers read straight from the bytes of a text file, without
/// building a `String`: the same values, and the same acceptance, as Swift's `Int(String)` and
/// `Double(String)`.
///
/// - `integer(_:)` accepts an optional `+` or `-` followed by one or more ASCII digits, and
///   nothing else; a value outside `Int`'s range is an error (`.outOfRange`), never a trap.
/// - `double(_:)` accepts what `Double(String)` accepts, which is C's `strtod` in the C locale
///   consuming every byte (decimal and hexadecimal numbers, `inf`, `infinity`, `nan`, `nan(…)`, in
///   any case, with an optional sign), except leading whitespace, plus `snan` (Swift's addition).
///   Decimals with at most 19 significant digits whose value is an exact integer times an exact
///   power of ten (Clinger's fast path: mantissa ≤ 2⁵³, |exponent| ≤ 22) are computed with one
///   correctly rounded multiplication or division; everything else goes to `strtod` on a
///   NUL-terminated copy of the bytes (on the stack when short), which rounds correctly.
///
/// Neither parser trims: callers remove the spaces and tabs around a field with `trimmed(_:)`.
/// Byte strings containing a NUL byte are refused (`Double(String)` would stop at the NUL).
public enum NumericText {
    /// What reading an integer found.
    public enum IntegerParse: Equatable, Sendable {
        /// A decimal integer in `Int`'s range.
        case value(Int)
        /// Not an optional sign followed by ASCII digits.
        case malformed
        /// An optional sign and digits, but outside `Int.min...Int.max`.
        case outOfRange
    }

    /// `bytes` without the spaces and tabs at either end.
    @inlinable
    public static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = bytes.count
        while lo < hi && (bytes[lo] == 0x20 || bytes[lo] == 0x09) { lo += 1 }
        while hi > lo && (bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[lo..<hi])
    }

    /// Whether `bytes` starts with a minus sign, and where what follows an optional sign starts.
    private static func sign(_ bytes: UnsafeBufferPointer<UInt8>) -> (negative: Bool, start: Int) {
        guard let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") else { return (false, 0) }
        return (first == UInt8(ascii: "-"), 1)
    }

    /// The decimal integer spelled by `bytes`, as `Int(String)` reads it, or why there is none.
    public static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> IntegerParse {
        let n = bytes.count
        let (negative, start) = sign(bytes)
        var i = start
        guard i < n else { return .malformed }
        // Accumulate towards the sign so that Int.min is reachable.
        var value = 0
        var overflow = false
        while i < n {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return .malformed }
            if !overflow {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = negative ? times10.subtractingReportingOverflow(Int(d))
                                          : times10.addingReportingOverflow(Int(d))
                overflow = o1 || o2
                value = next
            }
            i += 1
        }
        return overflow ? .outOfRange : .value(value)
    }

    /// The decimal integer spelled by `bytes`, or nil when `Int(String)` would give nil.
    public static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if case .value(let v) = parseInteger(bytes) { return v }
        return nil
    }

    /// The number spelled by `bytes`, or nil when `Double(String)` would give nil.
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        let (negative, start) = sign(bytes)
        var i = start
        // Mantissa digits: value = mantissa × 10^exponent, leading zeros skipped.
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        var exponent = 0
        var inFraction = false
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: ".") && !inFraction {
                inFraction = true
                i += 1
                continue
            }
            let d = b &- UInt8(ascii: "0")
            guard d < 10 else { break }
            if mantissa != 0 || d != 0 {
                guard significant < 19 else { return strtodDouble(bytes) }
                mantissa = mantissa &* 10 &+ UInt64(d)
                significant += 1
            }
            if inFraction { exponent -= 1 }
            digits += 1
            i += 1
        }
        guard digits > 0 else { return strtodDouble(bytes) }  // inf, nan, hexadecimal, or not a number
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            var negativeExponent = false
            if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                negativeExponent = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n else { return nil }  // "1e", "1e+": strtod would stop before the e
            var e = 0
            while i < n {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { return strtodDouble(bytes) }
                if e < 100_000 { e = e * 10 + Int(d) }  // saturates far beyond any finite double
                i += 1
            }
            exponent += negativeExponent ? -e : e
        }
        guard i == n else { return strtodDouble(bytes) }  // hexadecimal (0x…) or trailing bytes
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if mantissa <= 1 << 53 {
            var v: Double?
            if exponent == 0 {
                v = Double(mantissa)
            } else if exponent > 0 && exponent <= 22 {
                v = Double(mantissa) * exactPowersOfTen[exponent]
            } else if exponent < 0 && exponent >= -22 {
                v = Double(mantissa) / exactPowersOfTen[-exponent]
            } else if exponent > 22 && exponent <= 22 + 15 {
                // 123e30 = 123000000000000000e15 · 1e22 while the mantissa stays exact.
                let (m, overflow) = mantissa.multipliedReportingOverflow(by: UInt64(exactPowersOfTen[exponent - 22]))
                if !overflow && m <= 1 << 53 { v = Double(m) * 1e22 }
            }
            if let v { return negative ? -v : v }
        }
        return strtodDouble(bytes)
    }

    /// 10⁰ … 10²², the powers of ten a Double holds exactly.
    @usableFromInline
    static let exactPowersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// `Double(String)`'s own path: `strtod` in the C locale over the whole of `bytes`.
    static func strtodDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0 else { return nil }
        switch bytes[0] {
        case 9...13, 32: return nil  // Double(String) refuses leading whitespace; strtod would skip it
        default: break
        }
        if isSignalingNaN(bytes) { return Double.signalingNaN }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            for k in 0..<n { buffer[k] = CChar(bitPattern: bytes[k]) }
            buffer[n] = 0
            let previous = uselocale(cNumericLocale)
            defer { uselocale(previous) }
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(base, &end)
            guard let end, end - base == n else { return nil }
            return v
        }
    }

    /// `snan` with an optional sign, in any case (what Swift's runtime reads as a signalling NaN).
    private static func isSignalingNaN(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = sign(bytes).start
        guard bytes.count - start == 4 else { return false }
        return zip(bytes[start...], "snan".utf8).allSatisfy { $0 | 0x20 == $1 }
    }
}

/// The C locale for `strtod`, which takes its decimal point from LC_NUMERIC: a host program that
/// sets a locale with a decimal comma does not change how files are read. Nil (never expected)
/// leaves the thread's locale as it is.
nonisolated(unsafe) private let cNumericLocale: locale_t? = newlocale(Int32(LC_NUMERIC_MASK), "C", nil)
