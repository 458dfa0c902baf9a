import Foundation
import GRDB
import PatrolGeo
import PatrolModel

// Row types: the database's shape, kept apart from the model so either can change.

struct FlightRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "flight"
    var id: String
    var missionID: String
    var deviceID: String
    var status: String
    var route: Route
    var startedAt: Date?
    var endedAt: Date?

    init(_ f: Flight) {
        id = f.id
        missionID = f.missionID
        deviceID = f.deviceID
        status = f.status.rawValue
        route = f.route
        startedAt = f.startedAt
        endedAt = f.endedAt
    }

    var model: Flight {
        Flight(
            id: id, missionID: missionID, deviceID: deviceID, status: Flight.Status(rawValue: status) ?? .aborted,
            route: route,
            startedAt: startedAt, endedAt: endedAt)
    }
}

struct TelemetryRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "telemetry"
    var id: Int64?
    var flightID: String?
    var deviceID: String
    var sequence: Int64
    var time: Date
    var lon: Double
    var lat: Double
    var altitude: Double
    var heading: Double
    var speed: Double
    var battery: Double
    var state: String
    var waypointIndex: Int
    var linkQuality: Double?
    var altitudeAMSL: Double?
    var verticalSpeed: Double?
    var roll: Double?
    var pitch: Double?
    var yaw: Double?

    init(_ s: TelemetrySample) {
        flightID = s.flightID
        deviceID = s.deviceID
        sequence = Int64(clamping: s.sequence)
        time = s.telemetry.time
        lon = s.telemetry.position.lon
        lat = s.telemetry.position.lat
        altitude = s.telemetry.altitude
        heading = s.telemetry.heading
        speed = s.telemetry.speed
        battery = s.telemetry.battery
        state = s.telemetry.state.rawValue
        waypointIndex = s.telemetry.waypointIndex
        linkQuality = s.telemetry.linkQuality
        altitudeAMSL = s.telemetry.altitudeAMSL
        verticalSpeed = s.telemetry.verticalSpeed
        roll = s.telemetry.attitude?.roll
        pitch = s.telemetry.attitude?.pitch
        yaw = s.telemetry.attitude?.yaw
    }

    var model: Telemetry {
        Telemetry(
            time: time, position: LonLat(lon: lon, lat: lat), altitude: altitude, heading: heading, speed: speed,
            battery: battery, state: VehicleState(rawValue: state) ?? .idle, waypointIndex: waypointIndex,
            linkQuality: linkQuality, altitudeAMSL: altitudeAMSL, verticalSpeed: verticalSpeed,
            attitude: attitudeModel)
    }

    /// The attitude when all three angles were stored (they are written together or not at all).
    var attitudeModel: Attitude? {
        guard let roll, let pitch, let yaw else { return nil }
        return Attitude(roll: roll, pitch: pitch, yaw: yaw)
    }
}

struct AlertRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alert"
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
    var source: String
    var flightID: String?
    /// Source device to its highest confidence, JSON (GRDB encodes nested `Codable` values so).
    var sources: [String: Double]
    var confirmed: Bool
    var reopenedFrom: String?

    init(_ a: Alert) {
        id = a.id
        kind = a.kind.rawValue
        state = a.state.rawValue
        lon = a.position.lon
        lat = a.position.lat
        positionError = a.positionError
        firstSeen = a.firstSeen
        lastSeen = a.lastSeen
        observations = a.observations
        confidence = a.confidence
        source = a.source
        flightID = a.flightID
        sources = a.sources
        confirmed = a.confirmed
        reopenedFrom = a.reopenedFrom
    }

    var model: Alert {
        Alert(
            id: id, kind: DetectionClass(rawValue: kind) ?? .smoke, state: AlertState(rawValue: state) ?? .new,
            position: LonLat(lon: lon, lat: lat), positionError: positionError, firstSeen: firstSeen,
            lastSeen: lastSeen,
            observations: observations, confidence: confidence, source: source, flightID: flightID,
            sources: sources, confirmed: confirmed, reopenedFrom: reopenedFrom)
    }
}

struct AlertTransitionRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alertTransition"
    var id: Int64?
    var alertID: String
    var fromState: String?
    var toState: String
    var at: Date
    var actor: String
    var reason: String
}

struct DetectionRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "detection"
    var id: Int64?
    var deviceID: String
    var detectionID: String
    var flightID: String?
    var time: Date
    var kind: String
    var confidence: Double
    var lon: Double
    var lat: Double
    var positionError: Double
    var evidence: String?
    var alertID: String?

    var model: Detection {
        Detection(
            id: detectionID, time: time, kind: DetectionClass(rawValue: kind) ?? .smoke, confidence: confidence,
            position: LonLat(lon: lon, lat: lat), positionError: positionError, evidence: evidence)
    }
}

struct DeviceEventRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "deviceEvent"
    var id: Int64?
    var deviceID: String
    var eventID: String
    var flightID: String?
    var kind: String
    var time: Date
    var detail: String?
}

struct CommandRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "command"
    var id: String
    var deviceID: String
    var flightID: String?
    var action: String
    var sentAt: Date
    var answeredAt: Date?
    var accepted: Bool?
    var reason: String?
}

struct DeadlineRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "escalationDeadline"
    var alertID: String
    var due: Date
    var startedAt: Date
    /// Level indices, comma separated.
    var levels: String
    var reminder: Bool
    var responsible: String

    init(_ d: EscalationDeadline) {
        alertID = d.alertID
        due = d.due
        startedAt = d.startedAt
        levels = d.levels.map(String.init).joined(separator: ",")
        reminder = d.reminder
        responsible = d.responsible
    }

    var model: EscalationDeadline {
        EscalationDeadline(
            alertID: alertID, due: due, startedAt: startedAt,
            levels: levels.split(separator: ",").compactMap { Int($0) }, reminder: reminder, responsible: responsible)
    }
}

struct NotificationRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alertNotification"
    var id: Int64?
    var alertID: String
    var level: String
    var recipient: String
    var at: Date
    var due: Date
    var reminder: Bool

    init(_ n: AlertNotification) {
        alertID = n.alertID
        level = n.level
        recipient = n.recipient
        at = n.at
        due = n.due
        reminder = n.reminder
    }

    var model: AlertNotification {
        AlertNotification(alertID: alertID, level: level, recipient: recipient, at: at, due: due, reminder: reminder)
    }
}
