import EnergyCore
import Foundation

/// How real-valued inputs in [0, 1] become binary for Bernoulli units.
public enum Binarization: String, Sendable, Codable, CaseIterable {
    /// 1 where the value is at least ½, else 0.
    case threshold
    /// 1 with probability equal to the value (Salakhutdinov & Murray 2008's test-set protocol),
    /// drawn from a seeded generator so the same seed gives the same binary data.
    case stochastic
    /// Keep the values as they are.
    case none
}

/// Loading a data set as a matrix with one example per row.
public enum DataMatrix {
    /// Reads examples from an IDX file (MNIST; gzip or raw), a `.npy` array or a numeric CSV file.
    ///
    /// IDX and `.npy` arrays keep their first dimension as the example count and flatten the rest
    /// (28×28 images become 784 columns). Unsigned-byte data (MNIST pixels) is scaled to [0, 1] by
    /// 1/255. CSV files are read as numbers, with a header line skipped when the first line is not
    /// numeric.
    ///
    /// - Throws: `InputError` naming the file for an unknown extension, a malformed file, an array
    ///   that is not at least 1-D, no examples or no values per example, or non-finite values.
    public static func load(_ path: String) throws -> Matrix<Float> {
        let name = path.lowercased()
        if name.hasSuffix(".npy") {
            let a = try NumpyArray.read(path)
            guard let first = a.shape.first, a.shape.count >= 1 else {
                throw InputError(file: path, "expected an array of examples (at least 1-D), found shape \(a.shape)")
            }
            guard var values: [Float] = a.values() else { throw InputError(file: path, "expected numbers, found a string") }
            if case .uint8 = a.storage { values = values.map { $0 / 255 } }
            let columns = try exampleSize(a.shape, file: path)
            return try checked(Matrix(rows: first, columns: columns, storage: values), file: path)
        }
        if name.hasSuffix(".csv") {
            let data = try AtomicFile.read(path)
            let firstLine = data.prefix { $0 != UInt8(ascii: "\n") }
            let hasHeader = String(decoding: firstLine, as: UTF8.self).split(separator: ",").contains { Double($0.trimmingCharacters(in: .whitespaces)) == nil }
            return try checked(try CSVTable.readMatrix(path, hasHeader: hasHeader, as: Float.self), file: path)
        }
        if name.hasSuffix(".gz") || name.contains("idx") || name.hasSuffix("-ubyte") {
            let a = try IDXArray.read(path)
            let columns = try exampleSize(a.shape, file: path)
            var values: [Float] = a.values()
            if a.type == .uint8 { values.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] /= 255 } } }
            return try checked(Matrix(rows: a.shape[0], columns: columns, storage: values), file: path)
        }
        throw InputError(file: path, "unknown data format; expected an IDX file (.gz, -ubyte, .idx), a .npy array or a .csv file")
    }

    /// Reads class labels: an IDX or `.npy` vector, or a one-column CSV file of integers.
    ///
    /// - Throws: `InputError` naming the file when the labels are not integers in 0..<classes.
    public static func loadLabels(_ path: String, classes: Int = 10) throws -> [Int] {
        let raw = try labelValues(path)
        var labels: [Int] = []
        labels.reserveCapacity(raw.count)
        for (i, x) in raw.enumerated() {
            guard x == x.rounded(), x >= 0, x < Double(classes) else {
                throw InputError(file: path, .record(i), "expected a class label 0–\(classes - 1), found \(x)")
            }
            labels.append(Int(x))
        }
        return labels
    }

    /// The raw label values, unscaled.
        private static func labelValues(_ path: String) throws -> [Double] {
        let name = path.lowercased()
        if name.hasSuffix(".npy") {
            guard let v: [Double] = try NumpyArray.read(path).values() else { throw InputError(file: path, "expected numbers, found a string") }
            return v
        }
        if name.hasSuffix(".csv") {
            let m = try load(path)
            guard m.columns == 1 else { throw InputError(file: path, "expected one label per line, found \(m.columns) columns") }
            return m.storage.map(Double.init)
        }
        let idx = try IDXArray.read(path)
        guard idx.shape.count == 1 else { throw InputError(file: path, "expected a 1-D label file, found shape \(idx.shape)") }
        return idx.values()
    }

    /// `data` binarized as asked; `random` drives the stochastic mode.
    public static func binarize(_ data: Matrix<Float>, _ mode: Binarization, random: RandomSource) -> Matrix<Float> {
        var out = data
        switch mode {
        case .none: break
        case .threshold: out.apply { $0 >= 0.5 ? 1 : 0 }
        case .stochastic: random.sampleBernoulli(&out.storage)
        }
        return out
    }

    /// The values per example of an array whose first dimension counts the examples.
    private static func exampleSize(_ shape: [Int], file: String) throws -> Int {
        guard shape.count > 1 else { return 1 }
        guard let size = Sizes.product(Array(shape.dropFirst())) else {
            throw InputError(file: file, "the example shape \(shape.dropFirst().map(String.init).joined(separator: "×")) has more values than 64 bits can count")
        }
        return size
    }

    /// `m` after checking that it holds at least one example of at least one value, all finite.
    private static func checked(_ m: Matrix<Float>, file: String) throws -> Matrix<Float> {
        guard m.rows > 0 else { throw InputError(file: file, "holds no examples (0 rows); expected at least one") }
        guard m.columns > 0 else { throw InputError(file: file, "its \(m.rows) examples have no values (0 columns); expected at least one") }
        if let bad = m.storage.firstIndex(where: { !$0.isFinite }) {
            throw InputError(file: file, .record(bad / max(m.columns, 1)), "expected finite values, found \(m.storage[bad])")
        }
        return m
    }
}
