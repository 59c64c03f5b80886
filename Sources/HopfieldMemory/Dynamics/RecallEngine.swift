import EnergyCore
import Foundation

/// The outcome of running the dynamics on one probe (before matching it to the stored patterns).
struct Trajectory {
    var energies: [Double]
    var sweeps: Int
    var converged: Bool
    var cycle: Bool
}

/// The update loop shared by every model: asynchronous, synchronous and Glauber sweeps.
enum RecallEngine {
    /// Runs `mode` on `d` for at most `maxSweeps` sweeps (plus the annealing sweeps of stochastic
    /// recall). `order` and `scratch` are caller-owned buffers of N elements, so nothing is allocated
    /// per sweep.
    static func run<D: NeuronDynamics>(_ d: inout D, mode: RecallMode, maxSweeps: Int, random: RandomSource,
                                       order: inout [Int32], scratch: UnsafeMutableBufferPointer<Float>,
                                       previous: UnsafeMutableBufferPointer<Float>) -> Trajectory {
        var t = Trajectory(energies: [d.energy()], sweeps: 0, converged: false, cycle: false)
        switch mode {
        case .asynchronous:
            asynchronous(&d, maxSweeps: maxSweeps, random: random, order: &order, into: &t)
        case .synchronous:
            synchronous(&d, maxSweeps: maxSweeps, drives: scratch, previous: previous, into: &t)
        case .stochastic(let schedule):
            let n = d.state.count
            for temperature in schedule.temperatures {
                for _ in 0..<schedule.iterationsPerTemperature {
                    random.shuffle(&order)
                    for k in 0..<n {
                        let i = Int(order[k])
                        let pUp = 1 / (1 + exp(-2 * Double(d.drive(i)) / temperature))
                        let up = random.uniform() < pUp
                        if up != (d.state[i] > 0) { d.flip(i) }
                    }
                    t.sweeps += 1
                    t.energies.append(d.energy())
                }
            }
            asynchronous(&d, maxSweeps: maxSweeps, random: random, order: &order, into: &t)
        }
        return t
    }

    private static func asynchronous<D: NeuronDynamics>(_ d: inout D, maxSweeps: Int, random: RandomSource,
                                                        order: inout [Int32], into t: inout Trajectory) {
        let n = d.state.count
        for _ in 0..<maxSweeps {
            random.shuffle(&order)
            var flips = 0
            for k in 0..<n {
                let i = Int(order[k])
                let h = d.drive(i)
                let z = d.state[i]
                if (h > 0 && z < 0) || (h < 0 && z > 0) {
                    d.flip(i)
                    flips += 1
                }
            }
            t.sweeps += 1
            t.energies.append(d.energy())
            if flips == 0 {
                t.converged = true
                return
            }
        }
    }

    private static func synchronous<D: NeuronDynamics>(_ d: inout D, maxSweeps: Int,
                                                       drives: UnsafeMutableBufferPointer<Float>,
                                                       previous: UnsafeMutableBufferPointer<Float>,
                                                       into t: inout Trajectory) {
        let n = d.state.count
        var havePrevious = false
        for _ in 0..<maxSweeps {
            for i in 0..<n { drives[i] = d.drive(i) }
            // The state before this step, to compare with the state after the next one.
            var flips = 0
            var sameAsTwoAgo = havePrevious
            for i in 0..<n {
                let z = d.state[i], h = drives[i]
                let next: Float = h > 0 ? 1 : (h < 0 ? -1 : z)
                if havePrevious && next != previous[i] { sameAsTwoAgo = false }
                previous[i] = z
                if next != z {
                    d.flip(i)
                    flips += 1
                }
            }
            havePrevious = true
            t.sweeps += 1
            t.energies.append(d.energy())
            if flips == 0 {
                t.converged = true
                return
            }
            if sameAsTwoAgo {
                t.cycle = true
                return
            }
        }
    }
}
