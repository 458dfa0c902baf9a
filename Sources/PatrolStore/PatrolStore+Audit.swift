public import Foundation
import GRDB

/// One operator command as the audit log keeps it: who (from the operator's key), with which role,
/// when, what they asked and what came of it.
public struct AuditEntry: Hashable, Sendable, Codable {
    public var time: Date
    public var operatorName: String
    public var role: String
    public var command: String
    /// The request's arguments, as sent.
    public var args: [String: String]
    /// `ok` or `refused`.
    public var outcome: String
    /// The refusal's reason, or what was done.
    public var detail: String?

    public init(
        time: Date, operatorName: String, role: String, command: String, args: [String: String], outcome: String,
        detail: String?
    ) {
        self.time = time
        self.operatorName = operatorName
        self.role = role
        self.command = command
        self.args = args
        self.outcome = outcome
        self.detail = detail
    }
}

extension PatrolStore {
    /// Appends one entry to the audit log.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func audit(_ entry: AuditEntry) throws(StoreError) {
        let args = String(decoding: (try? JSONEncoder.sorted.encode(entry.args)) ?? Data("{}".utf8), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit (time, operator, role, command, args, outcome, detail) \
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    StorageDate.text(entry.time), entry.operatorName, entry.role, entry.command, args, entry.outcome,
                    entry.detail,
                ])
        }
    }

    /// The audit log, oldest first (the last `limit` entries when given).
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func auditLog(limit: Int? = nil) throws(StoreError) -> [AuditEntry] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT time, operator, role, command, args, outcome, detail, id FROM audit \
                    ORDER BY id DESC LIMIT ?) ORDER BY id
                    """,
                arguments: [limit ?? -1])
            return rows.map { row in
                let argsText: String = row["args"]
                let args = (try? JSONDecoder().decode([String: String].self, from: Data(argsText.utf8))) ?? [:]
                return AuditEntry(
                    time: row["time"], operatorName: row["operator"], role: row["role"], command: row["command"],
                    args: args, outcome: row["outcome"], detail: row["detail"])
            }
        }
    }
}

extension JSONEncoder {
    fileprivate static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
