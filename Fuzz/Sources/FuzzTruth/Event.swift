import TrackFinding

/// The event the truth rows are matched to: hit ids 1–6 on two layers (as the seed files have).
let event = (1...6).map { Hit(id: $0, x: Double($0), y: 0, z: 0, layer: LayerID(volume: 8, layer: $0 <= 3 ? 2 : 4)) }
