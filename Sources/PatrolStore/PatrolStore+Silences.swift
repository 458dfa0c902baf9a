public import Foundation
import GRDB
public import PatrolModel

struct SilenceRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "silence"
    var id: String
    var start: Date
    var end: Date
    var classes: [String]
    var places: [String]
    var sources: [String]
    var by: String
    var reason: String
    var createdAt: Date

    init(_ s: Silence, createdAt: Date) {
        id = s.id
        start = s.start
        end = s.end
        classes = s.classes.map(\.rawValue).sorted()
        places = s.places.sorted()
        sources = s.sources.sorted()
        by = s.by
        reason = s.reason
        self.createdAt = createdAt
    }

    var model: Silence {
        Silence(
            id: id, start: start, end: end, classes: Set(classes.compactMap(DetectionClass.init(rawValue:))),
            places: Set(places), sources: Set(sources), by: by, reason: reason)
    }
}

struct SuppressionRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alertSuppression"
    var id: Int64?
    var alertID: String
    var at: Date
    var cause: String
    var kind: String
    var until: Date
    var reason: String

    var model: AlertSuppression {
        AlertSuppression(alertID: alertID, at: at, cause: cause, kind: kind, until: until, reason: reason)
    }
}

extension PatrolStore {
    // MARK: Silences

    /// Stores a new silence.
    /// - Throws: ``StoreError`` when one with the same id exists or the database fails.
    public func add(_ silence: Silence, at time: Date) throws(StoreError) {
        let added = try write { db in
            if try SilenceRow.fetchOne(db, key: silence.id) != nil { return false }
            try SilenceRow(silence, createdAt: time).insert(db)
            return true
        }
        if !added { throw StoreError(message: "a silence `\(silence.id)` exists already", path: path) }
    }

    /// The stored silences, the latest ending first; only those in force at `time` when given.
    public func silences(activeAt time: Date? = nil) throws(StoreError) -> [Silence] {
        try read { db in
            var request = SilenceRow.order(Column("end").desc, Column("id"))
            if let time { request = request.filter(Column("start") <= time && Column("end") > time) }
            return try request.fetchAll(db).map(\.model)
        }
    }

    /// Ends a silence now (its `end` becomes `time` if it was later).
    /// - Returns: `false` when there is no such silence.
    public func endSilence(_ id: String, at time: Date) throws(StoreError) -> Bool {
        try write { db in
            guard var row = try SilenceRow.fetchOne(db, key: id) else { return false }
            if row.end > time {
                row.end = max(time, row.start)
                try row.update(db)
            }
            return true
        }
    }

    /// The number to give the next operator silence.
    public func nextSilenceNumber() throws(StoreError) -> Int {
        try read { try SilenceRow.fetchCount($0) + 1 }
    }

    // MARK: Held-back escalation steps

    /// Holds a pending deadline back until `due` and records why, in one transaction. The reason
    /// is recorded once per cause in a row, not at every postponement.
    ///
    /// - Returns: `false`, changing nothing, when the deadline is no longer pending as given.
    public func postpone(_ deadline: EscalationDeadline, to due: Date, because suppression: AlertSuppression)
        throws(StoreError) -> Bool
    {
        try write { db in
            guard var pending = try DeadlineRow.fetchOne(db, key: deadline.alertID),
                abs(pending.due.timeIntervalSince(deadline.due)) < 0.001,
                pending.levels == DeadlineRow(deadline).levels,
                pending.reminder == deadline.reminder
            else { return false }
            pending.due = due
            try pending.update(db)
            let last = try SuppressionRow.filter(Column("alertID") == deadline.alertID).order(Column("id").desc)
                .fetchOne(db)
            if last?.cause != suppression.cause {
                try SuppressionRow(
                    id: nil, alertID: suppression.alertID, at: suppression.at, cause: suppression.cause,
                    kind: suppression.kind, until: suppression.until, reason: suppression.reason
                ).insert(db)
            }
            return true
        }
    }

    /// Why an incident's escalation was held back, oldest first.
    public func suppressions(alertID: String) throws(StoreError) -> [AlertSuppression] {
        try read {
            try SuppressionRow.filter(Column("alertID") == alertID).order(Column("id")).fetchAll($0).map(\.model)
        }
    }
}
