import EnergyCore
import EnergyFormats
import Foundation

/// One row of the SPD simulation file: a hit with its truth.
public struct SPDSimRow: Equatable, Sendable {
    /// The event (`evt`), from 0.
    public var event: Int
    /// The measured position, mm.
    public var x: Double, y: Double, z: Double
    /// The straw-tracker station (`station`), the layer.
    public var station: Int
    /// The track within the event (`trk`), from 0; −1 for a noise hit.
    public var track: Int
    /// The particle's momentum at the hit, MeV/c (0 for noise).
    public var px: Double, py: Double, pz: Double
    /// The event's vertex, mm (0 for noise).
    public var vx: Double, vy: Double, vz: Double

    public init(event: Int, x: Double, y: Double, z: Double, station: Int, track: Int,
                px: Double = 0, py: Double = 0, pz: Double = 0, vx: Double = 0, vy: Double = 0, vz: Double = 0) {
        self.event = event
        self.x = x; self.y = y; self.z = z
        self.station = station
        self.track = track
        self.px = px; self.py = py; self.pz = pz
        self.vx = vx; self.vy = vy; self.vz = vz
    }
}

/// The output of the SPD (NICA) barrel simulation of JINR's Hopfield-tracking repository
/// (github.com/fizmat/hopfield-tracking, `datasets/spdsim.py`): as its `main()` writes it, with
/// pandas' `to_csv(sep='\t', index=False, header=False)` of `gen_spdsim`'s table: no header, one
/// tab-separated row per hit, the columns `evt, x, y, z, station, trk, px, py, pz, vtxx, vtxy, vtxz`
/// (mm and MeV/c; `trk` −1 for noise, whose momentum and vertex are 0). The events are 35
/// cylindrical straw stations at r = 270–850 mm, |z| < 2386 mm, in a 0.8 T solenoid.
///
/// Under pandas 3 (and pandas 2 with `include_groups=False`), `groupby('evt').apply(...)` drops the
/// grouping column, so the same `main()` writes 11 columns, without `evt`. Such a file is read too:
/// its events are told apart as `gen_spdsim` writes them, each event's track hits (with the event's
/// vertex) followed by its noise hits, so a track hit starts a new event when the row before it is
/// a noise hit or a track hit of another vertex; events are then numbered from 0.
///
/// `events(_:)` turns the rows into the toolkit's events, as the repository's loader
/// (`spdsim.get_hits`) reads them: `station` is the layer (volume 0), `trk` the track; hits are
/// numbered from 1 in file order within each event. The truth's particle is `trk + 1` (noise 0), its
/// momentum in GeV, its position the measured one (the file has no other), and its weight that of
/// the repository's TrackML scoring (`metrics/tracks.py`: 1 per track hit, 0 per noise hit),
/// normalised to sum to 1 over the event.
///
/// Note: `spdsim.py` gives track hits stations 1–35 (`np.arange(1, 36)`) and noise hits 0–34
/// (`integers(0, 35)`), each at the radius `radii[station]`, so a noise hit of station s lies on the
/// cylinder of the track hits of station s + 1. The reader keeps the file's stations, as the
/// repository's own code does.
public enum SPDSimFile {
    /// The columns, in order.
    public static let columns = ["evt", "x", "y", "z", "station", "trk", "px", "py", "pz", "vtxx", "vtxy", "vtxz"]

    /// Reads the rows of a file (12 columns, or 11 without `evt`, as above).
    ///
    /// - Throws: `InputError` with the line and column for a row without 12 (or 11) tab-separated fields, a
    ///   field that is not a number (an integer for `evt`, `station` and `trk`), a non-finite or
    ///   out-of-range coordinate, or a `trk` below −1; or for an empty or unreadable file.
    public static func read(_ path: String) throws -> [SPDSimRow] {
        let data = try AtomicFile.read(path)
        return try parse(data, file: path)
    }

    /// Parses the rows of a file's contents; `file` names it in errors.
    public static func parse(_ data: Data, file: String) throws -> [SPDSimRow] {
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: file, "not UTF-8 text") }
        var rows: [SPDSimRow] = []
        var lineNumber = 0, width: Int?, inferredEvent = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == columns.count || fields.count == columns.count - 1 else {
                throw InputError(file: file, .line(lineNumber), "expected \(columns.count) tab-separated fields (\(columns.joined(separator: ", "))), "
                                 + "or \(columns.count - 1) without evt, found \(fields.count)")
            }
            if let width, fields.count != width {
                throw InputError(file: file, .line(lineNumber), "expected \(width) fields as on the first line, found \(fields.count)")
            }
            width = fields.count
            let names = fields.count == columns.count ? columns : Array(columns.dropFirst())
            func real(_ k: Int) throws -> Double {
                guard let v = Double(fields[k]), v.isFinite, abs(v) <= HitFile.maximumCoordinate else {
                    throw InputError(file: file, .field(line: lineNumber, column: names[k]),
                                     "expected a finite number within ±\(HitFile.maximumCoordinate), found \"\(fields[k])\"")
                }
                return v
            }
            func integer(_ k: Int) throws -> Int {
                // pandas writes integer columns as integers, but a column with a missing value as floats (1.0).
                if let v = Int(fields[k]) { return v }
                if let v = Double(fields[k]), v == v.rounded(), abs(v) < 1e9 { return Int(v) }
                throw InputError(file: file, .field(line: lineNumber, column: names[k]), "expected an integer, found \"\(fields[k])\"")
            }
            let o = fields.count == columns.count ? 1 : 0
            var row = SPDSimRow(event: o == 1 ? try integer(0) : 0, x: try real(o), y: try real(o + 1), z: try real(o + 2),
                                station: try integer(o + 3), track: try integer(o + 4), px: try real(o + 5), py: try real(o + 6),
                                pz: try real(o + 7), vx: try real(o + 8), vy: try real(o + 9), vz: try real(o + 10))
            if o == 0 {
                // No evt column: a track hit after a noise hit, or with another vertex, starts the next event.
                if row.track >= 0 {
                    if let previous = rows.last, previous.track < 0 || (previous.vx, previous.vy, previous.vz) != (row.vx, row.vy, row.vz) {
                        inferredEvent += 1
                    }
                }
                row.event = inferredEvent
            }
            guard row.track >= -1 else {
                throw InputError(file: file, .field(line: lineNumber, column: "trk"), "expected a track ≥ 0, or −1 for noise, found \(row.track)")
            }
            guard row.event >= 0 else {
                throw InputError(file: file, .field(line: lineNumber, column: "evt"), "expected an event ≥ 0, found \(row.event)")
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw InputError(file: file, "no hits; expected tab-separated rows of \(columns.joined(separator: ", "))") }
        return rows
    }

    /// The file's text for `rows`, as `spdsim.py` writes it (every number in Swift's shortest form
    /// that reads back exactly), with the `evt` column or, with `eventColumn` false, without it as
    /// under pandas 3.
    public static func format(_ rows: [SPDSimRow], eventColumn: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 120)
        for r in rows {
            if eventColumn { out += "\(r.event)\t" }
            out += "\(r.x)\t\(r.y)\t\(r.z)\t\(r.station)\t\(r.track)\t\(r.px)\t\(r.py)\t\(r.pz)\t\(r.vx)\t\(r.vy)\t\(r.vz)\n"
        }
        return out
    }

    /// The events of `rows`, in order of their `evt`: hits and truth as described above.
    public static func events(_ rows: [SPDSimRow]) -> [(event: Int, hits: [Hit], truth: [TruthHit])] {
        var byEvent: [Int: [SPDSimRow]] = [:]
        for r in rows { byEvent[r.event, default: []].append(r) }
        return byEvent.keys.sorted().map { event in
            let rows = byEvent[event] ?? []
            let trackHits = rows.filter { $0.track >= 0 }.count
            let weight = trackHits > 0 ? 1 / Double(trackHits) : 0
            var hits: [Hit] = [], truth: [TruthHit] = []
            for (k, r) in rows.enumerated() {
                hits.append(Hit(id: k + 1, x: r.x, y: r.y, z: r.z, layer: LayerID(volume: 0, layer: r.station)))
                truth.append(TruthHit(hitID: k + 1, particleID: r.track + 1, tx: r.x, ty: r.y, tz: r.z,
                                      tpx: r.px / 1000, tpy: r.py / 1000, tpz: r.pz / 1000, weight: r.track >= 0 ? weight : 0))
            }
            return (event, hits, truth)
        }
    }

    /// Reads an SPD simulation file and writes each event as TrackML files, `PREFIX` + the event
    /// number in 9 digits + `-hits.csv` and `-truth.csv` (so that the prefix `DIR/event` makes an
    /// `EventFolder`), creating the prefix's folder; returns the hit files written.
    ///
    /// - Throws: `InputError` for a bad input file, or a folder or file that cannot be written.
    @discardableResult
    public static func convert(_ path: String, prefix: String) throws -> [String] {
        let rows = try read(path)
        let folder = (prefix as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw InputError(file: folder, "cannot create the folder")
            }
        }
        var written: [String] = []
        for e in events(rows) {
            let stem = prefix + String(format: "%09ld", e.event)
            try AtomicFile.checkOutput(stem + "-hits.csv", isNotAnyOf: [path])
            try AtomicFile.checkOutput(stem + "-truth.csv", isNotAnyOf: [path])
            var out = TextWriter(capacity: 48 * (e.hits.count + 1))
            out.append("hit_id,x,y,z,volume_id,layer_id,module_id\n")
            for h in e.hits {
                out.append(h.id)
                for v in [h.x, h.y, h.z] {
                    out.append(byte: UInt8(ascii: ","))
                    out.append(v, decimals: 4)
                }
                out.append(",0,")
                out.append(h.layer.layer)
                out.append(",0\n")
            }
            try AtomicFile.write(out.data, to: stem + "-hits.csv")
            try AtomicFile.write(TruthFile.format(e.truth), to: stem + "-truth.csv")
            written.append(stem + "-hits.csv")
        }
        return written
    }
}
