import EnergyCore

/// A set of bipolar (±1) patterns of N neurons each, one pattern per row.
///
/// Patterns read from grid or image files remember their 2-D shape (`height × width`) so that
/// they can be shown and written back in the same layout.
public struct PatternSet: Equatable, Sendable {
    /// The patterns, P × N, every element −1 or +1.
    public var values: Matrix<Float>
    /// The 2-D shape of each pattern when it is an image, as (height, width).
    public var shape: (height: Int, width: Int)?

    /// Patterns from a ±1 matrix, one pattern per row.
    public init(_ values: Matrix<Float>, shape: (height: Int, width: Int)? = nil) {
        precondition(values.storage.allSatisfy { $0 == 1 || $0 == -1 }, "PatternSet: values must be ±1")
        self.values = values
        self.shape = shape
    }

    /// Patterns from nested ±1 rows.
    public init(_ rows: [[Float]], shape: (height: Int, width: Int)? = nil) {
        self.init(Matrix(rows), shape: shape)
    }

    public static func == (a: PatternSet, b: PatternSet) -> Bool {
        a.values == b.values && a.shape?.height == b.shape?.height && a.shape?.width == b.shape?.width
    }

    /// Number of patterns P.
    public var count: Int { values.rows }
    /// Number of neurons N.
    public var neurons: Int { values.columns }
    /// Pattern μ as a vector.
    public func pattern(_ mu: Int) -> [Float] { values.row(mu) }

    /// P random patterns of N neurons, each element ±1 with probability ½.
    public static func random(count: Int, neurons: Int, random: RandomSource) -> PatternSet {
        var m = Matrix<Float>(rows: count, columns: neurons)
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = random.uniform() < 0.5 ? -1 : 1 }
        }
        return PatternSet(m)
    }

    /// A copy with a fraction `noise` of each pattern's bits flipped: exactly round(noise·N) distinct
    /// neurons per pattern, chosen uniformly.
    public func corrupted(fraction noise: Double, random: RandomSource) -> PatternSet {
        var m = values
        let n = neurons
        let flips = Int((noise * Double(n)).rounded())
        var order = Array(0..<n)
        for r in 0..<count {
            random.shuffle(&order)
            for k in 0..<flips { m[r, order[k]] = -m[r, order[k]] }
        }
        return PatternSet(m, shape: shape)
    }
}
