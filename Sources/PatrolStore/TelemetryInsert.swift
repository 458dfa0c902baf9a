import Foundation
import GRDB
import GRDBSQLite
import PatrolGeo
import PatrolModel

/// The telemetry batch insert, bound column by column with SQLite's own calls: GRDB's
/// `execute(arguments:)` takes an array of existentials per row (18 boxed values, each converted
/// to a `DatabaseValue` and bound through a witness), which showed in ingest profiles beside
/// SQLite's own work (see docs/benchmarks.md, "Device link").
enum TelemetryInsert {
    static let sql = """
        INSERT INTO telemetry (flightID, deviceID, sequence, time, lon, lat, altitude, heading, speed, \
        battery, state, waypointIndex, linkQuality, altitudeAMSL, verticalSpeed, roll, pitch, yaw) \
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// SQLite copies the bytes of text bound so (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Inserts `samples` in the transaction that is open on `db`.
    static func run(_ samples: [TelemetrySample], in db: Database) throws {
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for sample in samples {
            let t = sample.telemetry
            sqlite3_reset(handle)
            bind(sample.flightID, 1, handle)
            bind(sample.deviceID, 2, handle)
            sqlite3_bind_int64(handle, 3, Int64(clamping: sample.sequence))
            bind(StorageDate.text(t.time), 4, handle)
            sqlite3_bind_double(handle, 5, t.position.lon)
            sqlite3_bind_double(handle, 6, t.position.lat)
            sqlite3_bind_double(handle, 7, t.altitude)
            sqlite3_bind_double(handle, 8, t.heading)
            sqlite3_bind_double(handle, 9, t.speed)
            sqlite3_bind_double(handle, 10, t.battery)
            bind(t.state.rawValue, 11, handle)
            sqlite3_bind_int64(handle, 12, Int64(t.waypointIndex))
            bind(t.linkQuality, 13, handle)
            bind(t.altitudeAMSL, 14, handle)
            bind(t.verticalSpeed, 15, handle)
            bind(t.attitude?.roll, 16, handle)
            bind(t.attitude?.pitch, 17, handle)
            bind(t.attitude?.yaw, 18, handle)
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
            }
        }
    }

    private static func bind(_ value: Double?, _ index: Int32, _ handle: OpaquePointer) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    private static func bind(_ text: String?, _ index: Int32, _ handle: OpaquePointer) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient)
            }
        }
    }
}
