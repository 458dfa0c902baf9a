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

/// A vehicle's orientation, degrees, as its autopilot reports it (aerospace convention, body
/// relative to the local north-east-down frame).
public struct Attitude: Hashable, Sendable, Codable {
    /// Right side down is positive, −180 to 180.
    public var roll: Double
    /// Nose up is positive, −90 to 90.
    public var pitch: Double
    /// Where the nose points, clockwise from true north, 0 to 360 (a multirotor's yaw may differ
    /// from its course over ground, ``Telemetry/heading``).
    public var yaw: Double

    public init(roll: Double, pitch: Double, yaw: Double) {
        self.roll = roll
        self.pitch = pitch
        self.yaw = yaw
    }
}

/// A vehicle's reported state at one instant.
///
/// Each altitude names its reference: ``altitude`` is above the take-off point (the pad), which
/// every device reports; ``altitudeAMSL`` is above mean sea level (EGM96), which a vehicle with a
/// GNSS or barometric absolute altitude may add.
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
    /// Metres above mean sea level (EGM96 geoid), if the vehicle reports it. On the wire
    /// `altitude_amsl`, optional.
    public var altitudeAMSL: Double?
    /// Climb rate, metres per second, up positive, if reported. With ``heading`` and ``speed`` it
    /// makes the velocity. On the wire `vertical_speed`, optional.
    public var verticalSpeed: Double?
    /// Roll, pitch and yaw, if reported. On the wire `attitude`, optional.
    public var attitude: Attitude?

    public init(
        time: Date, position: LonLat, altitude: Double, heading: Double, speed: Double, battery: Double,
        state: VehicleState, waypointIndex: Int, linkQuality: Double? = nil, altitudeAMSL: Double? = nil,
        verticalSpeed: Double? = nil, attitude: Attitude? = nil
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
        self.altitudeAMSL = altitudeAMSL
        self.verticalSpeed = verticalSpeed
        self.attitude = attitude
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
