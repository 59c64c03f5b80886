import EnergyCore
import Foundation
import Testing
@testable import TrackFinding

@Suite("Strip-crossing ghosts of segmented stations")
struct StripGhostTests {
    @Test("a grid of modules covers the area row by row; a point in a gap between modules is on none")
    func modules() throws {
        let grid = StationModule.grid(xMin: -60, xMax: 60, yMin: -60, yMax: 60, columns: 2, rows: 2)
        #expect(grid.count == 4)
        #expect(grid[1] == StationModule(xMin: 0, xMax: 60, yMin: -60, yMax: 0))
        var station = SpectrometerStation(id: LayerID(volume: 1, layer: 1), z: 100, xMin: -60, xMax: 60, yMin: -60, yMax: 60,
                                          stereoAngle: 0.1, sigma: 0.03, radiationLength: 0, modules: grid)
        #expect(station.module(x: 10, y: -5) == 1)
        #expect(station.module(x: -10, y: 30) == 2)
        #expect(station.module(x: 70, y: 0) == nil)
        station.modules = [StationModule(xMin: -60, xMax: -1, yMin: -60, yMax: 60), StationModule(xMin: 1, xMax: 60, yMin: -60, yMax: 60)]
        #expect(station.module(x: 0, y: 0) == nil)
        station.modules = []
        #expect(station.module(x: 0, y: 0) == 0)
        #expect(station.moduleArea(0) == StationModule(xMin: -60, xMax: 60, yMin: -60, yMax: 60))
        var spectrometer = DipoleSpectrometer.bmnLike
        try spectrometer.validate()
        spectrometer.stations[4].modules[0].xMax = 900
        #expect(throws: ConfigurationError.self) { try spectrometer.validate() }
    }

    @Test("ghosts are exactly the crossings of two particles' strips inside the module both crossed (hand count)")
    func crossingsOnlyInsideModules() throws {
        let generator = try EventGenerator(.init(detector: .bmn, tracks: 40, noise: 0.1))
        let event = generator.generate(random: RandomSource(seed: 11))
        let truth = Dictionary(uniqueKeysWithValues: event.truth.map { ($0.hitID, $0) })
        let spectrometer = DipoleSpectrometer.bmnLike
        var totalGhosts = 0
        for station in spectrometer.stations {
            let a = station.stereoAngle
            let onStation = event.hits.filter { $0.layer == station.id }
            let particles = onStation.filter { (truth[$0.id]?.particleID ?? 0) != 0 }
            // Ghosts carry their module's number; uniform noise carries 0.
            let ghosts = onStation.filter { truth[$0.id]?.particleID == 0 && $0.module != 0 }
            var expected = 0
            for i in particles {
                for j in particles where j.id != i.id && j.module == i.module {
                    let uj = j.x * cos(a) + j.y * sin(a)
                    let y = (uj - i.x * cos(a)) / sin(a)
                    if station.moduleArea(i.module - 1).covers(x: i.x, y: y) { expected += 1 }
                }
            }
            #expect(ghosts.count == expected, "station \(station.id): \(ghosts.count) ghosts, \(expected) crossings")
            // Every ghost shares its x strip with a particle of its own module.
            for g in ghosts { #expect(particles.contains { $0.module == g.module && $0.x == g.x }) }
            totalGhosts += ghosts.count
        }
        #expect(totalGhosts > 0)
    }

    @Test("segmented BM@N-like stations make several times fewer ghosts than whole-station crossings, about JINR's event 6's share")
    func ghostShare() throws {
        func share(_ spectrometer: DipoleSpectrometer) throws -> (fakes: Int, hits: Int) {
            let generator = try EventGenerator(.init(detector: .bmn, tracks: 40, noise: 0.1, spectrometer: spectrometer))
            let event = generator.generate(random: RandomSource(seed: 5))
            return (event.truth.filter { $0.particleID == 0 }.count, event.hits.count)
        }
        var whole = DipoleSpectrometer.bmnLike
        for k in whole.stations.indices { whole.stations[k].modules = [] }
        let segmented = try share(.bmnLike), unsegmented = try share(whole)
        #expect(segmented.fakes * 2 < unsegmented.fakes, "\(segmented) against \(unsegmented)")
        // Event 6 (858 points, 248 of them particle hits at about this multiplicity): 71% fakes.
        let fraction = Double(segmented.fakes) / Double(segmented.hits)
        #expect(fraction > 0.55 && fraction < 0.8, "\(fraction)")
    }
}
