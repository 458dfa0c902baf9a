public import Foundation
public import PatrolGeo

/// Where an alert is in its life.
public enum AlertState: String, Hashable, Sendable, Codable, CaseIterable {
    case new, dispatched, acknowledged
    case inProgress = "in_progress"
    case resolved
    case falseAlarm = "false_alarm"
    case closed
    /// Opened again after it was resolved, called a false alarm or closed; escalation starts over.
    case reopened
}

/// An incident: one real-world thing (a smoke plume) that one or more observations saw.
public struct Alert: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var kind: DetectionClass
    public var state: AlertState
    /// The fused position estimate.
    public var position: LonLat
    /// The uncertainty of ``position``, metres.
    public var positionError: Double
    public var firstSeen: Date
    public var lastSeen: Date
    /// How many observations have been folded in.
    public var observations: Int
    /// The combined confidence: noisy-OR over independent sources of each source's highest
    /// confidence (see ``sources``); the highest single confidence for alerts stored before that.
    public var confidence: Double
    /// The device that first reported it.
    public var source: String
    /// The flight during which it was first seen, if any.
    public var flightID: String?
    /// Each independent source (device) that saw it, with the highest confidence it reported.
    /// Empty for alerts stored before sources were kept; read ``source`` and ``confidence`` then.
    public var sources: [String: Double]
    /// Whether two or more independent sources agree (a smoke detector and a drone).
    public var confirmed: Bool
    /// The earlier, resolved, closed or false-alarm incident at the same place that this one
    /// follows (a re-ignition), if any.
    public var reopenedFrom: String?

    public init(
        id: String, kind: DetectionClass, state: AlertState, position: LonLat, positionError: Double, firstSeen: Date,
        lastSeen: Date, observations: Int, confidence: Double, source: String, flightID: String?,
        sources: [String: Double] = [:], confirmed: Bool = false, reopenedFrom: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.state = state
        self.position = position
        self.positionError = positionError
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.observations = observations
        self.confidence = confidence
        self.source = source
        self.flightID = flightID
        self.sources = sources
        self.confirmed = confirmed
        self.reopenedFrom = reopenedFrom
    }
}

extension Alert {
    /// Decodes an alert, reading documents written before ``sources``, ``confirmed`` and
    /// ``reopenedFrom`` existed as having none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), kind: try c.decode(DetectionClass.self, forKey: .kind),
            state: try c.decode(AlertState.self, forKey: .state),
            position: try c.decode(LonLat.self, forKey: .position),
            positionError: try c.decode(Double.self, forKey: .positionError),
            firstSeen: try c.decode(Date.self, forKey: .firstSeen),
            lastSeen: try c.decode(Date.self, forKey: .lastSeen),
            observations: try c.decode(Int.self, forKey: .observations),
            confidence: try c.decode(Double.self, forKey: .confidence),
            source: try c.decode(String.self, forKey: .source),
            flightID: try c.decodeIfPresent(String.self, forKey: .flightID),
            sources: try c.decodeIfPresent([String: Double].self, forKey: .sources) ?? [:],
            confirmed: try c.decodeIfPresent(Bool.self, forKey: .confirmed) ?? false,
            reopenedFrom: try c.decodeIfPresent(String.self, forKey: .reopenedFrom))
    }
}
