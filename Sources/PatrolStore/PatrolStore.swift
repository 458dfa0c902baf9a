public import Foundation
import GRDB
import PatrolGeo
public import PatrolModel

/// One telemetry message as stored: which flight and device, and the wire sequence number.
public struct TelemetrySample: Hashable, Sendable {
    public var flightID: String?
    public var deviceID: String
    public var sequence: UInt64
    public var telemetry: Telemetry

    public init(flightID: String?, deviceID: String, sequence: UInt64, telemetry: Telemetry) {
        self.flightID = flightID
        self.deviceID = deviceID
        self.sequence = sequence
        self.telemetry = telemetry
    }
}

/// A device event as recorded.
public struct RecordedEvent: Hashable, Sendable {
    public var deviceID: String
    public var eventID: String
    public var flightID: String?
    public var kind: String
    public var time: Date
    public var detail: String?

    public init(deviceID: String, eventID: String, flightID: String?, kind: String, time: Date, detail: String?) {
        self.deviceID = deviceID
        self.eventID = eventID
        self.flightID = flightID
        self.kind = kind
        self.time = time
        self.detail = detail
    }
}

/// A failure of the store, with the database's own message.
public struct StoreError: Error, CustomStringConvertible {
    public var message: String
    public var path: String

    public var description: String { "\(path): \(message)" }
}

/// The record of everything Patrol saw and did: flights, telemetry, detections, alerts, device
/// events and commands, in one SQLite file in WAL mode (readers never block the writer).
///
/// Thread-safe: GRDB's pool serialises writes and runs reads concurrently.
public final class PatrolStore: Sendable {
    let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Parameter durability: how hard each commit is pushed to disk (``Durability/full`` unless
    ///   a tool asks otherwise; see docs/alerts.md, "Durability").
    /// - Throws: ``StoreError`` when the file cannot be opened or migrated.
    public init(path: String, durability: Durability = .full) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.label = "patrol"
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB opens the pool's one writer with synchronous=NORMAL; set ours on that connection.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = \(durability.pragma)") }
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError(message: "\(error)", path: path)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError(message: "\(error)", path: path) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError(message: "\(error)", path: path) }
    }

    /// The journal mode SQLite reports (`wal` for a store opened here).
    public func journalMode() throws(StoreError) -> String {
        try read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    // MARK: Flights

    /// Inserts or replaces a flight.
    public func save(_ flight: Flight) throws(StoreError) {
        try write { try FlightRow(flight).save($0) }
    }

    public func flight(_ id: String) throws(StoreError) -> Flight? {
        try read { try FlightRow.fetchOne($0, key: id)?.model }
    }

    /// Every flight, the most recent first.
    public func flights() throws(StoreError) -> [Flight] {
        try read { try FlightRow.order(Column("startedAt").desc).fetchAll($0).map(\.model) }
    }

    // MARK: Telemetry

    /// Appends telemetry in one transaction (callers batch for speed).
    public func append(_ samples: [TelemetrySample]) throws(StoreError) {
        guard !samples.isEmpty else { return }
        try write { db in
            // One prepared statement for the batch: the record API builds and encodes a statement
            // per row, which was the largest cost of telemetry ingest (see docs/benchmarks.md).
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO telemetry (flightID, deviceID, sequence, time, lon, lat, altitude, heading, speed, \
                    battery, state, waypointIndex, linkQuality, altitudeAMSL, verticalSpeed, roll, pitch, yaw) \
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for sample in samples {
                let t = sample.telemetry
                try insert.execute(arguments: [
                    sample.flightID, sample.deviceID, Int64(clamping: sample.sequence), StorageDate.text(t.time),
                    t.position.lon, t.position.lat, t.altitude, t.heading, t.speed, t.battery, t.state.rawValue,
                    t.waypointIndex, t.linkQuality, t.altitudeAMSL, t.verticalSpeed, t.attitude?.roll,
                    t.attitude?.pitch,
                    t.attitude?.yaw,
                ])
            }
        }
    }

    /// A flight's telemetry in time order.
    public func telemetry(flightID: String) throws(StoreError) -> [Telemetry] {
        try read {
            try TelemetryRow.filter(Column("flightID") == flightID).order(Column("time"), Column("id")).fetchAll($0)
                .map(\.model)
        }
    }

    public func telemetryCount(flightID: String? = nil) throws(StoreError) -> Int {
        try read { db in
            if let flightID { return try TelemetryRow.filter(Column("flightID") == flightID).fetchCount(db) }
            return try TelemetryRow.fetchCount(db)
        }
    }

    // MARK: Detections and alerts

    /// Records a detection once: returns `false` when the device already sent this one (a resend).
    public func record(_ detection: Detection, deviceID: String, flightID: String?) throws(StoreError) -> Bool {
        try write { db in
            let exists =
                try DetectionRow.filter(Column("deviceID") == deviceID && Column("detectionID") == detection.id)
                .fetchCount(db) > 0
            if exists { return false }
            try DetectionRow(
                id: nil, deviceID: deviceID, detectionID: detection.id, flightID: flightID, time: detection.time,
                kind: detection.kind.rawValue, confidence: detection.confidence, lon: detection.position.lon,
                lat: detection.position.lat, positionError: detection.positionError, evidence: detection.evidence,
                alertID: nil
            ).insert(db)
            return true
        }
    }

    /// Saves an alert's current state and links the detection that changed it; a new alert or
    /// a change of state also records a transition with who and why.
    public func save(
        _ alert: Alert, detectionID: String?, deviceID: String?, actor: String, reason: String, at time: Date
    )
        throws(StoreError)
    {
        try write { db in
            let previous = try AlertRow.fetchOne(db, key: alert.id)
            try AlertRow(alert).save(db)
            if previous?.state != alert.state.rawValue {
                try AlertTransitionRow(
                    id: nil, alertID: alert.id, fromState: previous?.state, toState: alert.state.rawValue, at: time,
                    actor: actor,
                    reason: reason
                ).insert(db)
            }
            if let detectionID, let deviceID {
                try db.execute(
                    sql: "UPDATE detection SET alertID = ? WHERE deviceID = ? AND detectionID = ?",
                    arguments: [alert.id, deviceID, detectionID])
            }
        }
    }

    /// Alerts, the newest first; only those in `states` when given.
    public func alerts(states: Set<AlertState>? = nil) throws(StoreError) -> [Alert] {
        try read { db in
            var request = AlertRow.order(Column("firstSeen").desc, Column("id").desc)
            if let states { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            return try request.fetchAll(db).map(\.model)
        }
    }

    /// The alerts first seen during a flight.
    public func alerts(flightID: String) throws(StoreError) -> [Alert] {
        try read { try AlertRow.filter(Column("flightID") == flightID).order(Column("id")).fetchAll($0).map(\.model) }
    }

    /// The number to give the next alert id (one more than the alerts stored so far).
    public func nextAlertNumber() throws(StoreError) -> Int {
        try read { try AlertRow.fetchCount($0) + 1 }
    }

    /// A flight's detections in time order.
    public func detections(flightID: String) throws(StoreError) -> [Detection] {
        try read {
            try DetectionRow.filter(Column("flightID") == flightID).order(Column("time"), Column("id")).fetchAll($0)
                .map(\.model)
        }
    }

    /// The state changes of an alert, oldest first: (from, to, when, who, why).
    public func transitions(alertID: String) throws(StoreError) -> [(
        from: String?, to: String, at: Date, actor: String, reason: String
    )] {
        try read { db in
            try AlertTransitionRow.filter(Column("alertID") == alertID).order(Column("id")).fetchAll(db)
                .map { ($0.fromState, $0.toState, $0.at, $0.actor, $0.reason) }
        }
    }

    // MARK: Events and commands

    /// Records a device event once; `false` for a resend.
    public func record(_ event: RecordedEvent) throws(StoreError) -> Bool {
        try write { db in
            let exists =
                try DeviceEventRow.filter(Column("deviceID") == event.deviceID && Column("eventID") == event.eventID)
                .fetchCount(db) > 0
            if exists { return false }
            try DeviceEventRow(
                id: nil, deviceID: event.deviceID, eventID: event.eventID, flightID: event.flightID, kind: event.kind,
                time: event.time, detail: event.detail
            ).insert(db)
            return true
        }
    }

    /// A flight's device events in order.
    public func events(flightID: String) throws(StoreError) -> [RecordedEvent] {
        try read { db in
            try DeviceEventRow.filter(Column("flightID") == flightID).order(Column("time"), Column("id")).fetchAll(db)
                .map {
                    RecordedEvent(
                        deviceID: $0.deviceID, eventID: $0.eventID, flightID: $0.flightID, kind: $0.kind, time: $0.time,
                        detail: $0.detail)
                }
        }
    }

    /// Records a command as sent.
    public func recordCommand(id: String, deviceID: String, flightID: String?, action: String, at time: Date)
        throws(StoreError)
    {
        try write {
            try CommandRow(
                id: id, deviceID: deviceID, flightID: flightID, action: action, sentAt: time, answeredAt: nil,
                accepted: nil,
                reason: nil
            ).save($0)
        }
    }

    /// Records the device's answer to a command.
    public func recordCommandAnswer(id: String, accepted: Bool, reason: String?, at time: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE command SET answeredAt = ?, accepted = ?, reason = ? WHERE id = ?",
                arguments: [time, accepted, reason, id])
        }
    }

    /// Commands of a flight: (id, action, accepted), in the order sent.
    public func commands(flightID: String) throws(StoreError) -> [(id: String, action: String, accepted: Bool?)] {
        try read { db in
            try CommandRow.filter(Column("flightID") == flightID).order(Column("sentAt"), Column("id")).fetchAll(db)
                .map { ($0.id, $0.action, $0.accepted) }
        }
    }
}
