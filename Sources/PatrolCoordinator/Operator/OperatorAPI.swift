public import Foundation
public import PatrolGeo

/// One request on the operator channel (`docs/operator-api.md`): a JSON object in one ZeroMQ frame.
///
/// Who sends it is never part of it: the coordinator takes the operator from the CURVE key of the
/// connection.
public struct OperatorRequest: Sendable, Hashable, Codable {
    /// Chosen by the client; echoed in the response.
    public var id: String
    /// `status`, `launch`, `pause`, `resume`, `return`, `abort`, `schedule_show`, `schedule_apply`.
    public var command: String
    /// The command's arguments, all text (`mission`, `vehicle`, `at`, `sortie`, `confirm`, …).
    public var args: [String: String]

    public init(id: String, command: String, args: [String: String] = [:]) {
        self.id = id
        self.command = command
        self.args = args
    }
}

/// The answer to one request: done (`ok`) with what was done, or refused with the reason.
public struct OperatorResponse: Sendable, Hashable, Codable {
    public var id: String
    public var ok: Bool
    /// Why the request was refused (role not allowed, vehicle not ready, weather, geofence, …).
    public var reason: String?
    /// What was done, in words.
    public var message: String?
    /// The operator the coordinator took the request to be from, and their role.
    public var operatorName: String?
    public var role: String?
    /// `status`: the picture at a glance.
    public var status: StatusSnapshot?
    /// `launch` and sortie commands: the sortie concerned.
    public var sortie: String?
    /// `schedule_show` and `schedule_apply`: the sorties of the schedule, one line each.
    public var schedule: [ScheduleLine]?

    public init(
        id: String, ok: Bool, reason: String? = nil, message: String? = nil, operatorName: String? = nil,
        role: String? = nil, status: StatusSnapshot? = nil, sortie: String? = nil, schedule: [ScheduleLine]? = nil
    ) {
        self.id = id
        self.ok = ok
        self.reason = reason
        self.message = message
        self.operatorName = operatorName
        self.role = role
        self.status = status
        self.sortie = sortie
        self.schedule = schedule
    }

    enum CodingKeys: String, CodingKey {
        case id, ok, reason, message, operatorName = "operator", role, status, sortie, schedule
    }
}

/// One sortie of a schedule, for `schedule show` and `schedule apply`.
public struct ScheduleLine: Sendable, Hashable, Codable {
    public var sortie: String?
    public var mission: String
    public var vehicle: String
    public var start: Date
    public var end: Date?
    public var state: String

    public init(sortie: String?, mission: String, vehicle: String, start: Date, end: Date?, state: String) {
        self.sortie = sortie
        self.mission = mission
        self.vehicle = vehicle
        self.start = start
        self.end = end
        self.state = state
    }
}

/// Fleet, hives, weather, sorties in flight and open incidents, at one instant.
public struct StatusSnapshot: Sendable, Hashable, Codable {
    public struct Vehicle: Sendable, Hashable, Codable {
        public var id: String
        public var kind: String
        public var hive: String?
        /// The fleet file's operating state (ready, maintenance, …).
        public var state: String
        public var connected: Bool
        public var sortie: String?
    }

    public struct HiveWeather: Sendable, Hashable, Codable {
        public var id: String
        public var state: String
        public var time: Date?
        public var windSpeed: Double?
        public var rain: Double?
        public var temperature: Double?
        /// Why the weather forbids launching now, or `nil` when it allows it (or is unknown).
        public var outsideLimits: String?
    }

    public struct Incident: Sendable, Hashable, Codable {
        public var id: String
        public var kind: String
        public var state: String
        public var position: LonLat
        public var confidence: Double
        public var confirmed: Bool
        public var lastSeen: Date
    }

    public var time: Date
    public var site: String
    public var vehicles: [Vehicle]
    public var hives: [HiveWeather]
    public var sorties: [SortieSnapshot]
    /// Sorties waiting in the queue for their time or their drone.
    public var queue: [SortieStatus]
    public var incidents: [Incident]
    /// Launchable missions by id.
    public var missions: [String]
}

extension JSONEncoder {
    /// The operator channel's encoding: ISO 8601 dates, sorted keys.
    public static var operatorAPI: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    /// The operator channel's decoding: ISO 8601 dates.
    public static var operatorAPI: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
