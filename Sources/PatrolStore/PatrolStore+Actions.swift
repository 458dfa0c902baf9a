public import Foundation
import GRDB
public import PatrolModel

/// An automatic action as recorded: what, on what, why, when, and the command it sent if any.
public struct RecordedAction: Hashable, Sendable {
    public var alertID: String
    public var kind: String
    public var target: String
    public var detail: String
    public var reason: String
    public var at: Date
    public var commandID: String?

    public init(
        alertID: String, kind: String, target: String, detail: String, reason: String, at: Date,
        commandID: String? = nil
    ) {
        self.alertID = alertID
        self.kind = kind
        self.target = target
        self.detail = detail
        self.reason = reason
        self.at = at
        self.commandID = commandID
    }
}

struct ActionRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alertAction"
    var id: Int64?
    var alertID: String
    var kind: String
    var target: String
    var detail: String
    var reason: String
    var at: Date
    var commandID: String?

    var model: RecordedAction {
        RecordedAction(
            alertID: alertID, kind: kind, target: target, detail: detail, reason: reason, at: at, commandID: commandID)
    }
}

extension PatrolStore {
    /// Records an automatic action once per incident, kind and target, with the notification it
    /// makes (if any), in one transaction.
    ///
    /// - Returns: `false`, changing nothing, when it was taken before (a restart, a second sighting).
    @discardableResult
    public func record(_ action: RecordedAction, notification: AlertNotification? = nil) throws(StoreError) -> Bool {
        try write { db in
            let exists =
                try ActionRow.filter(
                    Column("alertID") == action.alertID && Column("kind") == action.kind
                        && Column("target") == action.target
                ).fetchCount(db) > 0
            if exists { return false }
            try ActionRow(
                id: nil, alertID: action.alertID, kind: action.kind, target: action.target, detail: action.detail,
                reason: action.reason, at: action.at, commandID: action.commandID
            ).insert(db)
            if let notification { try NotificationRow(notification).insert(db) }
            return true
        }
    }

    /// The automatic actions taken for an incident, in order.
    public func actions(alertID: String) throws(StoreError) -> [RecordedAction] {
        try read { try ActionRow.filter(Column("alertID") == alertID).order(Column("id")).fetchAll($0).map(\.model) }
    }
}
