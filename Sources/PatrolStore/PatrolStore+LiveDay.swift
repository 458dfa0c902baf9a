public import Foundation
import GRDB

extension PatrolStore {
    /// Keeps the day the coordinator runs live (its problem, schedule and the events re-planned
    /// so far, as JSON opaque to the store), so a restarted coordinator re-plans the same day.
    /// Replaces an earlier document of the same day.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func saveLiveDay(day: String, document: Data, at time: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO liveDay (day, document, updatedAt) VALUES (?, ?, ?) \
                    ON CONFLICT(day) DO UPDATE SET document = excluded.document, updatedAt = excluded.updatedAt
                    """,
                arguments: [day, String(decoding: document, as: UTF8.self), time])
        }
    }

    /// The live day last written (`nil` when none was applied): its day and document.
    /// - Throws: ``StoreError`` when it cannot be read.
    public func latestLiveDay() throws(StoreError) -> (day: String, document: Data)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT day, document FROM liveDay ORDER BY updatedAt DESC, day DESC LIMIT 1")
                .map { (day: $0["day"], document: Data(($0["document"] as String).utf8)) }
        }
    }
}
