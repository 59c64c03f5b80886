/// What the reconstruction of one event file found and took: the counts and times a summary shows.
public struct EventReport: Sendable {
    /// The hit file read and the submission written.
    public var hitsFile: String, submissionFile: String
    /// The `event_id` written to the submission.
    public var eventID: Int
    /// Hits in the event, and the layers they lie on.
    public var hitCount: Int, layerCount: Int
    /// The geometry used (never `.auto`) when the layers were ordered by r or z; with a layer graph
    /// (`layerGraph`), the segments followed the graph instead.
    public var geometry: DetectorGeometry
    /// Whether the segments followed a layer graph (`TrackFinderConfiguration.layerGraph`).
    public var layerGraph: Bool
    /// Segments that passed the cuts (`Reconstruction.candidateSegments`).
    public var candidateSegments: Int
    /// Neurons of the settled network, its chain connections and its fork/join pairs
    /// (`SegmentNetwork.count`, `chainCount`, `conflictCount`).
    public var neurons: Int, chainCount: Int, conflictCount: Int
    /// Tracks found, and hits on none of them.
    public var trackCount: Int, unassignedHits: Int
    /// Seconds spent building the network, settling it, and extracting the tracks.
    public var seconds: (build: Double, solve: Double, extract: Double)
    /// Seconds from reading the hits to writing the submission.
    public var totalSeconds: Double

    public init(hitsFile: String, submissionFile: String, eventID: Int, hitCount: Int, layerCount: Int, geometry: DetectorGeometry,
                candidateSegments: Int, neurons: Int, chainCount: Int, conflictCount: Int, trackCount: Int, unassignedHits: Int,
                seconds: (build: Double, solve: Double, extract: Double), totalSeconds: Double, layerGraph: Bool = false) {
        self.layerGraph = layerGraph
        self.hitsFile = hitsFile
        self.submissionFile = submissionFile
        self.eventID = eventID
        self.hitCount = hitCount
        self.layerCount = layerCount
        self.geometry = geometry
        self.candidateSegments = candidateSegments
        self.neurons = neurons
        self.chainCount = chainCount
        self.conflictCount = conflictCount
        self.trackCount = trackCount
        self.unassignedHits = unassignedHits
        self.seconds = seconds
        self.totalSeconds = totalSeconds
    }
}

/// What the reconstruction of a folder (or one shard of it) did, event by event.
public struct BatchReport: Sendable {
    /// The shard processed.
    public var shard: Shard
    /// Where the submissions were written.
    public var outputFolder: String
    /// The events reconstructed, in file order.
    public var events: [EventReport]
    /// The events that failed, in file order; every other event of the shard was still written.
    public var failures: [EventFailure]

    /// The number of events in the shard.
    public var eventCount: Int { events.count + failures.count }
}

/// An event whose reconstruction failed, and why.
public struct EventFailure: Error, Sendable, CustomStringConvertible {
    /// The hit file of the event.
    public var hitsFile: String
    /// The error, e.g. an `InputError` naming a line of the hit file.
    public var error: any Error

    public var description: String { "\(error)" }
}
