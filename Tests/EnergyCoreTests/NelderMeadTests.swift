import EnergyCore
import Foundation
import Testing

@Suite("Nelder–Mead (GSL nmsimplex2)")
struct NelderMeadTests {
    @Test("finds the minimum of Rosenbrock's function, (1, 1), from (−1.2, 1)")
    func rosenbrock() throws {
        let r = try NelderMead.minimize(from: [-1.2, 1], steps: [0.5, 0.5], sizeTolerance: 1e-8, maxIterations: 5000) { x in
            100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0])
        }
        #expect(r.stop == .converged)
        #expect(abs(r.point[0] - 1) < 1e-4 && abs(r.point[1] - 1) < 1e-4, "\(r.point)")
        #expect(r.value < 1e-8 && r.evaluations > r.iterations)
    }

    @Test("stops when asked, and rethrows the objective's error")
    func stopsAndThrows() throws {
        let r = try NelderMead.minimize(from: [3, 3, 3], steps: [1, 1, 1], { x in x.map { $0 * $0 }.reduce(0, +) },
                                        onIteration: { $0.iteration < 5 })
        #expect(r.stop == .requested && r.iterations == 5)
        struct Failure: Error {}
        var calls = 0
        #expect(throws: Failure.self) {
            _ = try NelderMead.minimize(from: [0, 0], steps: [1, 1]) { _ in
                calls += 1
                if calls == 5 { throw Failure() }
                return Double(calls)
            }
        }
        #expect(calls == 5)
        #expect(throws: NumericalError.self) { _ = try NelderMead.minimize(from: [0], steps: [1]) { _ in .nan } }
        #expect(throws: ConfigurationError.self) { _ = try NelderMead.minimize(from: [0, 1], steps: [1, 0]) { _ in 0 } }
    }
}
