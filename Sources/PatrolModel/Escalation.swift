public import Foundation

/// One change of an alert's state: from what, to what, when, by whom and why.
public struct AlertTransition: Hashable, Sendable, Codable {
    public var alertID: String
    /// The state before; `nil` when the alert was opened.
    public var from: AlertState?
    public var to: AlertState
    public var at: Date
    /// Who made the change: a person or party id, or a component such as `fusion`.
    public var actor: String
    public var reason: String

    public init(alertID: String, from: AlertState?, to: AlertState, at: Date, actor: String, reason: String) {
        self.alertID = alertID
        self.from = from
        self.to = to
        self.at = at
        self.actor = actor
        self.reason = reason
    }
}

/// A persisted escalation timer: the next time an incident must be pushed to someone.
///
/// An incident has at most one pending deadline. Firing it records notifications and schedules
/// the next one; acknowledging, resolving or closing the incident deletes it.
public struct EscalationDeadline: Hashable, Sendable, Codable {
    public var alertID: String
    /// When the deadline falls due.
    public var due: Date
    /// When escalation (re)started for the incident: the origin of every later step.
    public var startedAt: Date
    /// The indices of the policy's levels to notify when it fires.
    public var levels: [Int]
    /// Whether this is a repeat reminder rather than a first notice to a level.
    public var reminder: Bool
    /// The party responsible for the incident (the outer loop), chosen when escalation started.
    public var responsible: String

    public init(alertID: String, due: Date, startedAt: Date, levels: [Int], reminder: Bool, responsible: String) {
        self.alertID = alertID
        self.due = due
        self.startedAt = startedAt
        self.levels = levels
        self.reminder = reminder
        self.responsible = responsible
    }
}

/// A record that someone was told about an incident.
public struct AlertNotification: Hashable, Sendable, Codable {
    public var alertID: String
    /// The escalation level's name, such as `outer_loop` or `community_office`.
    public var level: String
    /// The party notified (an id from the responsibility map or the escalation policy).
    public var recipient: String
    /// When the notification was sent (the clock's time when the deadline fired).
    public var at: Date
    /// When it was due: earlier than ``at`` when the engine caught up after a pause.
    public var due: Date
    /// Whether it repeats an earlier notice to the same level.
    public var reminder: Bool

    public init(alertID: String, level: String, recipient: String, at: Date, due: Date, reminder: Bool) {
        self.alertID = alertID
        self.level = level
        self.recipient = recipient
        self.at = at
        self.due = due
        self.reminder = reminder
    }
}
