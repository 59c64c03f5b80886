import EnergyCore
import Foundation

extension JSONEncoder {
    /// An encoder with sorted keys, so that metadata written into model files is byte-for-byte
    /// reproducible for the same inputs.
    public static var reproducible: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
