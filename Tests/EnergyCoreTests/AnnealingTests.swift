import Foundation
import EnergyCore
import Testing

/// A ferromagnetic Ising ring with a field, E = −J Σ s_i s_{i+1} − h Σ s_i: the optimum is all +1.
struct IsingRing: AnnealingProblem {
    let spins: Int
    let coupling = 1.0
    let field = 0.1
    func energy(of s: [Int8]) -> Double {
        var e = 0.0
        for i in 0..<spins { e -= coupling * Double(s[i]) * Double(s[(i + 1) % spins]) + field * Double(s[i]) }
        return e
    }
    func move(_ s: inout [Int8], stepSize: Double, random: RandomSource) {
        let i = random.integer(below: spins)
        s[i] = -s[i]
    }
    func distance(_ a: [Int8], _ b: [Int8]) -> Double { Double(zip(a, b).filter { $0 != $1 }.count) }
}

/// A travelling salesman on the corners of a regular polygon: the optimal tour is the perimeter.
struct PolygonTour: AnnealingProblem {
    let cities: [(Double, Double)]
    func energy(of tour: [Int]) -> Double {
        var d = 0.0
        for k in tour.indices {
            let a = cities[tour[k]], b = cities[tour[(k + 1) % tour.count]]
            d += ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot()
        }
        return d
    }
    func move(_ tour: inout [Int], stepSize: Double, random: RandomSource) {
        // 2-opt: reverse a random segment.
        var i = random.integer(below: tour.count), j = random.integer(below: tour.count)
        if i > j { swap(&i, &j) }
        tour[i...j].reverse()
    }
}

@Suite("Annealing")
struct AnnealingTests {
    @Test("the schedule yields T_initial, T/mu_t, … down to t_min")
    func schedule() throws {
        let s = AnnealingSchedule(initialTemperature: 8, coolingFactor: 2, minimumTemperature: 1, iterationsPerTemperature: 3)
        try s.validate()
        #expect(s.temperatures == [8, 4, 2, 1])
        #expect(s.stepCount == 4)
        let t = AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.25, minimumTemperature: 0.05, iterationsPerTemperature: 1)
        #expect(t.temperatures.count == t.stepCount)
        #expect(t.temperatures.last! >= 0.05 && t.temperatures.last! / 1.25 < 0.05)
        for (a, b) in zip(t.temperatures, t.temperatures.dropFirst()) { #expect(abs(b - a / 1.25) < 1e-12) }
    }

    @Test("invalid schedules are refused with the name of the field")
    func invalid() {
        #expect(throws: ConfigurationError.self) {
            try AnnealingSchedule(initialTemperature: 1, coolingFactor: 0.9, minimumTemperature: 0.1, iterationsPerTemperature: 1).validate()
        }
        #expect(throws: ConfigurationError(field: "initialTemperature", "expected a positive temperature, got -1.0")) {
            try AnnealingSchedule(initialTemperature: -1, coolingFactor: 2, minimumTemperature: 0.1, iterationsPerTemperature: 1).validate()
        }
        #expect(throws: ConfigurationError(field: "iterationsPerTemperature", "expected at least 1 iteration per temperature, got 0")) {
            try AnnealingSchedule(initialTemperature: 1, coolingFactor: 2, minimumTemperature: 0.1, iterationsPerTemperature: 0).validate()
        }
    }

    @Test("gsl_siman_solve finds the ground state of an Ising ring, visiting the schedule's temperatures")
    func ising() throws {
        let problem = IsingRing(spins: 24)
        let schedule = AnnealingSchedule(initialTemperature: 5, coolingFactor: 1.05, minimumTemperature: 0.01, iterationsPerTemperature: 200)
        let random = RandomSource(seed: 11)
        var start = [Int8](repeating: 1, count: 24)
        for i in 0..<24 where random.bernoulli(0.5) { start[i] = -1 }
        let result = try SimulatedAnnealing.minimize(problem, from: start, schedule: schedule, random: random)
        #expect(result.state == [Int8](repeating: 1, count: 24))
        #expect(abs(result.energy - (-24 - 2.4)) < 1e-9)
        // One evaluation of the start, then one per step at every temperature of the schedule.
        #expect(result.evaluations == 1 + schedule.iterationsPerTemperature * schedule.stepCount)
    }

    @Test("gsl_siman_solve finds the optimal tour of a 10-city polygon, reproducibly")
    func tsp() throws {
        let n = 10
        let cities = (0..<n).map { k in (cos(2 * Double.pi * Double(k) / Double(n)), sin(2 * Double.pi * Double(k) / Double(n))) }
        let problem = PolygonTour(cities: cities)
        let schedule = AnnealingSchedule(initialTemperature: 2, coolingFactor: 1.02, minimumTemperature: 0.002, iterationsPerTemperature: 50)
        let start = [3, 7, 1, 9, 0, 5, 2, 8, 6, 4]
        let a = try SimulatedAnnealing.minimize(problem, from: start, schedule: schedule, random: RandomSource(seed: 1))
        let perimeter = Double(n) * 2 * sin(Double.pi / Double(n))
        #expect(abs(a.energy - perimeter) < 1e-9)
        let b = try SimulatedAnnealing.minimize(problem, from: start, schedule: schedule, random: RandomSource(seed: 1))
        #expect(a.state == b.state)
    }
}
