import DBN
import EnergyCore
import Foundation
import Testing

@Suite("Sample diversity")
struct SampleDiversityTests {
    @Test("the mean pairwise distance equals the direct sum over pairs (across row blocks), and is 0 for copies of one sample")
    func againstDirectSum() {
        let random = RandomSource(seed: 8)
        var x = Matrix<Float>(rows: 300, columns: 17)
        for i in x.storage.indices { x.storage[i] = Float(random.uniform()) }
        var total = 0.0, pairs = 0
        for i in 0..<300 {
            for j in (i + 1)..<300 {
                var s = 0.0
                for c in 0..<17 { let d = Double(x[i, c] - x[j, c]); s += d * d }
                total += s.squareRoot()
                pairs += 1
            }
        }
        #expect(abs(SampleDiversity.meanPairwiseDistance(x) - total / Double(pairs)) < 1e-4)
        let copies = Matrix<Float>(rows: 5, columns: 3, storage: Array(repeating: [0.2, 0.9, 0.4], count: 5).flatMap { $0 })
        #expect(SampleDiversity.meanPairwiseDistance(copies) < 1e-3)
        #expect(SampleDiversity.meanPairwiseDistance(x.rows(0..<1)) == 0)
    }
}
