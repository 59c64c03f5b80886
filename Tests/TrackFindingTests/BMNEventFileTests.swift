import EnergyCore
import Foundation
import Testing
import TestSupport
@testable import TrackFinding

@Suite("BM@N event CSV")
struct BMNEventFileTests {
    static let header = "event_id,x,y,z,detector,station,track,px,py,pz,vx,vy,vz\n"

    @Test("a hand-written file is read exactly: mm, ids from 1, layers, particles and TrackML weights")
    func readsExactly() throws {
        let folder = TemporaryFolder()
        var text = Self.header
        // Track 4 on four stations (weighted), track 0 on two (not weighted), one noise hit.
        for (k, (detector, station, z)) in [(0, 0, 12.0), (0, 1, 15.5), (1, 0, 39.75), (1, 1, 65.25)].enumerated() {
            text += "6,\(1.5 + Double(k)),-0.25,\(z),\(detector),\(station),4,0.1,0.2,1.5,0.0,0.0,0.0\n"
        }
        text += "6,2.0,3.0,12.0,0,0,0,0.3,0.0,0.9,0,0,0\n6,2.5,3.5,15.5,0,1,0,0.3,0.0,0.9,0,0,0\n6,-7.125,8.0,39.75,1,0,-1,0,0,0,0,0,0\n"
        let path = folder.write("event6.csv", text)
        let hits = try HitFile.read(path)
        #expect(hits.count == 7)
        #expect(hits[0] == Hit(id: 1, x: 15, y: -2.5, z: 120, layer: LayerID(volume: 1, layer: 1)))
        #expect(hits[3] == Hit(id: 4, x: 45, y: -2.5, z: 652.5, layer: LayerID(volume: 2, layer: 2)))
        #expect(hits[6] == Hit(id: 7, x: -71.25, y: 80, z: 397.5, layer: LayerID(volume: 2, layer: 1)))
        let truth = try TruthFile.read(path)
        #expect(truth.map(\.particleID) == [5, 5, 5, 5, 1, 1, 0])
        #expect(truth.map(\.weight) == [0.25, 0.25, 0.25, 0.25, 0, 0, 0])
        #expect(truth[1].tpz == 1.5 && truth[1].tz == 155)
    }

    @Test("format and read round-trip a generated BM@N-like event")
    func roundTrip() throws {
        let event = try EventGenerator(.init(detector: .bmn, tracks: 5, noise: 0.2)).generate(random: RandomSource(seed: 2))
        let folder = TemporaryFolder()
        let path = folder.write("event.csv", BMNEventFile.format(eventID: 3, hits: event.hits, truth: event.truth))
        let (hits, truth) = try BMNEventFile.read(path)
        #expect(hits.count == event.hits.count)
        for (a, b) in zip(hits, event.hits) {
            // Positions in cm with 6 decimals: 10⁻⁵ mm.
            #expect(abs(a.x - b.x) < 1e-4 && abs(a.y - b.y) < 1e-4 && abs(a.z - b.z) < 1e-4)
            #expect(a.layer == b.layer)
        }
        #expect(truth.map(\.particleID) == event.truth.map(\.particleID))
        let weights = zip(truth, event.truth).map { abs($0.weight - $1.weight) }.max() ?? 0
        #expect(weights < 1e-12)
    }

    @Test("malformed lines are refused with the file, line and column")
    func refusesMalformed() {
        let folder = TemporaryFolder()
        let good = "6,1.0,2.0,12.0,0,0,3,0,0,1,0,0,0\n"
        let text = folder.write("text.csv", Self.header + good + "6,1.0,two,15.0,0,1,3,0,0,1,0,0,0\n")
        #expect(throws: InputError(file: text, .field(line: 3, column: "y"), "expected a number, found \"two\"")) { try HitFile.read(text) }
        let track = folder.write("track.csv", Self.header + good + "6,1.0,2.0,15.0,0,1,-2,0,0,1,0,0,0\n")
        #expect(throws: InputError(file: track, .field(line: 3, column: "track"), "expected a track ≥ 0 or −1 (noise), found -2")) {
            try HitFile.read(track)
        }
        let events = folder.write("events.csv", Self.header + good + "7,1.0,2.0,15.0,0,1,3,0,0,1,0,0,0\n")
        #expect(throws: InputError(file: events, .field(line: 3, column: "event_id"),
                                   "event 7 after event 6 (line 2); expected one event per file")) { try HitFile.read(events) }
        let station = folder.write("station.csv", Self.header + good + "6,1.0,2.0,15.0,0,-1,3,0,0,1,0,0,0\n")
        #expect(throws: InputError(file: station, .field(line: 3, column: "station"), "expected a number from 0 to 1000000, found -1")) {
            try HitFile.read(station)
        }
        let short = folder.write("short.csv", Self.header + good + "6,1.0,2.0\n")
        #expect(throws: InputError.self) { try HitFile.read(short) }
    }
}
