public import Foundation
import GRDB

extension PatrolStore {
    /// Keeps a requested sortie (its request as JSON, opaque to the store) with its state, so a
    /// restarted coordinator can queue again what was still waiting. Replaces an earlier row of
    /// the same id.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func saveSortieRequest(id: String, request: Data, state: String, at time: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO sortieRequest (id, request, state, updatedAt) VALUES (?, ?, ?, ?) \
                    ON CONFLICT(id) DO UPDATE SET request = excluded.request, state = excluded.state, \
                    updatedAt = excluded.updatedAt
                    """,
                arguments: [id, String(decoding: request, as: UTF8.self), state, time])
        }
    }

    /// Records a kept sortie's new state; a sortie that was never kept is left alone.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func updateSortieState(id: String, state: String, at time: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE sortieRequest SET state = ?, updatedAt = ? WHERE id = ?", arguments: [state, time, id])
        }
    }

    /// The kept sorties in `state`, oldest first: id and request JSON.
    /// - Throws: ``StoreError`` when they cannot be read.
    public func sortieRequests(state: String) throws(StoreError) -> [(id: String, request: Data)] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, request FROM sortieRequest WHERE state = ? ORDER BY rowid", arguments: [state]
            ).map { (id: $0["id"], request: Data(($0["request"] as String).utf8)) }
        }
    }
}
