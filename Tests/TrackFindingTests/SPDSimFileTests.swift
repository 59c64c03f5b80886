import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

@Suite("SPD simulation files (JINR spdsim.py)")
struct SPDSimFileTests {
    let dir = TemporaryFolder()

    /// Two events as gen_spdsim makes them: each event's track hits (its vertex) and then its noise hits.
    static let rows: [SPDSimRow] = [
        SPDSimRow(event: 0, x: -269.44410495894596, y: -15.040365461555934, z: 130.84283007275687, station: 1, track: 0,
                  px: -322.11615640649273, py: 69.65898942165752, pz: -33.46283928313724, vx: 12.881847531554628, vy: 14.5, vz: 158.2),
        SPDSimRow(event: 0, x: -286.8, y: -10.5, z: 129.1, station: 2, track: 0, px: -321.2, py: 73.5, pz: -33.4, vx: 12.881847531554628, vy: 14.5, vz: 158.2),
        SPDSimRow(event: 0, x: 100.25, y: 250, z: -12, station: 1, track: 1, px: 1, py: 2, pz: 3, vx: 12.881847531554628, vy: 14.5, vz: 158.2),
        SPDSimRow(event: 0, x: 5, y: 287, z: 1000, station: 1, track: -1),
        SPDSimRow(event: 1, x: 1, y: 270, z: 3, station: 1, track: 0, px: 4, py: 5, pz: 6, vx: -1, vy: 2, vz: -30),
        SPDSimRow(event: 1, x: 2, y: 287, z: 4, station: 2, track: 0, px: 4, py: 5, pz: 6, vx: -1, vy: 2, vz: -30),
        SPDSimRow(event: 2, x: 3, y: 270, z: 5, station: 1, track: 0, px: 4, py: 5, pz: 6, vx: 7, vy: 2, vz: -30),
    ]

    @Test("the file round-trips, with the evt column and without it (pandas 3), events told apart by noise and vertex")
    func roundTrip() throws {
        let path = dir.write("output.tsv", SPDSimFile.format(Self.rows))
        #expect(try SPDSimFile.read(path) == Self.rows)
        let without = dir.write("pandas3.tsv", SPDSimFile.format(Self.rows, eventColumn: false))
        #expect(try SPDSimFile.read(without) == Self.rows)
    }

    @Test("events: station as the layer, trk + 1 as the particle, GeV, weights 1 per track hit normalised")
    func events() throws {
        let events = SPDSimFile.events(Self.rows)
        #expect(events.map(\.event) == [0, 1, 2] && events[0].hits.count == 4)
        let (hits, truth) = (events[0].hits, events[0].truth)
        #expect(hits.map(\.id) == [1, 2, 3, 4] && hits.map(\.layer.layer) == [1, 2, 1, 1] && hits.allSatisfy { $0.layer.volume == 0 })
        #expect(truth.map(\.particleID) == [1, 1, 2, 0] && truth.map(\.weight) == [1.0 / 3, 1.0 / 3, 1.0 / 3, 0])
        #expect(abs(truth[0].tpx + 0.32211615640649273) < 1e-15)
        let prefix = dir.file("ev/event")
        let written = try SPDSimFile.convert(dir.write("o.tsv", SPDSimFile.format(Self.rows)), prefix: prefix)
        #expect(written == [0, 1, 2].map { prefix + String(format: "%09d", $0) + "-hits.csv" })
        let read = try HitFile.read(written[0])
        #expect(read.map(\.layer) == hits.map(\.layer) && abs(read[2].x - 100.25) < 1e-9)
        #expect(try TruthFile.read(prefix + "000000000-truth.csv", matching: read, hitsFile: written[0]).map(\.particleID) == [1, 1, 2, 0])
    }

    @Test("bad rows are refused with the line and column")
    func refused() throws {
        let cases = [
            ("0\t1\t2\t3\n", "line 1: expected 12 tab-separated fields"),
            ("0\t1\t2\t3\t1\t0\t0\t0\t0\t0\t0\t0\n1\t2\t3\t1\t0\t0\t0\t0\t0\t0\t0\n", "line 2: expected 12 fields as on the first line"),
            ("0\tx\t2\t3\t1\t0\t0\t0\t0\t0\t0\t0\n", "line 1, column 'x': expected a finite number"),
            ("0\t1\t2\tnan\t1\t0\t0\t0\t0\t0\t0\t0\n", "column 'z'"),
            ("0\t1\t2\t3\t1.5\t0\t0\t0\t0\t0\t0\t0\n", "column 'station': expected an integer"),
            ("0\t1\t2\t3\t1\t-2\t0\t0\t0\t0\t0\t0\n", "column 'trk'"),
            ("", "no hits"),
        ]
        for (text, message) in cases {
            do {
                _ = try SPDSimFile.read(dir.write("bad.tsv", text))
                Issue.record("accepted: \(text)")
            } catch let error as InputError {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}
