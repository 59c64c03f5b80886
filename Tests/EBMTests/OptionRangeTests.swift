@testable import ebm
import Testing

@Suite("Option ranges")
struct OptionRangeTests {
    @Test("integers and reals are checked against their declared range; NaN, infinities and junk are refused")
    func ranges() throws {
        let count = OptionRange.integer(1...10_000)
        #expect(try count("64") == 64)
        for bad in ["0", "10001", "-3", "4611686018427387904", "99999999999999999999", "2.5", "x", ""] {
            #expect(throws: OptionRange.Invalid.self) { try count(bad) }
        }
        let noise = OptionRange.real(0...1)
        #expect(try noise("0.25") == 0.25)
        for bad in ["nan", "NaN", "inf", "-0.1", "1.5", "1e300", "abc"] {
            #expect(throws: OptionRange.Invalid.self) { try noise(bad) }
        }
        #expect(try OptionRange.positive("1e-3") == 1e-3)
        #expect(throws: OptionRange.Invalid.self) { try OptionRange.positive("0") }
        #expect(throws: OptionRange.Invalid.self) { try OptionRange.real(0...)("-inf") }
        #expect(try OptionRange.integer(0...)("0") == 0)
        do {
            _ = try noise("2")
            Issue.record("2 is outside [0, 1]")
        } catch {
            #expect("\(error)" == "expected a number from 0 to 1, got 2")
        }
    }
}
