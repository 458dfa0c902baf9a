public import Foundation
public import PatrolGeo

/// What a vehicle is doing, as it reports it.
public enum VehicleState: String, Hashable, Sendable, Codable, CaseIterable {
    case idle, armed
    case takingOff = "taking_off"
    case transit, surveying, paused
    case returning
    case landing, landed
    case emergency
}

/// A vehicle's reported state at one instant.
public struct Telemetry: Hashable, Sendable, Codable {
    public var time: Date
    public var position: LonLat
    /// Metres above the take-off point.
    public var altitude: Double
    /// Course over ground, degrees clockwise from north.
    public var heading: Double
    /// Ground speed, metres per second.
    public var speed: Double
    /// Remaining battery, 0 to 1.
    public var battery: Double
    public var state: VehicleState
    /// Index of the route waypoint the vehicle is flying towards.
    public var waypointIndex: Int
    /// The link's quality as the vehicle measures it, 0 (unusable) to 1 (perfect); `nil` when
    /// the vehicle does not report one. On the wire `link_quality`, optional.
    public var linkQuality: Double?

    public init(
        time: Date, position: LonLat, altitude: Double, heading: Double, speed: Double, battery: Double,
        state: VehicleState, waypointIndex: Int, linkQuality: Double? = nil
    ) {
        self.time = time
        self.position = position
        self.altitude = altitude
        self.heading = heading
        self.speed = speed
        self.battery = battery
        self.state = state
        self.waypointIndex = waypointIndex
        self.linkQuality = linkQuality
    }
}

/// One recognition result from a device: smoke seen by a drone camera, gas smelt by a robot.
public struct Detection: Hashable, Sendable, Codable {
    /// Unique per device; repeated sends of the same detection carry the same id.
    public var id: String
    public var time: Date
    public var kind: DetectionClass
    /// 0 to 1.
    public var confidence: Double
    /// Where the detected thing is estimated to be on the ground.
    public var position: LonLat
    /// The uncertainty of ``position``, metres (one standard deviation).
    public var positionError: Double
    /// A reference to stored evidence (an image or clip id on the device), if any.
    public var evidence: String?
    /// Set by a drone or robot sent to verify an incident: `true` it is there (raises the
    /// incident's certainty), `false` it is not (lowers it, and may make it a false alarm). Absent
    /// for ordinary sightings.
    public var verified: Bool?

    public init(
        id: String, time: Date, kind: DetectionClass, confidence: Double, position: LonLat, positionError: Double,
        evidence: String? = nil, verified: Bool? = nil
    ) {
        self.id = id
        self.time = time
        self.kind = kind
        self.confidence = confidence
        self.position = position
        self.positionError = positionError
        self.evidence = evidence
        self.verified = verified
    }
}
