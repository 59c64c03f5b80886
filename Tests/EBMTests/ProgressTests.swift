import Foundation
import EnergyCore
@testable import ebm
import Testing

@Suite("Progress")
struct ProgressTests {
    @Test("clock formatting")
    func clock() {
        #expect(ProgressReporter.clock(0) == "0:00")
        #expect(ProgressReporter.clock(75) == "1:15")
        #expect(ProgressReporter.clock(3725) == "1:02:05")
        #expect(ProgressReporter.clock(.infinity) == "--:--")
    }

    @Test("the line shows the count, the percentage, the rate and an ETA")
    func line() {
        let p = ProgressReporter("epoch 1", total: 200, quiet: true)
        p.advance(by: 50)
        let text = p.line(now: Date().addingTimeInterval(10), note: "loss 0.3")
        #expect(text.hasPrefix("epoch 1 "))
        #expect(text.contains(" 25% 50/200"))
        #expect(text.contains("ETA 0:3"))  // 150 steps left at about 5 steps/s
        #expect(text.hasSuffix("loss 0.3"))
    }

    @Test("counts beyond 32 bits print in full")
    func wideCounts() {
        let total = 6_000_000_000
        let p = ProgressReporter("segments", total: total, quiet: true)
        p.advance(by: 3_000_000_001)
        let text = p.line(now: Date().addingTimeInterval(10), note: "")
        #expect(text.contains(" 50% 3000000001/6000000000"), "\(text)")
    }
}
