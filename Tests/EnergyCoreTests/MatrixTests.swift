import Dispatch
import Foundation
import CSparseKernels
import EnergyCore
import Testing

@Suite("Matrix and BLAS")
struct MatrixTests {
    /// The textbook triple loop, for checking gemm.
    static func naive(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double> {
        var c = Matrix<Double>(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows { for j in 0..<b.columns { for k in 0..<a.columns { c[i, j] += a[i, k] * b[k, j] } } }
        return c
    }

    static func close<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>, _ tol: T) -> Bool {
        a.rows == b.rows && a.columns == b.columns && zip(a.storage, b.storage).allSatisfy { abs($0 - $1) <= tol }
    }

    @Test("gemm with every combination of transposes matches the triple loop", arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemm(_ t: (Bool, Bool)) {
        let r = RandomSource(seed: 1)
        var a = Matrix<Double>(rows: 7, columns: 5), b = Matrix<Double>(rows: 5, columns: 3)
        r.fillGaussian(&a.storage)
        r.fillGaussian(&b.storage)
        let expected = Self.naive(a, b)
        let opA = t.0 ? a.transposed : a, opB = t.1 ? b.transposed : b
        #expect(Self.close(Matrix.product(opA, opB, transposeA: t.0, transposeB: t.1), expected, 1e-12))
        // alpha and beta: C ← 2AB + 3C
        var c = Matrix<Double>(rows: 7, columns: 3, repeating: 1)
        c.multiply(opA, opB, transposeA: t.0, transposeB: t.1, alpha: 2, beta: 3)
        #expect(Self.close(c, expected.map { 2 * $0 + 3 }, 1e-12))
        // Float32 agrees with Float64 to single precision.
        let f = Matrix.product(opA.converted(to: Float.self), opB.converted(to: Float.self), transposeA: t.0, transposeB: t.1)
        #expect(Self.close(f, expected.converted(to: Float.self), 1e-4))
    }

    @Test("gemv, ger, axpy, row broadcast and column sums")
    func levelOneAndTwo() {
        let a = Matrix<Float>([[1, 2, 3], [4, 5, 6]])
        #expect(a.multiplied(by: [1, 0, -1]) == [-2, -2])
        #expect(a.multiplied(by: [1, 1], transposed: true) == [5, 7, 9])
        var y: [Float] = [1, 1]
        a.multiply(vector: [1, 1, 1], into: &y, alpha: 2, beta: -1)
        #expect(y == [11, 29])
        var b = a
        b.addOuterProduct([1, 2], [1, 0, 1], alpha: 10)
        #expect(b == Matrix([[11, 2, 13], [24, 5, 26]]))
        b.add(a, scaledBy: -1)
        #expect(b == Matrix([[10, 0, 10], [20, 0, 20]]))
        b.addToEachRow([1, 2, 3])
        #expect(b == Matrix([[11, 2, 13], [21, 2, 23]]))
        #expect(b.columnSums() == [32, 4, 36])
        #expect(b.rowSums() == [26, 46])
        var sums: [Float] = [1, 1, 1]
        b.addColumnSums(into: &sums, alpha: 0.5, beta: 2)
        #expect(sums == [18, 4, 20])
        #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(a.gatherRows([1, 0, 1]) == Matrix([[4, 5, 6], [1, 2, 3], [4, 5, 6]]))
        #expect([Float](arrayLiteral: 1, 2, 3).dot([4, 5, 6]) == 32)
        var m = a
        m.apply { $0 * $0 }
        #expect(m == Matrix([[1, 4, 9], [16, 25, 36]]))
        #expect(a.isFinite && !Matrix<Float>([[1, .nan]]).isFinite)
    }

    @Test("stable activations")
    func activations() {
        #expect(logistic(0.0) == 0.5)
        #expect(logistic(-800.0) == 0 && logistic(800.0) == 1)
        #expect(abs(softplus(1000) - 1000) < 1e-9)
        #expect(softplus(-1000) >= 0 && softplus(-1000) < 1e-300)
        #expect(abs(softplus(0) - log(2)) < 1e-15)
        #expect(abs(logSumExp([1000, 1000]) - (1000 + log(2))) < 1e-9)
        var m = Matrix<Float>([[-100, 0, 100]])
        m.applyLogistic()
        #expect(m.storage[0] >= 0 && m.storage[1] == 0.5 && m.storage[2] == 1)
    }

    @Test("the vectorised logistic is within a few ulp of σ, saturates without overflow, and keeps NaN", arguments: [true, false])
    func vectorisedLogistic(_ vectorised: Bool) {
        var xs: [Float] = stride(from: -100, through: 100, by: 0.0137).map { Float($0) }
        xs += [0, -0, 1e-30, -1e-30, 87, -87, 87.5, -87.5, 88, -88, 89, -89, 103, -103, 104, -104, .greatestFiniteMagnitude,
               -.greatestFiniteMagnitude, .infinity, -.infinity]
        var ys = xs
        ys.withUnsafeMutableBufferPointer { p in
            if vectorised { applyLogistic(p) } else { ebm_logistic_portable(p.baseAddress, p.count) }
        }
        for (x, y) in zip(xs, ys) {
            let exact = 1 / (1 + exp(-Double(x)))
            // Relative error within 4 ulp of Float (2⁻²³ each); below x ≈ −87.3, where σ(x) is subnormal, it is 0.
            #expect(abs(Double(y) - exact) <= max(4 * exact * 0x1p-23, Double(Float.leastNormalMagnitude)), "σ(\(x)) = \(y), expected \(exact)")
        }
        var nan: [Float] = [.nan, 1, .nan]
        nan.withUnsafeMutableBufferPointer { p in if vectorised { applyLogistic(p) } else { ebm_logistic_portable(p.baseAddress, p.count) } }
        #expect(nan[0].isNaN && nan[2].isNaN && abs(nan[1] - 0.7310586) < 1e-6)
    }

    @Test("parallel workers cover every index once")
    func parallel() {
        var hits = [Int](repeating: 0, count: 1000)
        hits.withUnsafeMutableBufferPointer { buf in
            Parallel.run(workers: 3) { w in for i in stride(from: w, to: 1000, by: 3) { buf[i] += 1 } }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }

    @Test("parallel runs, nested or overlapping, hold OpenBLAS at one thread and restore it once, when the last ends")
    func parallelBLASLimit() {
        let before = BLAS.threads
        let inside = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4)
        defer { inside.deallocate() }
        inside.initialize(repeating: -1)
        Parallel.run(workers: 2) { w in
            inside[w] = BLAS.threads
            // A nested run must not restore the outer run's limit when it ends.
            Parallel.run(workers: 2) { _ in }
            inside[2 + w] = BLAS.threads
        }
        #expect(Array(inside) == [1, 1, 1, 1])
        #expect(BLAS.threads == before)

        // Overlapping runs from two threads: A starts, B starts, A ends while B still runs. B must
        // still see one thread (with more than one BLAS thread configured, restoring at A's end
        // would show), and the count is restored after B.
        let aStarted = DispatchSemaphore(value: 0), aEnded = DispatchSemaphore(value: 0), bStarted = DispatchSemaphore(value: 0)
        let seenByB = SeenValue()
        let done = DispatchSemaphore(value: 0)
        Thread {
            Parallel.run(workers: 2) { w in
                if w == 0 { aStarted.signal(); bStarted.wait() }
            }
            aEnded.signal()
            done.signal()
        }.start()
        Thread {
            aStarted.wait()
            Parallel.run(workers: 2) { w in
                if w == 0 { bStarted.signal(); aEnded.wait(); seenByB.value = BLAS.threads }
            }
            done.signal()
        }.start()
        done.wait()
        done.wait()
        #expect(seenByB.value == 1)
        #expect(BLAS.threads == before)
    }
}

/// A value written by one thread and read after it is joined.
private final class SeenValue: @unchecked Sendable {
    var value = -1
}
