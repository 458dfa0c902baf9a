public import Foundation
public import PatrolGeo
public import PatrolModel

/// The version of the wire protocol this build speaks (`v` in every envelope).
public let wireProtocolVersion = 1

/// One message on the wire, with the header every message carries.
///
/// On the wire an envelope is one ZeroMQ frame holding a UTF-8 JSON object
/// `{"v":1,"type":"telemetry","device":"drone-1","seq":42,"time":1764036000000,"body":{…}}`;
/// see `docs/protocol.md`.
public struct Envelope: Hashable, Sendable {
    /// Protocol version of the sender.
    public var version: Int
    /// The device the message is from (uplink) or for (downlink).
    public var device: String
    /// Per-session, per-direction sequence number, starting at 1.
    public var sequence: UInt64
    /// The sender's clock when sent (virtual time in simulations).
    public var time: Date
    public var message: WireMessage

    public init(version: Int = wireProtocolVersion, device: String, sequence: UInt64, time: Date, message: WireMessage)
    {
        self.version = version
        self.device = device
        self.sequence = sequence
        self.time = time
        self.message = message
    }
}

/// Every message of the protocol.
public enum WireMessage: Hashable, Sendable {
    // Device to coordinator.
    case hello(Hello)
    case missionAck(MissionAck)
    case commandAck(CommandAck)
    case telemetry(TelemetryReport)
    case detection(DetectionReport)
    case event(DeviceEvent)
    case sensorReadings(SensorReadings)
    case hiveStatus(HiveStatus)
    // Coordinator to device.
    case welcome(Welcome)
    case missionUpload(MissionUpload)
    case command(Command)
    case detectionAck(DetectionAck)
    case eventAck(EventAck)
    case readingsAck(ReadingsAck)
    // Both ways.
    case heartbeat
    case error(WireErrorReport)

    /// The `type` string of the envelope.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .missionAck: "mission_ack"
        case .commandAck: "command_ack"
        case .telemetry: "telemetry"
        case .detection: "detection"
        case .event: "event"
        case .sensorReadings: "sensor_readings"
        case .hiveStatus: "hive_status"
        case .welcome: "welcome"
        case .missionUpload: "mission_upload"
        case .command: "command"
        case .detectionAck: "detection_ack"
        case .eventAck: "event_ack"
        case .readingsAck: "readings_ack"
        case .heartbeat: "heartbeat"
        case .error: "error"
        }
    }
}

/// What kind of device is speaking.
public enum DeviceKind: String, Hashable, Sendable, Codable {
    case drone, hive, robot, camera
    case sensorGateway = "sensor_gateway"
}

/// The first message of a session: who the device is and what it can do.
public struct Hello: Hashable, Sendable, Codable {
    public var protocolVersion: Int
    public var kind: DeviceKind
    public var capabilities: [String]
    public var firmware: String?
    /// The hive a drone lives in, if any.
    public var hive: String?

    public init(
        protocolVersion: Int = wireProtocolVersion, kind: DeviceKind, capabilities: [String], firmware: String? = nil,
        hive: String? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.kind = kind
        self.capabilities = capabilities
        self.firmware = firmware
        self.hive = hive
    }
}

/// The coordinator's answer to ``Hello``: the session is open.
public struct Welcome: Hashable, Sendable, Codable {
    public var session: String
    /// Seconds between heartbeats the device must keep.
    public var heartbeatInterval: Double
    /// Telemetry messages per second the coordinator wants.
    public var telemetryRate: Double

    public init(session: String, heartbeatInterval: Double, telemetryRate: Double) {
        self.session = session
        self.heartbeatInterval = heartbeatInterval
        self.telemetryRate = telemetryRate
    }
}

/// A route for the device to fly, identified by the flight it belongs to.
public struct MissionUpload: Hashable, Sendable, Codable {
    public var flightID: String
    public var route: Route
    /// ``RouteChecksum`` of `route`; the device recomputes it and echoes it in ``MissionAck``.
    public var checksum: String

    public init(flightID: String, route: Route) {
        self.flightID = flightID
        self.route = route
        self.checksum = RouteChecksum.of(route)
    }
}

/// The device's verdict on an uploaded mission.
public struct MissionAck: Hashable, Sendable, Codable {
    public var flightID: String
    public var accepted: Bool
    /// The checksum the device computed over the route it stored.
    public var checksum: String
    public var reason: String?

    public init(flightID: String, accepted: Bool, checksum: String, reason: String? = nil) {
        self.flightID = flightID
        self.accepted = accepted
        self.checksum = checksum
        self.reason = reason
    }
}

/// An order for the device.
public struct Command: Hashable, Sendable, Codable {
    public enum Action: String, Hashable, Sendable, Codable {
        case start, pause, resume
        case returnToHive = "return_to_hive"
        case abort
        /// Switch the actuator named by ``Command/actuator`` to ``Command/on`` (a fan, a valve).
        case switchActuator = "switch_actuator"
        /// Say ``Command/text`` aloud (a robot's or a hive's loudspeaker).
        case speak
        /// Leave the route, fly to ``Command/position`` at ``Command/altitude`` (measured from
        /// ``Command/altitudeReference``) and hold there; `resume` flies back to where the route was
        /// left and goes on with it.
        case goTo = "go_to"
    }

    /// What a `go_to` altitude is measured from.
    public enum AltitudeReference: String, Hashable, Sendable, Codable, CaseIterable {
        /// Above the take-off point (the hive's pad), as route waypoints are.
        case takeoff
        /// Above mean sea level (the geoid of the site's height datum).
        case amsl
        /// Above the ground directly below (terrain following); only for vehicles that measure it.
        case agl
    }

    /// Unique per coordinator; the ack names it.
    public var id: String
    public var action: Action
    public var flightID: String?
    /// For `switch_actuator`: the actuator's id.
    public var actuator: String?
    /// For `switch_actuator`: `true` to switch on, `false` to switch off.
    public var on: Bool?
    /// For `speak`: what to say.
    public var text: String?
    /// For `go_to`: where to fly.
    public var position: LonLat?
    /// For `go_to`: the altitude to hold, metres from ``altitudeReference``.
    public var altitude: Double?
    /// For `go_to`: what ``altitude`` is measured from.
    public var altitudeReference: AltitudeReference?
    /// For `go_to`, optional: ground speed on the way, m/s (the vehicle's cruise speed when absent).
    public var speed: Double?

    public init(
        id: String, action: Action, flightID: String?, actuator: String? = nil, on: Bool? = nil, text: String? = nil
    ) {
        self.id = id
        self.action = action
        self.flightID = flightID
        self.actuator = actuator
        self.on = on
        self.text = text
    }

    /// A `go_to` command.
    public static func goTo(
        id: String, flightID: String?, position: LonLat, altitude: Double, reference: AltitudeReference,
        speed: Double? = nil
    ) -> Command {
        var command = Command(id: id, action: .goTo, flightID: flightID)
        command.position = position
        command.altitude = altitude
        command.altitudeReference = reference
        command.speed = speed
        return command
    }

    enum CodingKeys: String, CodingKey {
        case id, action, flightID, actuator, on, text, position, altitude, altitudeReference, speed
    }

    /// Decodes a command, requiring `actuator` and `on` for `switch_actuator` and `text` for `speak`.
    /// - Throws: `DecodingError.keyNotFound` naming the missing member.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        action = try c.decode(Action.self, forKey: .action)
        flightID = try c.decodeIfPresent(String.self, forKey: .flightID)
        actuator = try c.decodeIfPresent(String.self, forKey: .actuator)
        on = try c.decodeIfPresent(Bool.self, forKey: .on)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        position = try c.decodeIfPresent(LonLat.self, forKey: .position)
        altitude = try c.decodeIfPresent(Double.self, forKey: .altitude)
        altitudeReference = try c.decodeIfPresent(AltitudeReference.self, forKey: .altitudeReference)
        speed = try c.decodeIfPresent(Double.self, forKey: .speed)
        switch action {
        case .switchActuator:
            if actuator == nil { _ = try c.decode(String.self, forKey: .actuator) }
            if on == nil { _ = try c.decode(Bool.self, forKey: .on) }
        case .speak:
            if text == nil { _ = try c.decode(String.self, forKey: .text) }
        case .goTo:
            if position == nil { _ = try c.decode(LonLat.self, forKey: .position) }
            if altitude == nil { _ = try c.decode(Double.self, forKey: .altitude) }
            if altitudeReference == nil { _ = try c.decode(AltitudeReference.self, forKey: .altitudeReference) }
        default: break
        }
    }
}

/// The device's answer to a ``Command``.
public struct CommandAck: Hashable, Sendable, Codable {
    public var commandID: String
    public var accepted: Bool
    public var reason: String?

    public init(commandID: String, accepted: Bool, reason: String? = nil) {
        self.commandID = commandID
        self.accepted = accepted
        self.reason = reason
    }
}

/// Vehicle state during a flight.
public struct TelemetryReport: Hashable, Sendable, Codable {
    public var flightID: String?
    public var telemetry: Telemetry

    public init(flightID: String?, telemetry: Telemetry) {
        self.flightID = flightID
        self.telemetry = telemetry
    }
}

/// A recognition result; delivered at least once, acknowledged by ``DetectionAck``.
public struct DetectionReport: Hashable, Sendable, Codable {
    public var flightID: String?
    public var detection: Detection

    public init(flightID: String?, detection: Detection) {
        self.flightID = flightID
        self.detection = detection
    }
}

/// The coordinator has stored a detection; the device may stop resending it.
public struct DetectionAck: Hashable, Sendable, Codable {
    public var detectionID: String

    public init(detectionID: String) { self.detectionID = detectionID }
}

/// Something that happened on the device: take-off, mission complete, landed, failsafe.
public struct DeviceEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case tookOff = "took_off"
        case missionComplete = "mission_complete"
        case landed
        case failsafe
    }

    /// Unique per device; the ack names it.
    public var id: String
    public var kind: Kind
    public var flightID: String?
    public var detail: String?

    public init(id: String, kind: Kind, flightID: String?, detail: String? = nil) {
        self.id = id
        self.kind = kind
        self.flightID = flightID
        self.detail = detail
    }
}

/// The coordinator has recorded a ``DeviceEvent``.
public struct EventAck: Hashable, Sendable, Codable {
    public var eventID: String

    public init(eventID: String) { self.eventID = eventID }
}

/// A refusal or a complaint about a received message.
public struct WireErrorReport: Hashable, Sendable, Codable {
    /// A stable machine-readable code such as `bad_frame`, `unknown_type`, `not_registered`.
    public var code: String
    public var message: String
    /// The sequence number of the message complained about, when known.
    public var refSequence: UInt64?

    public init(code: String, message: String, refSequence: UInt64? = nil) {
        self.code = code
        self.message = message
        self.refSequence = refSequence
    }
}

/// The checksum of a route as device and coordinator both compute it: CRC-32 (IEEE 802.3) of
/// one line per waypoint, `lon,lat,altitude,kind,speed\n`, with lon/lat to 7 decimals and
/// altitude and speed to 2, written as 8 lowercase hex digits.
///
/// Numbers are formatted as C's `printf` does (the exact binary value, rounded to nearest, ties
/// to even), except that zero never has a minus sign: a JSON `-0` is parsed as `0` by many
/// decoders, so `-0.0` is written as `0.0000000` (adding `0.0` turns `-0.0` into `0.0`).
public enum RouteChecksum {
    public static func of(_ route: Route) -> String {
        var text = ""
        for w in route.waypoints {
            text += String(
                format: "%.7f,%.7f,%.2f,%@,%.2f\n", w.position.lon + 0.0, w.position.lat + 0.0, w.altitude + 0.0,
                w.kind.rawValue, w.speed + 0.0)
        }
        return String(format: "%08x", crc32(Array(text.utf8)))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
