public import Foundation
import GRDB

/// One `hive_status` as stored: the hive's door, charging and weather station at one instant.
public struct StoredHiveStatus: Hashable, Sendable {
    /// The hive's device id, which is also its id in the site.
    public var deviceID: String
    public var time: Date
    /// The door's state as sent (`open`, `closed`, `moving`, `stuck`).
    public var door: String
    public var charging: Bool
    /// Metres per second.
    public var windSpeed: Double
    /// Degrees clockwise from north.
    public var windFrom: Double
    /// Millimetres per hour.
    public var rain: Double
    /// Degrees Celsius.
    public var temperature: Double

    public init(
        deviceID: String, time: Date, door: String, charging: Bool, windSpeed: Double, windFrom: Double, rain: Double,
        temperature: Double
    ) {
        self.deviceID = deviceID
        self.time = time
        self.door = door
        self.charging = charging
        self.windSpeed = windSpeed
        self.windFrom = windFrom
        self.rain = rain
        self.temperature = temperature
    }
}

extension PatrolStore {
    /// Stores one hive status.
    ///
    /// - Throws: ``StoreError`` when it cannot be written.
    public func record(_ status: StoredHiveStatus) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO hiveStatus (deviceID, time, door, charging, windSpeed, windFrom, rain, temperature) \
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    status.deviceID, StorageDate.text(status.time), status.door, status.charging, status.windSpeed,
                    status.windFrom, status.rain, status.temperature,
                ])
        }
    }

    /// A hive's statuses from `start` to `end` (both included), in time order, with the last one
    /// before `start` first when there is one (the weather at take-off).
    ///
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func hiveStatuses(hive: String, from start: Date, to end: Date) throws(StoreError) -> [StoredHiveStatus] {
        try read { db in
            let columns = "deviceID, time, door, charging, windSpeed, windFrom, rain, temperature"
            let before = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(columns) FROM hiveStatus WHERE deviceID = ? AND time < ? \
                    ORDER BY time DESC, id DESC LIMIT 1
                    """,
                arguments: [hive, StorageDate.text(start)])
            let during = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM hiveStatus WHERE deviceID = ? AND time >= ? AND time <= ? \
                    ORDER BY time, id
                    """,
                arguments: [hive, StorageDate.text(start), StorageDate.text(end)])
            return ([before].compactMap { $0 } + during).map { row in
                StoredHiveStatus(
                    deviceID: row["deviceID"], time: row["time"], door: row["door"], charging: row["charging"],
                    windSpeed: row["windSpeed"], windFrom: row["windFrom"], rain: row["rain"],
                    temperature: row["temperature"])
            }
        }
    }
}
