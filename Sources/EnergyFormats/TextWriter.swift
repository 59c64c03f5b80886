import EnergyCore
import Foundation

/// Text assembled as UTF-8 bytes, for files and reports written in bulk, with numbers formatted
/// without Foundation.
///
/// Integers are written as `"\(n)"` writes them. Doubles are written exactly as C's `printf`
/// writes them (glibc, round-half-even on the exact binary value), which is also what
/// `String(format:)` gives: `append(_:decimals:)` is `%.Nf` (`%+.Nf` with `plus`) and
/// `append(_:significantDigits:)` is `%.Ng`. The digits come from exact 128-bit integer arithmetic;
/// values outside its reach (|x| ≥ 2⁷⁴ or so, tiny values at high precision, NaN and infinities)
/// go to `vsnprintf`.
public struct TextWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// An empty text with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(max(capacity, 0))
    }

    /// The text so far.
    public var bytes: [UInt8] { storage }
    /// The text so far as `Data`.
    public var data: Data { Data(storage) }
    /// The text so far as a string.
    public var string: String { String(decoding: storage, as: UTF8.self) }
    /// The number of bytes so far.
    public var count: Int { storage.count }

    /// Appends one byte (an ASCII character).
    @inlinable
    public mutating func append(byte: UInt8) { storage.append(byte) }

    /// Appends the UTF-8 bytes of `text`.
    @inlinable
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { storage.append(contentsOf: $0) }
    }

    /// Appends what `body` writes into room for `maxCount` bytes; `body` returns how many bytes it
    /// wrote (at most `maxCount`). For bulk output without a capacity check per byte.
    @inlinable
    public mutating func append(maxCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: max(maxCount, 0)))
        let written = storage.withUnsafeMutableBufferPointer { p in
            body(UnsafeMutableBufferPointer(rebasing: p[start...]))
        }
        precondition(written >= 0 && written <= maxCount, "TextWriter: wrote \(written) of at most \(maxCount) bytes")
        storage.removeLast(maxCount - written)
    }

    /// Appends the UTF-8 bytes of `text`.
    public mutating func append(_ text: String) {
        storage.append(contentsOf: text.utf8)
    }

    /// Appends `value` in decimal, as `"\(value)"` writes it.
    public mutating func append(_ value: Int) {
        if value < 0 { storage.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(value.magnitude), minimumCount: 1)
    }

    /// Appends `value` as `%.<decimals>f` formats it (`%+.<decimals>f` when `plus`).
    ///
    /// - Precondition: 0 ≤ `decimals` ≤ 19 (a programming choice, not data).
    public mutating func append(_ value: Double, decimals: Int, plus: Bool = false) {
        precondition(decimals >= 0 && decimals <= 19, "TextWriter: \(decimals) decimals")
        guard value.isFinite, let (q, _) = Self.scaledMagnitude(value, byPowerOfTen: decimals) else {
            return appendPrintf(value, format: (plus ? "%+." : "%.") + "\(decimals)f")
        }
        if value.sign == .minus { storage.append(UInt8(ascii: "-")) } else if plus { storage.append(UInt8(ascii: "+")) }
        appendScaled(q, decimals: decimals)
    }

    /// Appends `value` as `%.<digits>g` formats it: `digits` significant digits, fixed notation
    /// for decimal exponents −4 ≤ X < `digits` and exponential notation otherwise, trailing zeros
    /// removed.
    ///
    /// - Precondition: 1 ≤ `digits` ≤ 17 (a programming choice, not data).
    public mutating func append(_ value: Double, significantDigits digits: Int) {
        precondition(digits >= 1 && digits <= 17, "TextWriter: \(digits) significant digits")
        guard value.isFinite, let (q, x) = value == 0 ? (0, 0) : Self.significand(value.magnitude, digits: digits) else {
            return appendPrintf(value, format: "%.\(digits)g")
        }
        if value.sign == .minus { storage.append(UInt8(ascii: "-")) }
        guard value != 0 else { return storage.append(UInt8(ascii: "0")) }
        // q has exactly `digits` digits: the value is d.ddd… × 10^x.
        let first = storage.count
        appendDigits(UInt64(q), minimumCount: digits)
        var last = storage.count  // one past the last digit kept once trailing zeros go
        while last > first + 1 && storage[last - 1] == UInt8(ascii: "0") { last -= 1 }
        let kept = last - first
        if x >= -4 && x < digits {
            // Fixed notation with digits − 1 − x decimals: 0.000ddd, or the point after x + 1 digits.
            if x < 0 {
                storage.removeLast(storage.count - last)
                storage.insert(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")] + repeatElement(UInt8(ascii: "0"), count: -x - 1), at: first)
            } else if kept <= x + 1 {
                storage.removeLast(storage.count - (first + x + 1))
            } else {
                storage.removeLast(storage.count - last)
                storage.insert(UInt8(ascii: "."), at: first + x + 1)
            }
        } else {
            storage.removeLast(storage.count - last)
            if kept > 1 { storage.insert(UInt8(ascii: "."), at: first + 1) }
            storage.append(UInt8(ascii: "e"))
            storage.append(x < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendDigits(UInt64(x.magnitude), minimumCount: 2)
        }
    }

    // MARK: Digits

    /// Appends the decimal digits of `value`, zero-padded on the left to `minimumCount`.
    private mutating func appendDigits(_ value: UInt64, minimumCount: Int) {
        var count = 1
        var t = value
        while t >= 10 { t /= 10; count += 1 }
        count = max(count, minimumCount)
        let start = storage.count
        storage.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        storage.withUnsafeMutableBufferPointer { p in
            var v = value
            var i = start + count
            while v > 0 {
                i -= 1
                p[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
    }

    /// Appends `q` / 10^decimals with exactly `decimals` digits after the point.
    private mutating func appendScaled(_ q: UInt128, decimals: Int) {
        let scale = Self.powerOfTen(decimals)
        let (integer, fraction) = q.quotientAndRemainder(dividingBy: scale)  // fraction < 10^19 < 2^64
        if integer <= UInt128(UInt64.max) {
            appendDigits(UInt64(integer), minimumCount: 1)
        } else {
            // Above 2^64: two chunks of up to 19 digits.
            let chunk = Self.powerOfTen(19)
            appendDigits(UInt64(integer / chunk), minimumCount: 1)
            appendDigits(UInt64(integer % chunk), minimumCount: 19)
        }
        if decimals > 0 {
            storage.append(UInt8(ascii: "."))
            appendDigits(UInt64(fraction), minimumCount: decimals)
        }
    }

    /// `vsnprintf` for what the exact integer paths do not cover.
    private mutating func appendPrintf(_ value: Double, format: String) {
        let capacity = 400  // %.20f of the largest double is 330 bytes
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            guard let base = buffer.baseAddress else { return }
            let n = withVaList([value]) { vsnprintf(base, capacity, format, $0) }
            let length = min(max(Int(n), 0), capacity - 1)
            storage.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
        }
    }

    // MARK: Exact rounding

    /// 10^k for 0 ≤ k ≤ 38.
    private static func powerOfTen(_ k: Int) -> UInt128 {
        var p: UInt128 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// round(|x| · 10^k), ties to even, and the truncated ⌊|x| · 10^k⌋, when they and the exact
    /// intermediate values fit in 128 bits; nil otherwise. k may be negative.
    static func scaledMagnitude(_ x: Double, byPowerOfTen k: Int) -> (rounded: UInt128, truncated: UInt128)? {
        let a = x.magnitude
        guard a.isFinite, k >= -38, k <= 38 else { return nil }
        if a == 0 { return (0, 0) }
        // a = m · 2^e exactly; a · 10^k = numerator / (denominator · 2^shift).
        let m = UInt128(a.significandBitPattern | (a.isNormal ? 1 << 52 : 0))
        let e = a.isNormal ? Int(a.exponent) - 52 : -1074
        var numerator = m
        var denominator: UInt128 = 1
        if k >= 0 {
            let (p, overflow) = numerator.multipliedReportingOverflow(by: powerOfTen(k))
            guard !overflow else { return nil }
            numerator = p
        } else {
            denominator = powerOfTen(-k)
        }
        var shift = 0
        if e >= 0 {
            guard e < numerator.leadingZeroBitCount else { return nil }
            numerator <<= UInt128(e)
        } else if denominator == 1 {
            guard -e < 128 else { return nil }
            shift = -e
        } else {
            guard -e < denominator.leadingZeroBitCount else { return nil }
            denominator <<= UInt128(-e)
        }
        let quotient: UInt128, remainder: UInt128, half: UInt128
        if shift > 0 {
            // A power-of-two denominator: shifts instead of a 128-bit division.
            quotient = numerator >> UInt128(shift)
            remainder = numerator & ((1 << UInt128(shift)) - 1)
            half = 1 << UInt128(shift - 1)
        } else {
            let qr = numerator.quotientAndRemainder(dividingBy: denominator)
            quotient = qr.quotient
            remainder = qr.remainder
            half = denominator / 2  // ties only when the denominator is even
        }
        let isTie = remainder == half && (shift > 0 || denominator & 1 == 0)
        if remainder > half || (isTie && quotient & 1 == 1) {
            return (quotient + 1, quotient)
        }
        return (quotient, quotient)
    }

    /// |x| (positive, finite) rounded to `digits` significant digits as (q, X): the rounded value
    /// is q · 10^(X − digits + 1) with 10^(digits−1) ≤ q < 10^digits, X its decimal exponent as `%e`
    /// would write it; nil when beyond the exact paths.
    static func significand(_ a: Double, digits: Int) -> (UInt128, Int)? {
        let low = powerOfTen(digits - 1), high = powerOfTen(digits)
        var x = Int(log10(a).rounded(.down))  // the decimal exponent, possibly one off near powers of ten
        for _ in 0..<3 {
            guard let (q, t) = scaledMagnitude(a, byPowerOfTen: digits - 1 - x) else { return nil }
            if t < low { x -= 1; continue }
            if t >= high { x += 1; continue }
            return q == high ? (low, x + 1) : (q, x)  // 9.99… may round up to 10.0…
        }
        return nil
    }
}
