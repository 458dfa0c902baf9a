public import Foundation
import GRDB
public import PatrolGeo

/// One fixed-sensor reading as stored: which gateway sent it, and its reading id for de-duplication.
public struct StoredReading: Hashable, Sendable {
    public var gatewayID: String
    public var readingID: String
    public var sensorID: String
    public var kind: String
    public var value: Double
    public var unit: String
    public var time: Date
    public var position: LonLat?
    public var building: String?
    public var floor: Int?
    public var zone: String?

    public init(
        gatewayID: String, readingID: String, sensorID: String, kind: String, value: Double, unit: String, time: Date,
        position: LonLat? = nil, building: String? = nil, floor: Int? = nil, zone: String? = nil
    ) {
        self.gatewayID = gatewayID
        self.readingID = readingID
        self.sensorID = sensorID
        self.kind = kind
        self.value = value
        self.unit = unit
        self.time = time
        self.position = position
        self.building = building
        self.floor = floor
        self.zone = zone
    }
}

extension PatrolStore {
    /// Stores a batch of readings in one transaction, each (gateway, reading id) once.
    ///
    /// - Returns: for each reading, in order, whether it was new (`false` for a resend).
    /// - Throws: ``StoreError`` when the batch cannot be written; then none of it is stored.
    public func record(_ readings: [StoredReading]) throws(StoreError) -> [Bool] {
        guard !readings.isEmpty else { return [] }
        return try write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO sensorReading (gatewayID, readingID, sensorID, kind, value, unit, time, lon, \
                    lat, building, floor, zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var fresh: [Bool] = []
            fresh.reserveCapacity(readings.count)
            for r in readings {
                try insert.execute(arguments: [
                    r.gatewayID, r.readingID, r.sensorID, r.kind, r.value, r.unit, StorageDate.text(r.time),
                    r.position?.lon, r.position?.lat, r.building, r.floor, r.zone,
                ])
                fresh.append(db.changesCount == 1)
            }
            return fresh
        }
    }

    /// How many readings are stored, of one kind or of all.
    public func readingCount(kind: String? = nil) throws(StoreError) -> Int {
        try read { db in
            if let kind {
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sensorReading WHERE kind = ?", arguments: [kind])
                    ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sensorReading") ?? 0
        }
    }

    /// A command as recorded: its action, device and the device's answer (`nil` until answered).
    public func command(id: String) throws(StoreError) -> (deviceID: String, action: String, accepted: Bool?)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT deviceID, action, accepted FROM command WHERE id = ?", arguments: [id])
                .map { ($0["deviceID"], $0["action"], $0["accepted"]) }
        }
    }
}
