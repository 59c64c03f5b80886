import DBN
import EnergyCore
import Foundation
import RBM
import Testing

/// A DBN model file whose metadata claims more label units than its top layer has (found by the
/// fuzzer: the size check overflowed) is refused with an `InputError` naming the file.
@Suite("Hostile input: DBN stacks")
struct HostileModelTests {
    @Test("label units outside 0…(visible units of the top layer) are refused, without overflow")
    func labelUnits() throws {
        let bottom = RestrictedBoltzmannMachine(visible: 6, hidden: 4)
        let top = RestrictedBoltzmannMachine(visible: 6, hidden: 3)
        #expect(try LayerStack([bottom, top], labelUnits: 2).labelUnits == 2)
        for bad in [Int.max, -1, 7] {
            #expect(throws: InputError.self, "\(bad)") { _ = try LayerStack([bottom, top], labelUnits: bad, source: "dbn.npz") }
        }
    }
}
