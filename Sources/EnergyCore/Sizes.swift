import Foundation

/// Checked arithmetic and an allocation limit for sizes that come from input: file headers,
/// metadata and options.
///
/// A 19-byte image header can claim 100,000 × 100,000 pixels, and an `.npy` header a shape of
/// (2⁶², 4). Multiplying such sizes unchecked traps, and allocating them exhausts memory, so every
/// reader multiplies dimensions with `Sizes.product` and asks `Sizes.checkAllocation` before it
/// allocates what a file or an option asks for. The limit is `Sizes.allocationLimit` bytes: 8 GiB by
/// default (a third of this project's 24 GiB machines), or the value of the environment variable
/// `EBM_MAX_ALLOCATION` (bytes, or with a K, M, G or T suffix), or whatever a program sets.
public enum Sizes {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var limit: Int = defaultLimit()

    /// The largest single allocation, in bytes, that input may ask for.
    public static var allocationLimit: Int {
        get { lock.lock(); defer { lock.unlock() }; return limit }
        set { lock.lock(); limit = max(0, newValue); lock.unlock() }
    }

    /// `EBM_MAX_ALLOCATION` when it is set and valid, else 8 GiB.
    static func defaultLimit() -> Int {
        ProcessInfo.processInfo.environment["EBM_MAX_ALLOCATION"].flatMap(parseBytes) ?? 8 << 30
    }

    /// `123`, `64K`, `512M`, `8G` or `1T` as bytes; nil when malformed or too large.
    public static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var digits = Substring(t), shift = 0
        if let last = t.last, let s = units[last] { digits = t.dropLast(); shift = s }
        guard let n = Int(digits), n >= 0 else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : bytes
    }

    /// The product of `factors`, or nil when it overflows `Int` or a factor is negative.
    public static func product(_ factors: [Int]) -> Int? {
        var p = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (q, overflow) = p.multipliedReportingOverflow(by: f)
            guard !overflow else { return nil }
            p = q
        }
        return p
    }

    /// The number of elements `count` × `elementSize` bytes may hold, after checking the product
    /// against the allocation limit.
    ///
    /// - Parameters:
    ///   - factors: the dimensions as the input states them (e.g. an `.npy` shape).
    ///   - elementSize: bytes per element.
    ///   - file: the file (or option) the sizes come from.
    ///   - field: which of its fields.
    /// - Returns: the number of elements.
    /// - Throws: `InputError` naming the file, the field and the limit when the product overflows
    ///   or the bytes exceed `allocationLimit`.
    @discardableResult
    public static func checkAllocation(_ factors: [Int], elementSize: Int, file: String, field: String) throws -> Int {
        let described = factors.map(String.init).joined(separator: " × ")
        guard let count = product(factors), let bytes = product([count, elementSize]) else {
            throw InputError(file: file, "\(field) \(described) is too large: the size overflows 64 bits")
        }
        let limit = allocationLimit
        guard bytes <= limit else {
            throw InputError(file: file, "\(field) \(described) needs \(describe(bytes: bytes)), above the allocation limit of "
                             + "\(describe(bytes: limit)) (set EBM_MAX_ALLOCATION to raise it)")
        }
        return count
    }

    /// Bytes in binary units, e.g. `37.3 GiB`.
    public static func describe(bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
