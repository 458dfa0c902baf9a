public import Foundation
import GRDB
import PatrolGeo
public import PatrolModel

/// A ground robot's round as recorded beyond its flight row: the robot, its station and the
/// checkpoints of its route, each with when it was reached (migration `v7-robot-rounds`).
///
/// The round itself is a ``Flight`` (its planned route, status, start and end), its track is its
/// telemetry, and its commands, detections and events are stored as a drone flight's are; the
/// robot's gas readings are its `sensorReading` rows (the robot is their gateway).
public struct RobotRoundRecord: Hashable, Sendable {
    public var flightID: String
    public var robotID: String
    public var station: String
    public var checkpoints: [RoundCheckpoint]

    public init(flightID: String, robotID: String, station: String, checkpoints: [RoundCheckpoint]) {
        self.flightID = flightID
        self.robotID = robotID
        self.station = station
        self.checkpoints = checkpoints
    }
}

/// A sentence a robot was told to say (`command` `speak`), with the command that carried it.
public struct SpokenWarning: Hashable, Sendable, Codable {
    public var commandID: String
    public var deviceID: String
    public var flightID: String?
    public var text: String
    public var at: Date
    /// Whether the robot accepted the command (`nil` until it answers).
    public var accepted: Bool?

    public init(commandID: String, deviceID: String, flightID: String?, text: String, at: Date, accepted: Bool? = nil) {
        self.commandID = commandID
        self.deviceID = deviceID
        self.flightID = flightID
        self.text = text
        self.at = at
        self.accepted = accepted
    }
}

extension Schema {
    static func createRobotRounds(_ db: Database) throws {
        try db.create(table: "robotRound") { t in
            t.primaryKey("flightID", .text).references("flight", onDelete: .cascade)
            t.column("robotID", .text).notNull().indexed()
            t.column("station", .text).notNull()
        }
        try db.create(table: "robotCheckpoint") { t in
            t.column("flightID", .text).notNull().references("robotRound", onDelete: .cascade)
            t.column("waypointIndex", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("lon", .double).notNull()
            t.column("lat", .double).notNull()
            t.column("level", .integer).notNull()
            t.column("reachedAt", .datetime)
            t.primaryKey(["flightID", "waypointIndex"])
        }
        // The text of every `speak` command; the command row itself (sent, answered) is in `command`.
        try db.create(table: "spokenWarning") { t in
            t.primaryKey("commandID", .text)
            t.column("deviceID", .text).notNull()
            t.column("flightID", .text).indexed()
            t.column("text", .text).notNull()
            t.column("at", .datetime).notNull()
        }
    }
}

extension PatrolStore {
    /// Stores a round's record with its checkpoints (none reached yet, or as given).
    /// - Throws: ``StoreError`` when it cannot be written (the flight must be saved first).
    public func save(_ round: RobotRoundRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO robotRound (flightID, robotID, station) VALUES (?, ?, ?)",
                arguments: [round.flightID, round.robotID, round.station])
            for c in round.checkpoints {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO robotCheckpoint (flightID, waypointIndex, name, lon, lat, level, \
                        reachedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        round.flightID, c.waypointIndex, c.name, c.position.lon, c.position.lat, c.level, c.reachedAt,
                    ])
            }
        }
    }

    /// Records when a checkpoint was first reached; a later time does not replace an earlier one.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func markCheckpoint(flightID: String, waypointIndex: Int, reachedAt: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE robotCheckpoint SET reachedAt = ? \
                    WHERE flightID = ? AND waypointIndex = ? AND reachedAt IS NULL
                    """,
                arguments: [reachedAt, flightID, waypointIndex])
        }
    }

    /// The round record of `flightID`, or `nil` when it is not a robot round.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func robotRound(_ flightID: String) throws(StoreError) -> RobotRoundRecord? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT robotID, station FROM robotRound WHERE flightID = ?", arguments: [flightID])
            else { return nil }
            let checkpoints = try Row.fetchAll(
                db,
                sql: """
                    SELECT waypointIndex, name, lon, lat, level, reachedAt FROM robotCheckpoint \
                    WHERE flightID = ? ORDER BY waypointIndex
                    """,
                arguments: [flightID]
            ).map { r in
                RoundCheckpoint(
                    name: r["name"], waypointIndex: r["waypointIndex"], position: LonLat(lon: r["lon"], lat: r["lat"]),
                    level: r["level"], reachedAt: r["reachedAt"])
            }
            return RobotRoundRecord(
                flightID: flightID, robotID: row["robotID"], station: row["station"], checkpoints: checkpoints)
        }
    }

    /// Stores the text of a `speak` command (record the command itself with ``recordCommand(id:deviceID:flightID:action:at:)``).
    /// - Throws: ``StoreError`` when it cannot be written.
    public func record(_ warning: SpokenWarning) throws(StoreError) {
        try write { db in
            try db.execute(
                sql:
                    "INSERT OR REPLACE INTO spokenWarning (commandID, deviceID, flightID, text, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [warning.commandID, warning.deviceID, warning.flightID, warning.text, warning.at])
        }
    }

    /// What `device` was told to say from `start` to `end`, in order, with the robot's answers.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func spokenWarnings(device: String, from start: Date, to end: Date) throws(StoreError) -> [SpokenWarning] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.commandID, s.deviceID, s.flightID, s.text, s.at, c.accepted FROM spokenWarning s \
                    LEFT JOIN command c ON c.id = s.commandID WHERE s.deviceID = ? AND s.at >= ? AND s.at <= ? \
                    ORDER BY s.at, s.commandID
                    """,
                arguments: [device, start, end]
            ).map { r in
                SpokenWarning(
                    commandID: r["commandID"], deviceID: r["deviceID"], flightID: r["flightID"], text: r["text"],
                    at: r["at"], accepted: r["accepted"])
            }
        }
    }

    /// The readings a device (a robot's sensors, or a gateway) sent from `start` to `end`, in time order.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func readings(device: String, from start: Date, to end: Date) throws(StoreError) -> [StoredReading] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT gatewayID, readingID, sensorID, kind, value, unit, time, lon, lat, building, floor, zone \
                    FROM sensorReading WHERE gatewayID = ? AND time >= ? AND time <= ? ORDER BY time, id
                    """,
                arguments: [device, StorageDate.text(start), StorageDate.text(end)]
            ).map { r in
                let lon: Double? = r["lon"]
                let lat: Double? = r["lat"]
                return StoredReading(
                    gatewayID: r["gatewayID"], readingID: r["readingID"], sensorID: r["sensorID"], kind: r["kind"],
                    value: r["value"], unit: r["unit"], time: r["time"],
                    position: lon.flatMap { lon in lat.map { LonLat(lon: lon, lat: $0) } }, building: r["building"],
                    floor: r["floor"], zone: r["zone"])
            }
        }
    }

    /// A device's detections from `start` to `end` (those of a flight and those made of its
    /// readings over threshold), each with the alert it joined, in time order.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func detections(device: String, from start: Date, to end: Date) throws(StoreError) -> [(
        detection: Detection, alertID: String?
    )] {
        try read { db in
            try DetectionRow.filter(Column("deviceID") == device && Column("time") >= start && Column("time") <= end)
                .order(Column("time"), Column("id")).fetchAll(db).map { ($0.model, $0.alertID) }
        }
    }

    /// The commands sent to `device` from `start` to `end`: (id, action, sent, accepted), in order.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func commands(device: String, from start: Date, to end: Date) throws(StoreError) -> [(
        id: String, action: String, sentAt: Date, accepted: Bool?
    )] {
        try read { db in
            try CommandRow.filter(Column("deviceID") == device && Column("sentAt") >= start && Column("sentAt") <= end)
                .order(Column("sentAt"), Column("id")).fetchAll(db).map { ($0.id, $0.action, $0.sentAt, $0.accepted) }
        }
    }
}
