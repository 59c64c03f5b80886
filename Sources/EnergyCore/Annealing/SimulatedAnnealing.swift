import CGSL

/// A discrete minimisation problem for simulated annealing: a state space, an energy, and a
/// random move.
public protocol AnnealingProblem {
    /// A point of the state space (copied freely by the annealer).
    associatedtype State
    /// The energy to minimise.
    func energy(of state: State) -> Double
    /// A random move from `state`, drawn from `random`; `stepSize` is the schedule's `step_size`.
    func move(_ state: inout State, stepSize: Double, random: RandomSource)
    /// A distance between two states (GSL uses it only for its printed trace).
    func distance(_ a: State, _ b: State) -> Double
}

extension AnnealingProblem {
    public func distance(_ a: State, _ b: State) -> Double { 0 }
}

/// Simulated annealing by GSL's `gsl_siman_solve` (Kirkpatrick, Gelatt & Vecchi 1983).
///
/// At each temperature T of the `AnnealingSchedule` the annealer makes `iters_fixed_T` Metropolis
/// steps: a move to a state of energy E′ from one of energy E is accepted with probability
/// min(1, exp(−(E′ − E) / (k T))) (Metropolis et al. 1953). The best state ever visited is returned.
///
/// GSL's callbacks are C function pointers that cannot capture, so the Swift problem and state
/// travel through the `void*` state pointer as a retained box.
public enum SimulatedAnnealing {
    /// The outcome of one annealing run.
    public struct Result<State> {
        /// The lowest-energy state visited.
        public var state: State
        /// Its energy.
        public var energy: Double
        /// How many times the energy was evaluated.
        public var evaluations: Int
    }

    /// Minimises `problem` from `initial` under `schedule`, drawing every move and acceptance
    /// from `random`.
    ///
    /// - Throws: `ConfigurationError` (`schedule.coolingFactor`, …) when the schedule's parameters are invalid.
    public static func minimize<P: AnnealingProblem>(_ problem: P, from initial: P.State,
                                                     schedule: AnnealingSchedule,
                                                     random: RandomSource) throws -> Result<P.State> {
        try ConfigurationError.nesting("schedule") { try schedule.validate() }
        GSL.prepare()
        let counter = EvaluationCounter()
        let box = StateBox(problem: problem, state: initial, random: random, counter: counter)
        let x0 = Unmanaged.passRetained(box as AnnealingBox)
        defer { x0.release() }

        let params = gsl_siman_params_t(
            n_tries: Int32(clamping: schedule.tries),
            iters_fixed_T: Int32(clamping: schedule.iterationsPerTemperature),
            step_size: schedule.stepSize, k: schedule.boltzmann,
            t_initial: schedule.initialTemperature, mu_t: schedule.coolingFactor,
            t_min: schedule.minimumTemperature)

        gsl_siman_solve(random.generator, x0.toOpaque(),
                        { xp in AnnealingBox.from(xp).energy() },
                        { _, xp, step in AnnealingBox.from(xp).move(stepSize: step) },
                        { a, b in AnnealingBox.from(a).distance(to: AnnealingBox.from(b)) },
                        nil,
                        { src, dst in AnnealingBox.from(dst).assign(from: AnnealingBox.from(src)) },
                        { xp in Unmanaged.passRetained(AnnealingBox.from(xp).clone()).toOpaque() },
                        { xp in if let xp { Unmanaged<AnnealingBox>.fromOpaque(xp).release() } },
                        0, params)

        return Result(state: box.state, energy: problem.energy(of: box.state), evaluations: counter.count)
    }
}

/// Shared by every copy of a state during one run.
private final class EvaluationCounter { var count = 0 }

/// The type-erased state handed to GSL as `void*`.
private class AnnealingBox {
    static func from(_ p: UnsafeMutableRawPointer?) -> AnnealingBox {
        Unmanaged<AnnealingBox>.fromOpaque(p!).takeUnretainedValue()
    }
    func energy() -> Double { fatalError("abstract") }
    func move(stepSize: Double) { fatalError("abstract") }
    func distance(to other: AnnealingBox) -> Double { fatalError("abstract") }
    func assign(from other: AnnealingBox) { fatalError("abstract") }
    func clone() -> AnnealingBox { fatalError("abstract") }
}

private final class StateBox<P: AnnealingProblem>: AnnealingBox {
    let problem: P
    var state: P.State
    let random: RandomSource
    let counter: EvaluationCounter

    init(problem: P, state: P.State, random: RandomSource, counter: EvaluationCounter) {
        self.problem = problem
        self.state = state
        self.random = random
        self.counter = counter
    }

    override func energy() -> Double {
        counter.count += 1
        return problem.energy(of: state)
    }
    override func move(stepSize: Double) { problem.move(&state, stepSize: stepSize, random: random) }
    override func distance(to other: AnnealingBox) -> Double {
        problem.distance(state, (other as! StateBox<P>).state)
    }
    override func assign(from other: AnnealingBox) { state = (other as! StateBox<P>).state }
    override func clone() -> AnnealingBox {
        StateBox(problem: problem, state: state, random: random, counter: counter)
    }
}
