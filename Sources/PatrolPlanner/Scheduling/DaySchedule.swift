public import PatrolGeo

/// A patrol day: the sorties assigned to drones, and the occurrences that did not fit, each with
/// the reason.
public struct DaySchedule: Hashable, Sendable, Codable {
    /// Every sortie, ordered by start time, then drone.
    public var sorties: [Sortie]
    /// Every occurrence that could not be flown, ordered by due time, then patrol.
    public var unscheduled: [Unscheduled]
    /// Gaps between flown occurrences longer than a patrol's maximum staleness.
    public var staleness: [StalenessGap]

    public init(sorties: [Sortie] = [], unscheduled: [Unscheduled] = [], staleness: [StalenessGap] = []) {
        self.sorties = sorties
        self.unscheduled = unscheduled
        self.staleness = staleness
    }
}

/// One flight of one drone for one occurrence of a patrol.
public struct Sortie: Hashable, Sendable, Codable {
    public var patrol: String
    /// When the occurrence was due, seconds after local midnight.
    public var due: Double
    public var drone: String
    public var hive: String
    /// Launch and landing, seconds after local midnight.
    public var start: Double
    public var end: Double
    /// Waypoint of the patrol's path the sortie starts from (0 unless it resumes a cut-short one).
    public var resumeFrom: Int
    public var lengthMetres: Double
    public var energyWh: Double
    /// Charge at launch and on landing, watt-hours.
    public var chargeBeforeWh: Double
    public var chargeAfterWh: Double
    public var priority: Int
    /// The horizontal extent of the flight, site metres, and its altitude band.
    public var bounds: Bounds
    public var lowest: Double
    public var highest: Double

    /// Whether this sortie and `other` share airspace at the same time: their times overlap, their
    /// extents (each grown by `buffer` metres) touch, and their altitude bands are closer than
    /// `vertical` metres.
    public func conflicts(with other: Sortie, buffer: Double, vertical: Double) -> Bool {
        guard start < other.end, other.start < end else { return false }
        let apart =
            bounds.max.x + buffer < other.bounds.min.x - buffer || other.bounds.max.x + buffer < bounds.min.x - buffer
            || bounds.max.y + buffer < other.bounds.min.y - buffer
            || other.bounds.max.y + buffer < bounds.min.y - buffer
        if apart { return false }
        return lowest - vertical < other.highest && other.lowest - vertical < highest
    }
}

/// An occurrence of a patrol that the day has no room for.
public struct Unscheduled: Hashable, Sendable, Codable {
    public var patrol: String
    public var due: Double
    public var priority: Int
    public var reason: Reason

    /// Why an occurrence was not scheduled.
    public struct Reason: Error, Hashable, Sendable, Codable, CustomStringConvertible {
        /// A machine-readable kind: `payload`, `offline`, `battery`, `weather`, `window`.
        public var code: String
        /// What stood in the way, for people.
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }

        /// No drone carries what the patrol needs.
        public static func payload(_ message: String) -> Reason { Reason(code: "payload", message: message) }
        /// Every capable drone or its hive is out of service for the whole window.
        public static func offline(_ message: String) -> Reason { Reason(code: "offline", message: message) }
        /// No capable drone's battery holds the sortie plus its reserve.
        public static func battery(_ message: String) -> Reason { Reason(code: "battery", message: message) }
        /// The weather is outside the hive's or the patrol's limits for the whole window.
        public static func weather(_ message: String) -> Reason { Reason(code: "weather", message: message) }
        /// Drones exist, but none is free, charged and clear of other sorties within the window.
        public static func window(_ message: String) -> Reason { Reason(code: "window", message: message) }

        public var description: String { "\(code): \(message)" }
    }

    public init(patrol: String, due: Double, priority: Int, reason: Reason) {
        self.patrol = patrol
        self.due = due
        self.priority = priority
        self.reason = reason
    }
}

/// A stretch of the day when a patrol's area went unseen for longer than its maximum staleness.
public struct StalenessGap: Hashable, Sendable, Codable {
    public var patrol: String
    /// Seconds after local midnight: the two launches (or the first due time) around the gap.
    public var from: Double
    public var to: Double
    public var limit: Double

    public init(patrol: String, from: Double, to: Double, limit: Double) {
        self.patrol = patrol
        self.from = from
        self.to = to
        self.limit = limit
    }
}
