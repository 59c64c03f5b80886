import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

@Suite("Detector descriptions")
struct DetectorDescriptionTests {
    @Test("the TrackML-like detector has its barrel and both endcaps, with TrackML's volume ids")
    func trackMLFull() throws {
        let d = DetectorDescription.trackMLFull
        try d.validate()
        let volumes = Dictionary(grouping: d.layers, by: \.id.volume).mapValues(\.count)
        #expect(volumes == [7: 7, 8: 4, 9: 7, 12: 6, 13: 4, 14: 6, 16: 6, 17: 2, 18: 6])
        // Layer 2 of the positive pixel endcap is nearest the interaction point; of the negative one, farthest.
        #expect(d.layer(LayerID(volume: 9, layer: 2))?.position == 600)
        #expect(d.layer(LayerID(volume: 7, layer: 2))?.position == -1500)
        #expect(d.layer(LayerID(volume: 7, layer: 14))?.position == -600)
        #expect(d.layer(LayerID(volume: 18, layer: 12))?.position == 2950)
        #expect(d.layers.filter { $0.shape == .cylinder } == DetectorDescription.trackMLBarrel.layers)
    }

    @Test("a description survives its JSON file, and a broken one is refused naming the field")
    func file() throws {
        let dir = TemporaryFolder()
        let path = dir.file("detector.json")
        try DetectorDescription.trackMLFull.write(to: path)
        #expect(try DetectorDescription.read(path) == DetectorDescription.trackMLFull)
        var broken = DetectorDescription.trackMLFull
        broken.layers[3].upper = broken.layers[3].lower - 1
        try broken.write(to: path)
        let error = #expect(throws: InputError.self) { try DetectorDescription.read(path) }
        #expect(error?.description.contains("layers.3.upper") == true)
        let other = dir.write("other.json", #"{"format": "energymodels.something"}"#)
        let wrongKind = #expect(throws: InputError.self) { try DetectorDescription.read(other) }
        #expect(wrongKind?.description.contains("not a detector description") == true)
    }
}
