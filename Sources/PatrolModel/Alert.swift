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
    /// The highest confidence of any observation.
    public var confidence: Double
    /// The device that first reported it.
    public var source: String
    /// The flight during which it was first seen, if any.
    public var flightID: String?

    public init(
        id: String, kind: DetectionClass, state: AlertState, position: LonLat, positionError: Double, firstSeen: Date,
        lastSeen: Date, observations: Int, confidence: Double, source: String, flightID: String?
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
    }
}
