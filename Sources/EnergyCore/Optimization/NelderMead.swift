import CGSL

/// Derivative-free minimisation by the Nelder–Mead simplex method (J. A. Nelder, R. Mead, A simplex
/// method for function minimization, Computer Journal 7 (1965) 308), as GSL implements it:
/// `gsl_multimin_fminimizer_nmsimplex2` (GSL manual, "Multidimensional Minimization", "Algorithms
/// without Derivatives").
///
/// A simplex of n + 1 points in n dimensions starts at `start` and `start + steps[i] eᵢ`; each step
/// reflects, expands or contracts its worst point through the centroid of the others, or shrinks it
/// towards the best, so it needs no gradient and suits noisy or piecewise-constant objectives such as
/// a score measured on data. The run ends when the simplex's size (GSL's mean distance of its points
/// from their centroid) falls below `sizeTolerance`, after `maxIterations` steps, or when
/// `onIteration` returns false.
///
/// GSL's callback is a C function pointer that cannot capture, so the Swift objective travels through
/// the `params` pointer as a retained box.
public enum NelderMead {
    /// The state after one simplex step.
    public struct Step: Sendable {
        /// Steps made so far, from 1.
        public var iteration: Int
        /// The simplex's best point and its value.
        public var point: [Double]
        public var value: Double
        /// The simplex's size (`gsl_multimin_fminimizer_size`).
        public var size: Double
        /// Objective evaluations so far.
        public var evaluations: Int
    }

    /// Why a run ended.
    public enum Stop: String, Sendable {
        /// The simplex shrank below the size tolerance.
        case converged
        /// `maxIterations` steps were made.
        case iterations
        /// `onIteration` asked to stop.
        case requested
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        /// The best point of the final simplex and its value.
        public var point: [Double]
        public var value: Double
        /// Simplex steps made, and objective evaluations.
        public var iterations: Int
        public var evaluations: Int
        /// Why the run ended.
        public var stop: Stop
    }

    /// Minimises `objective` from `start` with initial simplex steps `steps` (one per coordinate,
    /// non-zero), calling `onIteration` after every step (return false to stop).
    ///
    /// - Throws: `ConfigurationError` for an empty start, steps of another length or a zero step,
    ///   `maxIterations` < 1 or a size tolerance that is not positive; whatever `objective` or
    ///   `onIteration` throws (the run stops at once); `NumericalError` when the objective returns a
    ///   value that is not finite or GSL fails.
    public static func minimize(from start: [Double], steps: [Double], sizeTolerance: Double = 1e-4, maxIterations: Int = 1000,
                                _ objective: ([Double]) throws -> Double,
                                onIteration: (Step) throws -> Bool = { _ in true }) throws -> Result {
        guard !start.isEmpty, start.allSatisfy(\.isFinite) else {
            throw ConfigurationError(field: "start", "expected at least one finite coordinate")
        }
        guard steps.count == start.count, steps.allSatisfy({ $0 != 0 && $0.isFinite }) else {
            throw ConfigurationError(field: "steps", "expected \(start.count) finite non-zero steps, found \(steps)")
        }
        guard sizeTolerance > 0, sizeTolerance.isFinite else {
            throw ConfigurationError(field: "sizeTolerance", "expected a positive number, found \(sizeTolerance)")
        }
        guard maxIterations >= 1 else { throw ConfigurationError(field: "maxIterations", "expected at least 1, found \(maxIterations)") }
        GSL.prepare()
        let n = start.count
        return try withoutActuallyEscaping(objective) { objective in
            let box = ObjectiveBox(objective, dimension: n)
            let params = Unmanaged.passRetained(box)
            defer { params.release() }
            guard let minimizer = gsl_multimin_fminimizer_alloc(ebm_multimin_nmsimplex2(), n),
                  let x = gsl_vector_alloc(n), let dx = gsl_vector_alloc(n) else {
                throw NumericalError("gsl_multimin_fminimizer_alloc: out of memory")
            }
            defer { gsl_multimin_fminimizer_free(minimizer); gsl_vector_free(x); gsl_vector_free(dx) }
            for i in 0..<n {
                gsl_vector_set(x, i, start[i])
                gsl_vector_set(dx, i, steps[i])
            }
            var function = gsl_multimin_function(
                f: { x, params in
                    let box = Unmanaged<ObjectiveBox>.fromOpaque(params!).takeUnretainedValue()
                    return box.evaluate(x!)
                },
                n: n, params: params.toOpaque())
            let status = gsl_multimin_fminimizer_set(minimizer, &function, x, dx)
            try box.rethrow()
            try GSL.check(status, "gsl_multimin_fminimizer_set")
            var iteration = 0, stop = Stop.iterations
            while iteration < maxIterations {
                iteration += 1
                let status = gsl_multimin_fminimizer_iterate(minimizer)
                try box.rethrow()
                try GSL.check(status, "gsl_multimin_fminimizer_iterate")
                let size = gsl_multimin_fminimizer_size(minimizer)
                let step = Step(iteration: iteration, point: vector(minimizer.pointee.x, n), value: minimizer.pointee.fval,
                                size: size, evaluations: box.evaluations)
                if try !onIteration(step) {
                    stop = .requested
                    break
                }
                if gsl_multimin_test_size(size, sizeTolerance) == 0 {
                    stop = .converged
                    break
                }
            }
            return Result(point: vector(minimizer.pointee.x, n), value: minimizer.pointee.fval, iterations: iteration,
                          evaluations: box.evaluations, stop: stop)
        }
    }

    private static func vector(_ v: UnsafeMutablePointer<gsl_vector>?, _ n: Int) -> [Double] {
        guard let v else { return [] }
        return (0..<n).map { gsl_vector_get(v, $0) }
    }
}

/// The Swift objective behind GSL's `params` pointer; it keeps the first error the objective throws
/// (GSL then sees NaN and fails the step, and `minimize` rethrows the error).
private final class ObjectiveBox {
    let objective: ([Double]) throws -> Double
    let dimension: Int
    var evaluations = 0
    var error: (any Error)?

    init(_ objective: @escaping ([Double]) throws -> Double, dimension: Int) {
        self.objective = objective
        self.dimension = dimension
    }

    func evaluate(_ x: UnsafePointer<gsl_vector>) -> Double {
        guard error == nil else { return .nan }
        let point = (0..<dimension).map { gsl_vector_get(x, $0) }
        evaluations += 1
        do {
            let value = try objective(point)
            guard value.isFinite else {
                error = NumericalError("Nelder–Mead: the objective is \(value) at \(point)")
                return .nan
            }
            return value
        } catch {
            self.error = error
            return .nan
        }
    }

    func rethrow() throws { if let error { throw error } }
}
