/// A dense row-major matrix of `Float` or `Double`, with BLAS-backed products.
///
/// Element (r, c) is stored at `storage[r * columns + c]`. The type has value semantics
/// (copy-on-write through the underlying array); the mutating operations work in place and
/// allocate nothing. Shape mismatches are programming errors and trap; data read from user files
/// is validated by the readers before it becomes a `Matrix`.
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// The elements, row after row.
    public var storage: [Scalar]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Scalar](repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix over existing row-major storage.
    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) elements, shape needs \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from nested rows (all the same length); convenient in tests and small examples.
    public init(_ nested: [[Scalar]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: nested.count, columns: columns, storage: nested.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// Element access.
    @inlinable public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of one row.
    @inlinable public func row(_ r: Int) -> [Scalar] { Array(storage[(r * columns)..<((r + 1) * columns)]) }

    /// The rows `range` as a new matrix (one copy of contiguous storage).
    @inlinable public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns,
               storage: Array(storage[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The rows at `indices`, in that order, as a new matrix (a mini-batch gather).
    @inlinable public func gatherRows<C: Collection>(_ indices: C) -> Matrix where C.Element == Int {
        var out = Matrix(rows: indices.count, columns: columns)
        out.gatherRows(from: self, indices)
        return out
    }

    /// Overwrites `self` with the rows of `source` at `indices`; `self` must already have the shape.
    @inlinable public mutating func gatherRows<C: Collection>(from source: Matrix, _ indices: C) where C.Element == Int {
        precondition(rows == indices.count && columns == source.columns, "gatherRows shape mismatch")
        let n = columns
        storage.withUnsafeMutableBufferPointer { dst in
            source.storage.withUnsafeBufferPointer { src in
                var r = 0
                for i in indices {
                    (dst.baseAddress! + r * n).update(from: src.baseAddress! + i * n, count: n)
                    r += 1
                }
            }
        }
    }

    /// Overwrites the elements with those of `source`, which must have the same shape (no allocation).
    @inlinable public mutating func copyValues(from source: Matrix) {
        precondition(source.rows == rows && source.columns == columns, "copyValues: shape mismatch")
        storage.withUnsafeMutableBufferPointer { dst in
            source.storage.withUnsafeBufferPointer { src in
                if let d = dst.baseAddress, let s = src.baseAddress { d.update(from: s, count: src.count) }
            }
        }
    }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for r in 0..<rows { for c in 0..<columns { t.storage[c * rows + r] = storage[r * columns + c] } }
        return t
    }

    // MARK: BLAS level 3

    /// C ← α op(A) op(B) + β C (`gemm`), where op is the identity or the transpose.
    ///
    /// `self` is C and must already have the shape of op(A) op(B).
    @inlinable public mutating func multiply(_ a: Matrix, _ b: Matrix, transposeA ta: Bool = false, transposeB tb: Bool = false,
                                  alpha: Scalar = 1, beta: Scalar = 0) {
        let m = ta ? a.columns : a.rows
        let k = ta ? a.rows : a.columns
        let kb = tb ? b.columns : b.rows
        let n = tb ? b.rows : b.columns
        precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
        precondition(rows == m && columns == n, "gemm: result is \(rows)×\(columns), product is \(m)×\(n)")
        guard m > 0 && n > 0 else { return }
        if k == 0 {
            scale(by: beta)
            return
        }
        let lda = a.columns, ldb = b.columns, ldc = columns
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha,
                                a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                beta: beta, c: pc.baseAddress!, ldc: ldc)
                }
            }
        }
    }

    /// op(A) op(B) as a new matrix.
    @inlinable public static func product(_ a: Matrix, _ b: Matrix, transposeA ta: Bool = false, transposeB tb: Bool = false) -> Matrix {
        var c = Matrix(rows: ta ? a.columns : a.rows, columns: tb ? b.rows : b.columns)
        c.multiply(a, b, transposeA: ta, transposeB: tb)
        return c
    }

    // MARK: BLAS level 2

    /// y ← α op(A) x + β y (`gemv`), with A = `self`.
    @inlinable public func multiply(vector x: [Scalar], transposed: Bool = false, into y: inout [Scalar],
                         alpha: Scalar = 1, beta: Scalar = 0) {
        precondition(x.count == (transposed ? rows : columns), "gemv: x has \(x.count) elements")
        precondition(y.count == (transposed ? columns : rows), "gemv: y has \(y.count) elements")
        guard rows > 0 && columns > 0 else {
            for i in y.indices { y[i] *= beta }
            return
        }
        let (m, n) = (rows, columns)
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Scalar.gemv(transpose: transposed, m: m, n: n, alpha: alpha, a: pa.baseAddress!, lda: n,
                                x: px.baseAddress!, beta: beta, y: py.baseAddress!)
                }
            }
        }
    }

    /// op(A) x as a new vector.
    @inlinable public func multiplied(by x: [Scalar], transposed: Bool = false) -> [Scalar] {
        var y = [Scalar](repeating: 0, count: transposed ? columns : rows)
        multiply(vector: x, transposed: transposed, into: &y)
        return y
    }

    /// A ← α x yᵀ + A (`ger`), the rank-one update.
    @inlinable public mutating func addOuterProduct(_ x: [Scalar], _ y: [Scalar], alpha: Scalar = 1) {
        precondition(x.count == rows && y.count == columns, "ger: shape mismatch")
        guard rows > 0 && columns > 0 else { return }
        let (m, n) = (rows, columns)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                storage.withUnsafeMutableBufferPointer { pa in
                    Scalar.ger(m: m, n: n, alpha: alpha, x: px.baseAddress!, y: py.baseAddress!, a: pa.baseAddress!, lda: n)
                }
            }
        }
    }

    // MARK: BLAS level 1 and elementwise

    /// self ← α X + self (`axpy`) for a matrix X of the same shape.
    @inlinable public mutating func add(_ x: Matrix, scaledBy alpha: Scalar = 1) {
        precondition(x.rows == rows && x.columns == columns, "axpy: shape mismatch")
        storage.axpy(x.storage, alpha: alpha)
    }

    /// self ← α self (`scal`).
    @inlinable public mutating func scale(by alpha: Scalar) {
        storage.scale(by: alpha)
    }

    /// Adds `vector` to every row (the bias broadcast of a layer: X + 1 bᵀ).
    @inlinable public mutating func addToEachRow(_ vector: [Scalar]) {
        precondition(vector.count == columns, "row broadcast: vector has \(vector.count) elements, matrix has \(columns) columns")
        let n = columns, m = rows
        storage.withUnsafeMutableBufferPointer { p in
            vector.withUnsafeBufferPointer { v in
                for r in 0..<m {
                    let row = p.baseAddress! + r * n
                    for c in 0..<n { row[c] += v[c] }
                }
            }
        }
    }

    /// The sum of each column, 1ᵀ X (a gradient of a bias over a mini-batch).
    @inlinable public func columnSums() -> [Scalar] {
        var sums = [Scalar](repeating: 0, count: columns)
        addColumnSums(into: &sums)
        return sums
    }

    /// sums ← α 1ᵀ X + β sums, without allocating.
    @inlinable public func addColumnSums(into sums: inout [Scalar], alpha: Scalar = 1, beta: Scalar = 1) {
        precondition(sums.count == columns, "column sums: vector has \(sums.count) elements")
        let n = columns, m = rows
        if beta != 1 { sums.scale(by: beta) }
        storage.withUnsafeBufferPointer { p in
            sums.withUnsafeMutableBufferPointer { s in
                for r in 0..<m {
                    let row = p.baseAddress! + r * n
                    for c in 0..<n { s[c] += alpha * row[c] }
                }
            }
        }
    }

    /// The sum of each row, X 1.
    @inlinable public func rowSums() -> [Scalar] {
        var sums = [Scalar](repeating: 0, count: rows)
        let n = columns
        storage.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                var s: Scalar = 0
                for c in 0..<n { s += p[r * n + c] }
                sums[r] = s
            }
        }
        return sums
    }

    /// Applies `f` to every element in place (no allocation).
    @inlinable public mutating func apply(_ f: (Scalar) -> Scalar) {
        storage.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = f(p[i]) }
        }
    }

    /// Sets each element to `f(self, other)` elementwise, in place (no allocation).
    @inlinable public mutating func combine(with other: Matrix, _ f: (Scalar, Scalar) -> Scalar) {
        precondition(other.rows == rows && other.columns == columns, "elementwise: shape mismatch")
        storage.withUnsafeMutableBufferPointer { p in
            other.storage.withUnsafeBufferPointer { q in
                for i in p.indices { p[i] = f(p[i], q[i]) }
            }
        }
    }

    /// A new matrix with `f` applied to every element.
    @inlinable public func map(_ f: (Scalar) -> Scalar) -> Matrix {
        var copy = self
        copy.apply(f)
        return copy
    }

    /// The Frobenius norm.
    @inlinable public var frobeniusNorm: Scalar { storage.dot(storage).squareRoot() }

    /// Whether every element is finite (no NaN or infinity): the divergence guard of training loops.
    @inlinable public var isFinite: Bool { storage.allFinite }

    /// The same values in the other precision.
    public func converted<T: BLASScalar>(to: T.Type = T.self) -> Matrix<T> {
        Matrix<T>(rows: rows, columns: columns, storage: storage.map { T($0) })
    }
}

extension Array where Element: BLASScalar {
    /// self ← α x + self (`axpy`).
    @inlinable public mutating func axpy(_ x: [Element], alpha: Element = 1) {
        precondition(x.count == count, "axpy: lengths \(x.count) and \(count) differ")
        guard !isEmpty else { return }
        let n = count
        x.withUnsafeBufferPointer { px in
            withUnsafeMutableBufferPointer { py in Element.axpy(count: n, alpha: alpha, x: px.baseAddress!, y: py.baseAddress!) }
        }
    }

    /// self ← α self (`scal`).
    @inlinable public mutating func scale(by alpha: Element) {
        guard !isEmpty else { return }
        let n = count
        withUnsafeMutableBufferPointer { p in Element.scal(count: n, alpha: alpha, x: p.baseAddress!) }
    }

    /// xᵀy (`dot`).
    @inlinable public func dot(_ other: [Element]) -> Element {
        precondition(other.count == count, "dot: lengths differ")
        guard !isEmpty else { return 0 }
        return withUnsafeBufferPointer { p in
            other.withUnsafeBufferPointer { q in Element.dot(count: p.count, x: p.baseAddress!, y: q.baseAddress!) }
        }
    }

    /// Whether every element is finite.
    @inlinable public var allFinite: Bool {
        withUnsafeBufferPointer { p in
            for v in p where !v.isFinite { return false }
            return true
        }
    }
}
