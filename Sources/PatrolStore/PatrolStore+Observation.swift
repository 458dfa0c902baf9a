public import Foundation
import GRDB
import PatrolGeo
public import PatrolModel

/// What folding an observation did to an incident, written with the observation in one transaction.
public struct IncidentChange: Sendable {
    /// The incident as it is now.
    public var alert: Alert
    /// Who changed it (`fusion`) and why, for the transition a new incident or a change of state records.
    public var actor: String
    public var reason: String
    public var at: Date
    /// The first escalation deadline of a new incident, so an incident never exists without its timer.
    public var deadline: EscalationDeadline?
    /// Whether the change ends the incident's escalation (a verification made it a false alarm).
    public var endsEscalation: Bool

    public init(
        alert: Alert, actor: String, reason: String, at: Date, deadline: EscalationDeadline? = nil,
        endsEscalation: Bool = false
    ) {
        self.alert = alert
        self.actor = actor
        self.reason = reason
        self.at = at
        self.deadline = deadline
        self.endsEscalation = endsEscalation
    }
}

extension PatrolStore {
    /// Whether the device's observation `detectionID` is already recorded (a resend).
    public func hasDetection(deviceID: String, detectionID: String) throws(StoreError) -> Bool {
        try read { db in
            try DetectionRow.filter(Column("deviceID") == deviceID && Column("detectionID") == detectionID)
                .fetchCount(db) > 0
        }
    }

    /// Records an observation, the incident it joined or opened, the incident's transition and its
    /// first escalation deadline, all in **one** transaction: a crash leaves either all of it or
    /// none (and then the device, never acknowledged, sends the observation again).
    ///
    /// - Returns: `false`, changing nothing, when the device already sent this observation.
    /// - Throws: ``StoreError`` when the database fails.
    @discardableResult
    public func recordObservation(
        _ detection: Detection, deviceID: String, flightID: String?, incident: IncidentChange?
    ) throws(StoreError) -> Bool {
        try write { db in
            try Self.recordObservation(detection, deviceID: deviceID, flightID: flightID, incident: incident, in: db)
        }
    }

    /// ``recordObservation(_:deviceID:flightID:incident:)`` inside a transaction that is already open.
    static func recordObservation(
        _ detection: Detection, deviceID: String, flightID: String?, incident: IncidentChange?, in db: Database
    ) throws -> Bool {
        // Cached prepared statements, not the record API: this runs once per observation before its
        // acknowledgement, and GRDB's per-row statement building and Codable encoding were most of
        // its cost (see docs/benchmarks.md, "Alerts persistence").
        do {
            let exists = try db.cachedStatement(
                sql: "SELECT 1 FROM detection WHERE deviceID = ? AND detectionID = ? LIMIT 1")
            if try Int.fetchOne(exists, arguments: [deviceID, detection.id]) != nil { return false }
            if let incident {
                let alert = incident.alert
                let previous = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT state FROM alert WHERE id = ?"), arguments: [alert.id])
                let values: StatementArguments = [
                    alert.kind.rawValue, alert.state.rawValue, alert.position.lon, alert.position.lat,
                    alert.positionError, StorageDate.text(alert.firstSeen), StorageDate.text(alert.lastSeen),
                    alert.observations, alert.confidence, alert.source, alert.flightID, Self.json(alert.sources),
                    alert.confirmed, alert.reopenedFrom, alert.id,
                ]
                if previous == nil {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO alert (kind, state, lon, lat, positionError, firstSeen, lastSeen, observations, \
                            confidence, source, flightID, sources, confirmed, reopenedFrom, id) \
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: values)
                } else {
                    try db.cachedStatement(
                        sql: """
                            UPDATE alert SET kind = ?, state = ?, lon = ?, lat = ?, positionError = ?, firstSeen = ?, \
                            lastSeen = ?, observations = ?, confidence = ?, source = ?, flightID = ?, sources = ?, \
                            confirmed = ?, reopenedFrom = ? WHERE id = ?
                            """
                    ).execute(arguments: values)
                }
                if previous != alert.state.rawValue {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO alertTransition (alertID, fromState, toState, at, actor, reason) \
                            VALUES (?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        alert.id, previous, alert.state.rawValue, StorageDate.text(incident.at), incident.actor,
                        incident.reason,
                    ])
                }
                if let deadline = incident.deadline { try DeadlineRow(deadline).save(db) }
                if incident.endsEscalation { try DeadlineRow.deleteOne(db, key: alert.id) }
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO detection (deviceID, detectionID, flightID, time, kind, confidence, lon, lat, \
                    positionError, evidence, alertID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                deviceID, detection.id, flightID, StorageDate.text(detection.time), detection.kind.rawValue,
                detection.confidence, detection.position.lon, detection.position.lat, detection.positionError,
                detection.evidence, incident?.alert.id,
            ])
            return true
        }
    }

    /// A source-to-confidence map as the JSON object GRDB stores for `AlertRow.sources`.
    static func json(_ sources: [String: Double]) -> String {
        var out = "{"
        for (index, key) in sources.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            out += "\""
            for scalar in key.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            let value = sources[key] ?? 0
            out += "\":" + (value.isFinite ? "\(value)" : "0")
        }
        return out + "}"
    }

    /// Every observation id a device has recorded (for crash tests and audits).
    public func detectionIDs(deviceID: String) throws(StoreError) -> Set<String> {
        try read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT detectionID FROM detection WHERE deviceID = ?", arguments: [deviceID]))
        }
    }
}

/// How hard the store pushes each commit to disk (SQLite's `synchronous` in WAL mode).
public enum Durability: String, Sendable, CaseIterable {
    /// `synchronous=FULL`: the WAL is synced at every commit, so a commit that returned survives a
    /// power cut too (as far as the disk honours `fsync`). Patrol's default: an observation is
    /// acknowledged to its device only after its commit.
    case full
    /// `synchronous=NORMAL`: a commit survives a crash of the process (kill -9) but a power cut may
    /// lose the last commits since the WAL was last synced (at checkpoints).
    case normal

    var pragma: String { self == .full ? "FULL" : "NORMAL" }
}

extension PatrolStore {
    /// The `synchronous` setting of the connection that writes (0 off, 1 normal, 2 full, 3 extra).
    public func synchronousLevel() throws(StoreError) -> Int {
        do {
            return try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
        } catch { throw StoreError(message: "\(error)", path: path) }
    }
}
