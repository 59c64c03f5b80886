import EnergyCore
import EnergyFormats

/// The BM@N event CSV of JINR's simulated BM@N data (the format of `data/bman/event6.csv` in
/// fizmat/hopfield-tracking, written by its `datasets/bman.py` from BM@N's simulation):
///
///     event_id,x,y,z,detector,station,track,px,py,pz,vx,vy,vz
///
/// one row per hit of one event; x, y, z in cm (BmnRoot's unit); `detector` 0 is the forward
/// silicon and 1 the GEMs, `station` numbers the stations of a detector from 0; `track` is the
/// simulated track of the hit, −1 for noise (fakes and strip-crossing ghosts); px…pz (GeV) and
/// vx…vz (cm) are the track's momentum and vertex. The file has no hit ids and no weights.
///
/// Read as an event of the toolkit: positions in mm (× 10), hit_id = the row's number among the
/// data rows (from 1), layer = (volume `detector` + 1, layer `station` + 1), as
/// `DipoleSpectrometer.bmnLike` numbers its stations. The truth: particle_id = `track` + 1 (0 for
/// noise), the TrackML weights (Amrouche et al. 2019) as `EventGenerator` gives them: the hits of
/// particles with at least 4 hits share the weight uniformly, noise and shorter particles weigh 0.
public enum BMNEventFile {
    /// The columns of the format, in order.
    public static let columns = ["event_id", "x", "y", "z", "detector", "station", "track", "px", "py", "pz", "vx", "vy", "vz"]

    /// Whether `table` is in this format (it has `detector`, `station` and `track` and no `hit_id`).
    public static func matches(_ table: CSVTable) -> Bool {
        table.hasColumn("detector") && table.hasColumn("station") && table.hasColumn("track") && !table.hasColumn("hit_id")
    }

    /// The hits and truth of the event in `table` (see the type's description).
    ///
    /// - Throws: `InputError` naming the file, line and column for a missing column, a value that
    ///   is not a number, a coordinate beyond `HitFile.maximumCoordinate`, a negative detector or
    ///   station, a track below −1, or a second event id; for an empty file or hits on fewer than two layers.
    public static func event(from table: CSVTable) throws -> (hits: [Hit], truth: [TruthHit]) {
        let file = table.file
        try table.requireColumns(columns)
        guard table.rowCount > 0 else { throw InputError(file: file, "no hits: the file has a header but no rows") }
        let events = try table.integers("event_id")
        let x = try table.doubles("x"), y = try table.doubles("y"), z = try table.doubles("z")
        let detectors = try table.integers("detector"), stations = try table.integers("station"), tracks = try table.integers("track")
        let px = try table.doubles("px"), py = try table.doubles("py"), pz = try table.doubles("pz")
        var hits: [Hit] = [], truth: [TruthHit] = []
        hits.reserveCapacity(table.rowCount)
        truth.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            let line = table.lineNumbers[r]
            guard events[r] == events[0] else {
                throw InputError(file: file, .field(line: line, column: "event_id"),
                                 "event \(events[r]) after event \(events[0]) (line \(table.lineNumbers[0])); expected one event per file")
            }
            for (name, value) in [("detector", detectors[r]), ("station", stations[r])] where !(0...1_000_000).contains(value) {
                throw InputError(file: file, .field(line: line, column: name), "expected a number from 0 to 1000000, found \(value)")
            }
            guard tracks[r] >= -1, tracks[r] < Int(Int32.max) else {
                throw InputError(file: file, .field(line: line, column: "track"), "expected a track ≥ 0 or −1 (noise), found \(tracks[r])")
            }
            let position = (x[r] * 10, y[r] * 10, z[r] * 10)
            for (name, value) in [("x", position.0), ("y", position.1), ("z", position.2)] where abs(value) > HitFile.maximumCoordinate {
                throw InputError(file: file, .field(line: line, column: name),
                                 "\(value / 10) cm is outside any detector; expected |\(name)| ≤ \(Int(HitFile.maximumCoordinate / 10)) cm")
            }
            let particle = tracks[r] + 1
            hits.append(Hit(id: r + 1, x: position.0, y: position.1, z: position.2,
                            layer: LayerID(volume: detectors[r] + 1, layer: stations[r] + 1)))
            truth.append(TruthHit(hitID: r + 1, particleID: particle, tx: position.0, ty: position.1, tz: position.2,
                                  tpx: particle != 0 ? px[r] : 0, tpy: particle != 0 ? py[r] : 0, tpz: particle != 0 ? pz[r] : 0, weight: 0))
        }
        let layerCount = Set(hits.map(\.layer)).count
        guard layerCount >= 2 else {
            throw InputError(file: file, "the event has hits on \(layerCount) layer; expected at least 2 layers to form segments")
        }
        // TrackML weights: uniform over the hits of particles with at least 4 hits.
        var count: [Int: Int] = [:]
        for t in truth where t.particleID != 0 { count[t.particleID, default: 0] += 1 }
        let eligible = truth.filter { $0.particleID != 0 && count[$0.particleID, default: 0] >= 4 }.count
        if eligible > 0 {
            for k in truth.indices where truth[k].particleID != 0 && count[truth[k].particleID, default: 0] >= 4 {
                truth[k].weight = 1 / Double(eligible)
            }
        }
        return (hits, truth)
    }

    /// Reads the event in the file at `path` (see `event(from:)`).
    ///
    /// - Throws: `InputError` as `event(from:)`, and for an unreadable file.
    public static func read(_ path: String) throws -> (hits: [Hit], truth: [TruthHit]) {
        try event(from: try CSVTable.read(path))
    }

    /// The event as BM@N CSV text (`read` gives back the same hits and truth, up to the weights,
    /// which it recomputes): positions in cm with 6 decimals, momenta in GeV with 6; vertices are
    /// not known to the toolkit and are written as 0.
    public static func format(eventID: Int, hits: [Hit], truth: [TruthHit]) -> String {
        var out = TextWriter(capacity: 96 * (hits.count + 1))
        out.append(columns.joined(separator: ",") + "\n")
        for (h, t) in zip(hits, truth) {
            out.append(eventID)
            for v in [h.x / 10, h.y / 10, h.z / 10] { out.append(byte: UInt8(ascii: ",")); out.append(v, decimals: 6) }
            for v in [h.layer.volume - 1, h.layer.layer - 1, t.particleID - 1] { out.append(byte: UInt8(ascii: ",")); out.append(v) }
            for v in [t.tpx, t.tpy, t.tpz, 0, 0, 0] { out.append(byte: UInt8(ascii: ",")); out.append(v, decimals: 6) }
            out.append(byte: UInt8(ascii: "\n"))
        }
        return out.string
    }
}
