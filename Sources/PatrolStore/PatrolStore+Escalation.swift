import Foundation
import GRDB
public import PatrolModel

/// What a change of state does to an incident's escalation deadline.
public enum DeadlineChange: Hashable, Sendable {
    /// Leave it as it is.
    case keep
    /// Delete it: nobody is to be reminded any more.
    case cancel
    /// Replace it with this one (escalation starts over, as after a reopen).
    case schedule(EscalationDeadline)
}

extension PatrolStore {
    // MARK: Lifecycle

    /// The alert with `id`, if there is one.
    public func alert(_ id: String) throws(StoreError) -> Alert? {
        try read { try AlertRow.fetchOne($0, key: id)?.model }
    }

    /// Records a change of state in one transaction: the alert, its transition, and what happens
    /// to its escalation deadline.
    ///
    /// - Returns: `false`, changing nothing, when the stored alert is no longer in
    ///   `transition.from` (someone else changed it first), so the caller re-reads and decides again.
    /// - Throws: ``StoreError`` when the database fails.
    public func apply(_ alert: Alert, transition: AlertTransition, deadline: DeadlineChange = .keep) throws(StoreError)
        -> Bool
    {
        try write { db in
            let stored = try AlertRow.fetchOne(db, key: alert.id)
            guard stored?.state == transition.from?.rawValue else { return false }
            try AlertRow(alert).save(db)
            try AlertTransitionRow(
                id: nil, alertID: alert.id, fromState: transition.from?.rawValue, toState: transition.to.rawValue,
                at: transition.at,
                actor: transition.actor, reason: transition.reason
            ).insert(db)
            switch deadline {
            case .keep: break
            case .cancel: try DeadlineRow.deleteOne(db, key: alert.id)
            case .schedule(let next): try DeadlineRow(next).save(db)
            }
            return true
        }
    }

    /// An alert's transitions, oldest first, as model values.
    public func alertTransitions(alertID: String) throws(StoreError) -> [AlertTransition] {
        try read { db in
            try AlertTransitionRow.filter(Column("alertID") == alertID).order(Column("id")).fetchAll(db).map(Self.model)
        }
    }

    /// Every alert's transitions, oldest first, by alert id (for figures over many alerts).
    public func alertTransitionsByAlert() throws(StoreError) -> [String: [AlertTransition]] {
        try read { db in
            let rows = try AlertTransitionRow.order(Column("id")).fetchAll(db)
            return Dictionary(grouping: rows.map(Self.model), by: \.alertID)
        }
    }

    static func model(_ row: AlertTransitionRow) -> AlertTransition {
        AlertTransition(
            alertID: row.alertID, from: row.fromState.flatMap(AlertState.init(rawValue:)),
            to: AlertState(rawValue: row.toState) ?? .new, at: row.at, actor: row.actor, reason: row.reason)
    }

    // MARK: Escalation deadlines

    /// Starts (or restarts) escalation of an alert: its pending deadline becomes `deadline`.
    public func schedule(_ deadline: EscalationDeadline) throws(StoreError) {
        try write { try DeadlineRow(deadline).save($0) }
    }

    /// Every pending deadline, the soonest first.
    public func deadlines() throws(StoreError) -> [EscalationDeadline] {
        try read { try DeadlineRow.order(Column("due"), Column("alertID")).fetchAll($0).map(\.model) }
    }

    /// The pending deadline of one alert, if any.
    public func deadline(alertID: String) throws(StoreError) -> EscalationDeadline? {
        try read { try DeadlineRow.fetchOne($0, key: alertID)?.model }
    }

    /// The soonest pending deadline, if any.
    public func nextDeadline() throws(StoreError) -> EscalationDeadline? {
        try read { try DeadlineRow.order(Column("due"), Column("alertID")).fetchOne($0)?.model }
    }

    /// Fires a deadline in one transaction: records its notifications and replaces it with `next`
    /// (or deletes it when `next` is `nil`).
    ///
    /// - Returns: `false`, changing nothing, when the deadline is no longer pending as given (it was
    ///   fired, cancelled or replaced meanwhile), so a deadline never fires twice.
    /// - Throws: ``StoreError`` when the database fails.
    public func fire(_ deadline: EscalationDeadline, notifications: [AlertNotification], next: EscalationDeadline?)
        throws(StoreError) -> Bool
    {
        try write { db in
            guard let pending = try DeadlineRow.fetchOne(db, key: deadline.alertID)?.model,
                abs(pending.due.timeIntervalSince(deadline.due)) < 0.001, pending.levels == deadline.levels,
                pending.reminder == deadline.reminder
            else { return false }
            for notification in notifications { try NotificationRow(notification).insert(db) }
            if let next { try DeadlineRow(next).save(db) } else { try DeadlineRow.deleteOne(db, key: deadline.alertID) }
            return true
        }
    }

    /// The first recipient of a level for every alert that reached it, by alert id: for the
    /// outer loop, the party that answered first.
    public func firstRecipients(level: String) throws(StoreError) -> [String: String] {
        try read { db in
            let rows = try NotificationRow.filter(Column("level") == level).order(Column("id")).fetchAll(db)
            return rows.reduce(into: [:]) { first, row in first[row.alertID] = first[row.alertID] ?? row.recipient }
        }
    }

    /// The notifications sent about an alert, in the order sent.
    public func notifications(alertID: String) throws(StoreError) -> [AlertNotification] {
        try read {
            try NotificationRow.filter(Column("alertID") == alertID).order(Column("id")).fetchAll($0).map(\.model)
        }
    }
}
