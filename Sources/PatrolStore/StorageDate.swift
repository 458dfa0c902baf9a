import Foundation
import GRDB

/// Dates as GRDB stores them (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), written without a `DateFormatter`,
/// which cost more than the insert itself in telemetry ingest. Tests check it against GRDB.
enum StorageDate {
    static func text(_ date: Date) -> String {
        // GRDB rounds to the nearest millisecond; so does this.
        let totalMs = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMs >= 0 ? totalMs / 86_400_000 : (totalMs - 86_399_999) / 86_400_000
        let msOfDay = totalMs - days * 86_400_000
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var out = [UInt8]()
        out.reserveCapacity(23)
        func put(_ value: Int64, _ width: Int) {
            // The low `width` digits, most significant first, straight into `out` (no array per field).
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(0x30 + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        put(year, 4)
        out.append(0x2D)
        put(month, 2)
        out.append(0x2D)
        put(day, 2)
        out.append(0x20)
        put(msOfDay / 3_600_000, 2)
        out.append(0x3A)
        put(msOfDay / 60_000 % 60, 2)
        out.append(0x3A)
        put(msOfDay / 1000 % 60, 2)
        out.append(0x2E)
        put(msOfDay % 1000, 3)
        return String(decoding: out, as: UTF8.self)
    }

    /// What GRDB itself writes for `date`, for checking ``text(_:)``.
    static func grdbText(_ date: Date) -> String? { String.fromDatabaseValue(date.databaseValue) }
}
