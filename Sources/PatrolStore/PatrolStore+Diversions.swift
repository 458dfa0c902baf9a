public import Foundation
import GRDB

/// A diversion under way as kept in the store: an urgent sortie flown by a drone taken off its
/// routine sortie. The record is the coordinator's (JSON, opaque to the store).
public struct StoredDiversion: Hashable, Sendable {
    public var urgentID: String
    public var routineID: String
    public var vehicle: String
    public var record: Data
    public var updatedAt: Date
}

extension PatrolStore {
    /// Keeps a diversion under way (replacing an earlier row of the same urgent sortie), so a
    /// restarted coordinator can follow it on.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func saveDiversion(
        urgentID: String, routineID: String, vehicle: String, record: Data, at time: Date
    ) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO diversion (urgentID, routineID, vehicle, record, updatedAt) VALUES (?, ?, ?, ?, ?) \
                    ON CONFLICT(urgentID) DO UPDATE SET routineID = excluded.routineID, vehicle = excluded.vehicle, \
                    record = excluded.record, updatedAt = excluded.updatedAt
                    """,
                arguments: [urgentID, routineID, vehicle, String(decoding: record, as: UTF8.self), time])
        }
    }

    /// Forgets a diversion that has ended.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func deleteDiversion(urgentID: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM diversion WHERE urgentID = ?", arguments: [urgentID])
        }
    }

    /// The diversions under way, by urgent sortie id.
    /// - Throws: ``StoreError`` when they cannot be read.
    public func diversions() throws(StoreError) -> [StoredDiversion] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM diversion ORDER BY urgentID").map {
                StoredDiversion(
                    urgentID: $0["urgentID"], routineID: $0["routineID"], vehicle: $0["vehicle"],
                    record: Data(($0["record"] as String).utf8), updatedAt: $0["updatedAt"])
            }
        }
    }

    /// One kept sortie's request JSON and state (see ``saveSortieRequest(id:request:state:at:)``).
    /// - Throws: ``StoreError`` when it cannot be read.
    public func sortieRequest(id: String) throws(StoreError) -> (request: Data, state: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT request, state FROM sortieRequest WHERE id = ?", arguments: [id]).map {
                (request: Data(($0["request"] as String).utf8), state: $0["state"])
            }
        }
    }
}

extension PatrolStore {
    /// The highest number among the coordinator's command ids on record (`cmd-N`), 0 when none:
    /// a restarted coordinator numbers its commands on from there, so a new command never
    /// overwrites an earlier one's row (and its answer).
    /// - Throws: ``StoreError`` when it cannot be read.
    public func lastCommandNumber() throws(StoreError) -> Int {
        try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM command WHERE id LIKE 'cmd-%'")
                .compactMap { Int($0.dropFirst(4)) }.max() ?? 0
        }
    }
}
