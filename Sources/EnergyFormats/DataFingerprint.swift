import EnergyCore
import Foundation

/// What a training run was given, small enough to keep in a checkpoint: the shape of the data and
/// the CRC-32 of its values (zlib's `crc32` over the IEEE bytes, row by row).
///
/// A resumed run compares the fingerprint of the data it is given with the one saved when the run
/// started, so that resuming on other examples, fewer of them, or differently binarised ones is
/// refused rather than silently mixed into the same model.
public struct DataFingerprint: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Examples (rows) and values per example (columns).
    public var rows: Int, columns: Int
    /// CRC-32 of the values.
    public var checksum: UInt32

    /// The fingerprint of `data`, and of its `labels` (one per row) when given: the checksum then
    /// runs on over the labels as 64-bit integers.
    public init<Scalar>(_ data: Matrix<Scalar>, labels: [Int]? = nil) {
        rows = data.rows
        columns = data.columns
        var crc = data.storage.withUnsafeBytes { Gzip.crc32(bytes: $0) }
        if let labels { crc = labels.map(Int64.init).withUnsafeBytes { Gzip.crc32(bytes: $0, continuing: crc) } }
        checksum = crc
    }

    /// "60000×784, CRC-32 1a2b3c4d".
    public var description: String { "\(rows)×\(columns), CRC-32 " + String(checksum, radix: 16) }
}
