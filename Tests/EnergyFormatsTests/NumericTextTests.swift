@testable import EnergyFormats
import EnergyCore
import Foundation
import Testing
import TestSupport

/// A small seeded generator (SplitMix64), so the random cases are the same on every run.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func parseDouble(_ s: String) -> Double? { Array(s.utf8).withUnsafeBufferPointer { NumericText.double($0) } }
private func parseInteger(_ s: String) -> NumericText.IntegerParse { Array(s.utf8).withUnsafeBufferPointer { NumericText.parseInteger($0) } }

/// The same Double, NaN payloads and the sign of zero included.
private func same(_ a: Double?, _ b: Double?) -> Bool { a?.bitPattern == b?.bitPattern }

@Suite("Numbers read from and written as text")
struct NumericTextTests {
    static let doubleEdgeCases = [
        "0", "-0", "+0", "0.0", "-0.0", "00", "007", "1", "-1", "+1", ".5", "-.5", "5.", "-5.", ".", "-.", "+.", "",
        "+", "-", "e5", ".e5", "1e", "1e+", "1e-", "1E5", "1e+5", "1e-5", "1.5e3", "-1.5E-3", "1e22", "1e23", "9007199254740993",
        "9007199254740992", "9007199254740991", "18014398509481985", "123456789012345678", "1234567890123456789",
        "12345678901234567890", "0.30000000000000004", "0.1", "0.2", "2.2250738585072014e-308", "2.2250738585072011e-308",
        "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324", "1e-400", "-1e-400", "1e308", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e400", "1e99999999999999999999", "1e-99999999999999999999",
        "0e99999999999999999999", "123e30", "9e37", "1e37", "8.98846567431158e307", "0x1p3", "0X1P-2", "0x1.8", "0x", "0x.p1",
        "inf", "Inf", "INF", "-inf", "+inf", "infinity", "-Infinity", "INFINITY", "infin", "infinit", "nan", "NaN", "-nan", "+NAN",
        "nan(123)", "nan()", "nan(", "nan(0x7)", "snan", "SNaN", "-snan", "+snan", "snan1", " 1", "1 ", "\t1", "1\t", "\r1",
        "\u{0B}1", "1\r", "1_000", "1,5", "1.5.3", "--1", "+-1", "1e5x", "1x", "٣", "１", "1e0001", "0.000000000000000000000000001",
        "1000000000000000000000000000000", "00000000000000000000000000001.5", "1.00000000000000000000000000",
        "-64.4099", "-1502.5", "0.635342", "0.0010090817", "1.0e-05", "9999999999999999999e-5", "0.9999999999999999999",
    ]

    @Test("doubles: the same value as Double(String) on edge cases")
    func doubleEdgeCases() {
        for s in Self.doubleEdgeCases {
            #expect(same(parseDouble(s), Double(s)), "\(s.debugDescription): \(String(describing: parseDouble(s))) vs \(String(describing: Double(s)))")
        }
    }

    @Test("doubles: the same value as Double(String) on 400,000 random decimal strings")
    func doubleRandom() {
        var rng = SplitMix(state: 7)
        let junk: [String] = ["x", " ", ".", "e", "+", "-", "_", "\t", "n", "i"]
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
        }
        var mismatches: [String] = []
        for k in 0..<400_000 {
            var s = ""
            switch Int.random(in: 0..<3, using: &rng) { case 0: s += "-"; case 1: s += "+"; default: break }
            let intDigits = Int.random(in: 0...(k % 4 == 0 ? 25 : 10), using: &rng)
            s += digits(intDigits)
            if Bool.random(using: &rng) { s += "." + digits(Int.random(in: 0...(k % 5 == 0 ? 25 : 12), using: &rng)) }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                s += Bool.random(using: &rng) ? "e" : "E"
                switch Int.random(in: 0..<3, using: &rng) { case 0: s += "-"; case 1: s += "+"; default: break }
                s += String(Int.random(in: 0...(k % 7 == 0 ? 400 : 40), using: &rng))
            }
            if k % 50 == 0 {  // damage a few
                var chars = Array(s)
                chars.insert(contentsOf: junk.randomElement(using: &rng)!, at: Int.random(in: 0...chars.count, using: &rng))
                s = String(chars)
            }
            if !same(parseDouble(s), Double(s)) { mismatches.append(s) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test("doubles: every random bit pattern written shortest, %.17g and %.4f reads back as Double(String) reads it")
    func doubleRoundTrip() {
        var rng = SplitMix(state: 11)
        var mismatches: [String] = []
        for _ in 0..<100_000 {
            let x = Double(bitPattern: rng.next())
            for s in [x.description, String(format: "%.17g", x), String(format: "%.4f", x), String(format: "%.3e", x)]
            where !same(parseDouble(s), Double(s)) {
                mismatches.append(s)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test("integers: the same as Int(String), and out of range is told apart")
    func integers() {
        let cases = ["0", "-0", "+0", "7", "-7", "+7", "0009", "", "+", "-", " 1", "1 ", "1.0", "1e3", "0x10", "1_0", "١",
                     "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                     "99999999999999999999", "-99999999999999999999", "123456789012345678901234567890", "12a", "--1"]
        for s in cases {
            let digits = s.hasPrefix("-") || s.hasPrefix("+") ? s.dropFirst() : Substring(s)
            let expected: NumericText.IntegerParse
            if let v = Int(s) { expected = .value(v) }
            else if !digits.isEmpty && digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { expected = .outOfRange }
            else { expected = .malformed }
            #expect(parseInteger(s) == expected, "\(s.debugDescription)")
        }
        var rng = SplitMix(state: 3)
        for _ in 0..<100_000 {
            let v = Int(bitPattern: UInt(rng.next()) >> UInt(Int.random(in: 0...63, using: &rng)))
            let n = Bool.random(using: &rng) ? v : -v
            #expect(parseInteger("\(n)") == .value(n))
        }
    }

    @Test("trimming removes spaces and tabs only")
    func trimming() {
        let text = Array(" \t 1.5\t \r".utf8)
        let t = text.withUnsafeBufferPointer { String(decoding: NumericText.trimmed($0), as: UTF8.self) }
        #expect(t == "1.5\t \r")
        #expect(Array("  ".utf8).withUnsafeBufferPointer { NumericText.trimmed($0).count } == 0)
    }

    // MARK: Writing

    /// Doubles that exercise every path: random bit patterns, ordinary ranges, exact binary
    /// fractions (ties), values next to powers of ten, zeros, tiny and huge values.
    static func writerValues() -> [Double] {
        var rng = SplitMix(state: 5)
        var xs: [Double] = [0, -0.0, .nan, -.nan, .infinity, -.infinity, 1.03125, 0.00005, 0.000049999, 0.5, 1.5, 2.5, -2.5,
                            1e300, -1e-300, .leastNonzeroMagnitude, 9.99999995, 99999999.5, 123456785, 0.99999999, 9.9999999999, 1e21, 1e22,
                            123456789012345680, 1.8446744073709552e19, 1.7e34, 1e-5, 0.0001, 0.00010000001, 100, 1e8, 1e7]
        for _ in 0..<60_000 {
            xs.append(Double(bitPattern: rng.next()))
            xs.append(Double.random(in: -2000...2000, using: &rng))
            xs.append(Double(Int.random(in: -1_000_000...1_000_000, using: &rng)) / Double(1 << Int.random(in: 0...20, using: &rng)))
            xs.append(Double.random(in: 0...1, using: &rng) * pow(10, Double(Int.random(in: -30...30, using: &rng))))
            let p = pow(10, Double(Int.random(in: -10...20, using: &rng)))
            xs.append(p.nextDown)
            xs.append(p.nextUp)
        }
        return xs
    }

    @Test("doubles are written as String(format:) writes them", arguments: ["%.4f", "%.5f", "%+.3f", "%.0f", "%.19f", "%.8g", "%.3g", "%.1g", "%.17g"])
    func writer(_ format: String) {
        let plus = format.hasPrefix("%+")
        let precision = Int(format.dropFirst(plus ? 3 : 2).dropLast())!
        var mismatches: [String] = []
        for x in Self.writerValues() {
            var w = TextWriter()
            if format.hasSuffix("f") { w.append(x, decimals: precision, plus: plus) } else { w.append(x, significantDigits: precision) }
            let expected = String(format: format, x)
            if w.string != expected { mismatches.append("\(x.bitPattern): \(w.string) vs \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test("integers and text are written as string interpolation writes them")
    func writerIntegers() {
        var w = TextWriter(capacity: 64)
        var expected = ""
        for n in [0, 1, -1, 9, 10, -10, 99, 100, 123456789, Int.max, Int.min, -9223372036854775807] {
            w.append(n)
            w.append(byte: UInt8(ascii: ","))
            w.append("ü")
            w.append(";" as StaticString)
            expected += "\(n),ü;"
        }
        #expect(w.string == expected)
        #expect(w.data == Data(expected.utf8) && w.count == expected.utf8.count)
    }
}
