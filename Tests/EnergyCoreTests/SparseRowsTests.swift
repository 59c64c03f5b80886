import EnergyCore
import Testing

@Suite("Sparse rows")
struct SparseRowsTests {
    /// A rows × columns matrix whose entries are nonzero with probability `density`.
    static func sparse(rows: Int, columns: Int, density: Double, random: RandomSource) -> Matrix<Float> {
        var y = Matrix<Float>(rows: rows, columns: columns)
        for k in y.storage.indices where random.uniform() < density { y.storage[k] = Float(random.uniform(-1, 1)) }
        return y
    }

    static func dense(rows: Int, columns: Int, random: RandomSource) -> Matrix<Float> {
        var m = Matrix<Float>(rows: rows, columns: columns)
        random.fillGaussian(&m.storage, sigma: 1)
        return m
    }

    /// Y (rows × inner, of the given density), M (inner × columns) and X (rows × columns) for a product shape.
    static func operands(_ shape: (rows: Int, inner: Int, columns: Int, density: Double), seed: UInt64)
        -> (y: Matrix<Float>, m: Matrix<Float>, x: Matrix<Float>) {
        let random = RandomSource(seed: seed)
        let y = sparse(rows: shape.rows, columns: shape.inner, density: shape.density, random: random)
        let m = dense(rows: shape.inner, columns: shape.columns, random: random)
        return (y, m, dense(rows: shape.rows, columns: shape.columns, random: random))
    }

    /// β X + Y M through `SparseRows.compress` and `multiply`.
    static func sparseProduct(_ y: Matrix<Float>, _ m: Matrix<Float>, _ x: Matrix<Float>, beta: Float,
                              kernels: SparseRows.Kernels = .fastest) -> Matrix<Float> {
        var x = x
        var indices = [Int32](repeating: -1, count: y.storage.count), values = [Float](repeating: .nan, count: y.storage.count)
        var counts = [Int](repeating: 0, count: y.rows)
        y.storage.withUnsafeBufferPointer { py in
            indices.withUnsafeMutableBufferPointer { pi in
                values.withUnsafeMutableBufferPointer { pv in
                    for r in 0..<y.rows {
                        counts[r] = SparseRows.compress(py.baseAddress! + r * y.columns, count: y.columns,
                                                        indices: pi.baseAddress! + r * y.columns, values: pv.baseAddress! + r * y.columns,
                                                        kernels: kernels)
                    }
                    m.storage.withUnsafeBufferPointer { pm in
                        x.storage.withUnsafeMutableBufferPointer { px in
                            SparseRows.multiply(rows: y.rows, counts: counts, indices: pi.baseAddress!, values: pv.baseAddress!, stride: y.columns,
                                                matrix: pm.baseAddress!, leadingDimension: m.columns, columns: m.columns, beta: beta,
                                                into: px.baseAddress!, ldx: x.columns, kernels: kernels)
                        }
                    }
                }
            }
        }
        return x
    }

    @Test("compress keeps the nonzero entries in order", arguments: [SparseRows.Kernels.fastest, .portable])
    func compress(_ kernels: SparseRows.Kernels) {
        let row: [Float] = [0, 1.5, 0, 0, -2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 4, 0.25]
        var indices = [Int32](repeating: 0, count: row.count), values = [Float](repeating: 0, count: row.count)
        let n = row.withUnsafeBufferPointer { SparseRows.compress($0.baseAddress!, count: row.count, indices: &indices, values: &values, kernels: kernels) }
        #expect(n == 5)
        #expect(Array(indices[0..<n]) == [1, 4, 9, 17, 18])
        #expect(Array(values[0..<n]) == [1.5, -2, 3, 4, 0.25])
    }

    @Test("compress gives the portable loop's entries on long rows of every density")
    func compressLong() {
        let random = RandomSource(seed: 6)
        for density in [0.0, 0.05, 0.19, 0.5, 1.0] {
            let y = Self.sparse(rows: 3, columns: 785, density: density, random: random)
            for r in 0..<y.rows {
                var fast = ([Int32](repeating: -1, count: 785), [Float](repeating: .nan, count: 785)), slow = fast
                let (nf, ns) = y.row(r).withUnsafeBufferPointer { p in
                    (SparseRows.compress(p.baseAddress!, count: 785, indices: &fast.0, values: &fast.1),
                     SparseRows.compress(p.baseAddress!, count: 785, indices: &slow.0, values: &slow.1, kernels: .portable))
                }
                #expect(nf == ns && nf == y.row(r).filter { $0 != 0 }.count)
                #expect(Array(fast.0[0..<nf]) == Array(slow.0[0..<ns]) && Array(fast.1[0..<nf]) == Array(slow.1[0..<ns]), "density \(density)")
            }
        }
    }

    @Test("the sparse product equals the GEMM up to rounding", arguments: [(100, 784, 500, 0.19), (37, 50, 7, 0.5), (3, 500, 784, 0.3),
                                                                           (200, 130, 129, 0.05), (5, 20, 70, 0.0), (4, 9, 1, 1.0)])
    func product(_ shape: (Int, Int, Int, Double)) {
        let inner = shape.1
        let (y, m, x) = Self.operands(shape, seed: 11)
        for kernels in [SparseRows.Kernels.fastest, .avx2, .portable] {
            for beta: Float in [1, 0.5] {
                var expected = x
                expected.multiply(y, m, alpha: 1, beta: beta)
                let got = Self.sparseProduct(y, m, x, beta: beta, kernels: kernels)
                // Each element is a sum of at most `inner` terms of size about 1: rounding stays far below 1e-4 · √inner.
                let worst = zip(got.storage, expected.storage).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= 1e-4 * Float(inner).squareRoot(), "\(shape) \(kernels) β = \(beta): largest difference \(worst)")
            }
        }
    }

    @Test("the AVX-512 product equals the AVX2 one bit for bit", arguments: [(100, 784, 500, 0.19), (50, 500, 784, 0.3), (37, 50, 7, 0.5),
                                                                              (130, 200, 129, 0.2), (3, 40, 16, 0.5), (9, 30, 1, 0.6)])
    func avx512MatchesAVX2(_ shape: (Int, Int, Int, Double)) {
        let (y, m, x) = Self.operands(shape, seed: 17)
        for beta: Float in [1, 0.9] {
            let fastest = Self.sparseProduct(y, m, x, beta: beta, kernels: .fastest)
            let avx2 = Self.sparseProduct(y, m, x, beta: beta, kernels: .avx2)
            #expect(fastest.storage.map(\.bitPattern) == avx2.storage.map(\.bitPattern), "\(shape) β = \(beta)")
        }
    }

    @Test("each row's result does not depend on the other rows")
    func rowsIndependent() {
        let random = RandomSource(seed: 4)
        let y = Self.sparse(rows: 150, columns: 300, density: 0.2, random: random)
        let m = Self.dense(rows: 300, columns: 200, random: random)
        let x = Self.dense(rows: 150, columns: 200, random: random)
        let whole = Self.sparseProduct(y, m, x, beta: 1)
        let part = Self.sparseProduct(y.rows(40..<41), m, x.rows(40..<41), beta: 1)
        #expect(part.storage == whole.row(40))
    }

    @Test("transposeColumns lists each column's nonzero rows, scaled", arguments: [SparseRows.Kernels.fastest, .portable])
    func columns(_ kernels: SparseRows.Kernels) {
        let random = RandomSource(seed: 9)
        let y = Self.sparse(rows: 30, columns: 40, density: 0.3, random: random)
        let units = 5..<33, stride = y.rows
        var counts = [Int](repeating: -1, count: units.count)
        var indices = [Int32](repeating: 0, count: units.count * stride), values = [Float](repeating: 0, count: units.count * stride)
        y.storage.withUnsafeBufferPointer { py in
            SparseRows.transposeColumns(py.baseAddress!, rows: y.rows, leadingDimension: y.columns, columns: units, scale: 2,
                                        counts: &counts, indices: &indices, values: &values, stride: stride, kernels: kernels)
            #expect(SparseRows.nonzeros(py.baseAddress!, count: y.storage.count, kernels: kernels) == y.storage.filter { $0 != 0 }.count)
        }
        for i in units {
            let u = i - units.lowerBound
            let rows = (0..<y.rows).filter { y[$0, i] != 0 }
            #expect(counts[u] == rows.count)
            #expect(Array(indices[(u * stride)..<(u * stride + counts[u])]) == rows.map { Int32($0) })
            #expect(Array(values[(u * stride)..<(u * stride + counts[u])]) == rows.map { 2 * y[$0, i] })
        }
    }

    @Test("transpose writes the requested rows of Mᵀ")
    func transpose() {
        let m = Self.dense(rows: 37, columns: 21, random: RandomSource(seed: 2))
        var t = [Float](repeating: .nan, count: 37 * 21)
        m.storage.withUnsafeBufferPointer { pm in
            t.withUnsafeMutableBufferPointer { pt in
                SparseRows.transpose(pm.baseAddress!, rows: 37, columns: 21, into: pt.baseAddress!, transposedRows: 0..<10)
                SparseRows.transpose(pm.baseAddress!, rows: 37, columns: 21, into: pt.baseAddress!, transposedRows: 10..<21)
            }
        }
        #expect(t == m.transposed.storage)
    }
}
