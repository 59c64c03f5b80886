import EnergyCore
import EnergyFormats

/// TrackML truth files: `hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight`; a BM@N event CSV
/// (`BMNEventFile`) is read as the truth it holds.
public enum TruthFile {
    /// The columns of a TrackML truth file.
    public static let columns = ["hit_id", "particle_id", "tx", "ty", "tz", "tpx", "tpy", "tpz", "weight"]

    /// Reads a truth file and returns its rows in file order. `required` names the columns that
    /// must be there; the positions and momenta read as 0 when their columns are absent.
    ///
    /// - Throws: `InputError` for a missing column, a bad value, a negative weight or a duplicate `hit_id`.
    public static func read(_ path: String, required: [String] = ["hit_id", "particle_id", "weight"]) throws -> [TruthHit] {
        try rows(path, required: required).truth
    }

    /// Reads a truth file and returns its rows in the order of `hits`.
    ///
    /// - Throws: `InputError` as `read(_:required:)`, and for a truth row for a hit that `hitsFile`
    ///   does not have, or a hit with no truth row.
    public static func read(_ path: String, matching hits: [Hit], hitsFile: String) throws -> [TruthHit] {
        let (truth, lines) = try rows(path, required: ["hit_id", "particle_id", "weight"])
        return try HitRows.align(ids: truth.map(\.hitID), values: truth, lines: lines, to: hits, file: path, hitsFile: hitsFile,
                                 unknown: "is not in the hits file \(hitsFile); expected the truth of the same event")
    }

    /// The validated rows of a truth file in file order, with their line numbers.
    static func rows(_ path: String, required: [String]) throws -> (truth: [TruthHit], lines: [Int]) {
        let table = try CSVTable.read(path)
        // A BM@N event CSV holds its own truth (`BMNEventFile`).
        if BMNEventFile.matches(table) { return (try BMNEventFile.event(from: table).truth, table.lineNumbers) }
        try table.requireColumns(required)
        let ids = try table.integers("hit_id"), particles = try table.integers("particle_id")
        let weights = try table.doubles("weight")
        func optional(_ name: String) throws -> [Double] {
            table.hasColumn(name) ? try table.doubles(name) : Array(repeating: 0, count: ids.count)
        }
        let tx = try optional("tx"), ty = try optional("ty"), tz = try optional("tz")
        let px = try optional("tpx"), py = try optional("tpy"), pz = try optional("tpz")
        var firstLine = [Int: Int]()
        var truth: [TruthHit] = []
        truth.reserveCapacity(ids.count)
        for r in ids.indices {
            let l = table.lineNumbers[r]
            guard weights[r] >= 0 else { throw InputError(file: path, .field(line: l, column: "weight"), "expected a weight ≥ 0, found \(weights[r])") }
            if let first = firstLine[ids[r]] {
                throw InputError(file: path, .field(line: l, column: "hit_id"), "duplicate hit_id \(ids[r]) (first on line \(first))")
            }
            firstLine[ids[r]] = l
            truth.append(TruthHit(hitID: ids[r], particleID: particles[r], tx: tx[r], ty: ty[r], tz: tz[r],
                                  tpx: px[r], tpy: py[r], tpz: pz[r], weight: weights[r]))
        }
        return (truth, table.lineNumbers)
    }

    /// The truth as CSV text: ids as integers, positions and momenta as `%.4f`, weights as `%.8g`.
    public static func format(_ truth: [TruthHit]) -> String {
        var out = TextWriter(capacity: 64 * (truth.count + 1))
        out.append(columns.joined(separator: ",") + "\n")
        func coordinate(_ v: Double) {
            out.append(byte: UInt8(ascii: ","))
            out.append(v, decimals: 4)
        }
        for t in truth {
            out.append(t.hitID)
            out.append(byte: UInt8(ascii: ","))
            out.append(t.particleID)
            coordinate(t.tx); coordinate(t.ty); coordinate(t.tz)
            coordinate(t.tpx); coordinate(t.tpy); coordinate(t.tpz)
            out.append(byte: UInt8(ascii: ","))
            out.append(t.weight, significantDigits: 8)
            out.append(byte: UInt8(ascii: "\n"))
        }
        return out.string
    }
}

/// TrackML submission files: `event_id,hit_id,track_id`, one row per hit; track 0 is no track.
public enum SubmissionFile {
    public static let columns = ["event_id", "hit_id", "track_id"]

    /// The submission of one event as CSV text.
    public static func format(eventID: Int, hits: [Hit], trackIDs: [Int]) -> String {
        var out = TextWriter(capacity: 24 * (hits.count + 1))
        out.append(columns.joined(separator: ",") + "\n")
        for (hit, track) in zip(hits, trackIDs) {
            out.append(eventID)
            out.append(byte: UInt8(ascii: ","))
            out.append(hit.id)
            out.append(byte: UInt8(ascii: ","))
            out.append(track)
            out.append(byte: UInt8(ascii: "\n"))
        }
        return out.string
    }

    /// Reads a submission and returns the track of each hit of `hits`, in their order.
    ///
    /// - Throws: `InputError` for a missing column, a bad value, a duplicate hit, a hit the event
    ///   does not have, or a hit of the event with no row.
    public static func read(_ path: String, matching hits: [Hit], hitsFile: String) throws -> [Int] {
        let table = try CSVTable.read(path)
        try table.requireColumns(["hit_id", "track_id"])
        let ids = try table.integers("hit_id"), tracks = try table.integers("track_id")
        return try HitRows.align(ids: ids, values: tracks, lines: table.lineNumbers, to: hits, file: path, hitsFile: hitsFile,
                                 unknown: "is not in \(hitsFile)")
    }
}

/// Rows of a per-hit file (truth, submission) matched to the hits of an event.
enum HitRows {
    /// `values` (one per row, keyed by `ids`) in the order of `hits`.
    ///
    /// - Throws: `InputError` naming the line of a hit id the event does not have (`unknown` says
    ///   why) or of a duplicate, or naming a hit of the event with no row.
    static func align<T>(ids: [Int], values: [T], lines: [Int], to hits: [Hit], file path: String, hitsFile: String,
                         unknown: String) throws -> [T] {
        let position = Dictionary(uniqueKeysWithValues: hits.enumerated().map { ($0.element.id, $0.offset) })
        var out = [T?](repeating: nil, count: hits.count)
        for (r, id) in ids.enumerated() {
            guard let p = position[id] else {
                throw InputError(file: path, .field(line: lines[r], column: "hit_id"), "hit_id \(id) \(unknown)")
            }
            guard out[p] == nil else { throw InputError(file: path, .field(line: lines[r], column: "hit_id"), "duplicate hit_id \(id)") }
            out[p] = values[r]
        }
        if let missing = out.firstIndex(where: { $0 == nil }) {
            throw InputError(file: path, "has no row for hit_id \(hits[missing].id) of \(hitsFile); expected one row per hit")
        }
        return out.compactMap { $0 }
    }
}
