import EnergyCore
import EnergyFormats

/// Reading detector hits from CSV files in the field's formats.
///
/// Two layouts are accepted, told apart by the header:
/// - TrackML: `hit_id,x,y,z,volume_id,layer_id,module_id` (Amrouche et al. 2019), coordinates in mm;
/// - plain: `hit_id,x,y,z,layer`;
/// - the BM@N event CSV of JINR's simulated BM@N data (`BMNEventFile`): `event_id,x,y,z,detector,station,track,…`,
///   coordinates in cm (converted to mm), told apart by its `detector`, `station` and `track` columns.
/// Extra columns are ignored. Every problem is reported with the file, the line and the column.
public enum HitFile {
    /// The columns every hit file has.
    public static let commonColumns = ["hit_id", "x", "y", "z"]

    /// The largest |x|, |y| or |z| a hit may have, in mm: 100 m, an order of magnitude beyond the
    /// largest collider detectors (ATLAS is 46 m long). A coordinate beyond it is a corrupt value, and
    /// one such hit would otherwise decide the geometry guess and the binning of the whole event.
    public static let maximumCoordinate = 100_000.0

    /// Reads the hits of one event.
    ///
    /// - Throws: `InputError` for a missing column, a value that is not a number, a NaN or infinite
    ///   coordinate or one beyond `maximumCoordinate`, a duplicate `hit_id`, an empty file, or hits on fewer than two layers.
    public static func read(_ path: String) throws -> [Hit] {
        let table = try CSVTable.read(path)
        return try hits(from: table)
    }

    /// The hits of a parsed table (see `read(_:)`).
    public static func hits(from table: CSVTable) throws -> [Hit] {
        let file = table.file
        if BMNEventFile.matches(table) { return try BMNEventFile.event(from: table).hits }
        let trackML = table.hasColumn("volume_id") || table.hasColumn("layer_id")
        try table.requireColumns(commonColumns + (trackML ? ["volume_id", "layer_id"] : ["layer"]))
        guard table.rowCount > 0 else { throw InputError(file: file, "no hits: the file has a header but no rows") }
        let ids = try table.integers("hit_id")
        let x = try table.doubles("x"), y = try table.doubles("y"), z = try table.doubles("z")
        let volumes = trackML ? try table.integers("volume_id") : Array(repeating: 0, count: ids.count)
        let layers = try table.integers(trackML ? "layer_id" : "layer")
        let modules = table.hasColumn("module_id") ? try table.integers("module_id") : Array(repeating: 0, count: ids.count)

        var seen: [Int: Int] = [:]
        var hits: [Hit] = []
        hits.reserveCapacity(ids.count)
        for r in ids.indices {
            if let first = seen[ids[r]] {
                throw InputError(file: file, .field(line: table.lineNumbers[r], column: "hit_id"),
                                 "duplicate hit_id \(ids[r]) (first on line \(first)); expected unique hit ids")
            }
            seen[ids[r]] = table.lineNumbers[r]
            for (name, value) in [("x", x[r]), ("y", y[r]), ("z", z[r])] where abs(value) > maximumCoordinate {
                throw InputError(file: file, .field(line: table.lineNumbers[r], column: name),
                                 "\(value) mm is outside any detector; expected |\(name)| ≤ \(Int(maximumCoordinate)) mm")
            }
            hits.append(Hit(id: ids[r], x: x[r], y: y[r], z: z[r],
                            layer: LayerID(volume: volumes[r], layer: layers[r]), module: modules[r]))
        }
        let layerCount = Set(hits.map(\.layer)).count
        guard layerCount >= 2 else {
            throw InputError(file: file, "the event has hits on \(layerCount) layer; expected at least 2 layers to form segments")
        }
        return hits
    }
}
