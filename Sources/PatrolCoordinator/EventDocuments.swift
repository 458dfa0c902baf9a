import Foundation
import PatrolGeo
import PatrolModel

// The `data` objects of the event stream's documents, field by field as `docs/events.md` lists
// them. Optional fields are left out when they have no value.

struct DeviceDoc: Encodable {
    var device: String
    var flightID: String? = nil
    var lastHeard: Date? = nil
    var lostAt: Date? = nil
    var message: String? = nil

    enum CodingKeys: String, CodingKey {
        case device, message
        case flightID = "flight_id"
        case lastHeard = "last_heard"
        case lostAt = "lost_at"
    }
}

struct ActuatorDoc: Encodable {
    var device: String
    var actuator: String
    var on: Bool
    var commandID: String

    enum CodingKeys: String, CodingKey {
        case device, actuator, on
        case commandID = "command_id"
    }
}

/// A linked automatic action taken for an incident (`incident.action`).
struct ActionDoc: Encodable {
    var incidentID: String
    var action: String
    var lon: Double? = nil
    var lat: Double? = nil
    var party: String? = nil
    var contact: String? = nil

    enum CodingKeys: String, CodingKey {
        case action, lon, lat, party, contact
        case incidentID = "incident_id"
    }
}

/// A robot told to speak (`device.speak`), or a checkpoint reached (`sortie.checkpoint`).
struct SpeechDoc: Encodable {
    var device: String
    var text: String
    var commandID: String

    enum CodingKeys: String, CodingKey {
        case device, text
        case commandID = "command_id"
    }
}

struct SortieDoc: Encodable {
    var flightID: String
    var device: String? = nil
    var waypoints: Int? = nil
    var waypoint: Int? = nil
    var progress: Double? = nil
    var state: String? = nil
    var kind: String? = nil
    var reason: String? = nil
    var status: String? = nil
    var startedAt: Date? = nil
    var endedAt: Date? = nil
    var report: String? = nil
    var checkpoint: String? = nil

    enum CodingKeys: String, CodingKey {
        case device, waypoints, waypoint, progress, state, kind, reason, status, report, checkpoint
        case flightID = "flight_id"
        case startedAt = "started_at"
        case endedAt = "ended_at"
    }
}

struct TelemetryDoc: Encodable {
    var device: String
    var flightID: String?
    var lon: Double
    var lat: Double
    var altitude: Double
    var heading: Double
    var speed: Double
    var battery: Double
    var state: String
    var waypoint: Int
    var waypoints: Int
    var linkQuality: Double?
    var altitudeAMSL: Double?
    var verticalSpeed: Double?
    var attitude: Attitude?
    var reported: Date

    init(device: String, flightID: String?, _ t: Telemetry, waypoints: Int) {
        self.device = device
        self.flightID = flightID
        (lon, lat) = (t.position.lon, t.position.lat)
        (altitude, heading, speed, battery) = (t.altitude, t.heading, t.speed, t.battery)
        state = t.state.rawValue
        waypoint = t.waypointIndex
        self.waypoints = waypoints
        linkQuality = t.linkQuality
        (altitudeAMSL, verticalSpeed, attitude) = (t.altitudeAMSL, t.verticalSpeed, t.attitude)
        reported = t.time
    }

    enum CodingKeys: String, CodingKey {
        case device, lon, lat, altitude, heading, speed, battery, state, waypoint, waypoints, reported
        case flightID = "flight_id"
        case linkQuality = "link_quality"
        case altitudeAMSL = "altitude_amsl"
        case verticalSpeed = "vertical_speed"
        case attitude
    }
}

struct IncidentDoc: Encodable {
    struct Incident: Encodable {
        var id: String
        var kind: String
        var state: String
        var lon: Double
        var lat: Double
        var positionError: Double
        var firstSeen: Date
        var lastSeen: Date
        var observations: Int
        var confidence: Double
        var sources: [String: Double]
        var confirmed: Bool
        var flightID: String?
        var reopenedFrom: String?

        init(_ a: Alert) {
            (id, kind, state) = (a.id, a.kind.rawValue, a.state.rawValue)
            (lon, lat, positionError) = (a.position.lon, a.position.lat, a.positionError)
            (firstSeen, lastSeen, observations, confidence) = (a.firstSeen, a.lastSeen, a.observations, a.confidence)
            (sources, confirmed, flightID, reopenedFrom) = (a.sources, a.confirmed, a.flightID, a.reopenedFrom)
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, state, lon, lat, observations, confidence, sources, confirmed
            case positionError = "position_error"
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
            case flightID = "flight_id"
            case reopenedFrom = "reopened_from"
        }
    }

    var incident: Incident

    init(incident: Alert) { self.incident = Incident(incident) }
}

struct LinkDoc: Encodable {
    var incidentID: String
    var previous: String

    enum CodingKeys: String, CodingKey {
        case previous
        case incidentID = "incident_id"
    }
}

struct TransitionDoc: Encodable {
    var incidentID: String
    var from: String?
    var to: String
    var actor: String
    var reason: String
    var incident: IncidentDoc.Incident

    enum CodingKeys: String, CodingKey {
        case from, to, actor, reason, incident
        case incidentID = "incident_id"
    }
}

struct EscalationDoc: Encodable {
    var incidentID: String
    var level: String
    var recipient: String
    var reminder: Bool
    var due: Date

    enum CodingKeys: String, CodingKey {
        case level, recipient, reminder, due
        case incidentID = "incident_id"
    }
}

struct SortieStateDoc: Encodable {
    var flightID: String
    var mission: String
    var vehicle: String?
    var state: String
    var progress: Double
    var reason: String?
    var continuedBy: String?
    var origin: String
    /// For an urgent sortie: how its drone was chosen (see `Coordinator+Diversion.swift`).
    var choice: UrgentChoiceDoc?

    init(_ s: SortieStatus) {
        (flightID, mission, vehicle, state, progress) = (s.id, s.missionID, s.vehicle, s.state.rawValue, s.progress)
        (reason, continuedBy, origin) = (s.reason, s.continuedBy, s.origin.rawValue)
        choice = s.choice.map(UrgentChoiceDoc.init)
    }

    enum CodingKeys: String, CodingKey {
        case mission, vehicle, state, progress, reason, origin, choice
        case flightID = "flight_id"
        case continuedBy = "continued_by"
    }
}
