import Foundation
public import Logging
public import PatrolAlerts
public import PatrolModel
public import PatrolStore

/// Drives incidents up the escalation ladder on persisted deadlines.
///
/// Every deadline lives in the store, so a new engine over the same database (after a restart)
/// continues where the old one stopped. The store fires each deadline in one transaction that
/// checks it is still pending, so two engines, or an engine and a CLI command, never send the
/// same notification twice. Time comes only from the injected clock.
public final class EscalationEngine: Sendable {
    /// Where deadlines, notifications and transitions are kept.
    public let store: PatrolStore
    /// The site, its responsibility map and its escalation ladder.
    public let rules: AlertPolicy
    /// The source of "now": deadlines fall due by this clock.
    public let clock: any PatrolClock
    let logger: Logger
    /// Who hears of each notification and transition (the event stream).
    public let observers = EscalationObservers()

    var policy: EscalationPolicy { rules.escalation }
    var map: ResponsibilityMap { rules.map }

    /// The actor recorded on transitions the engine makes itself.
    public static let actor = "escalation"

    /// - Parameters:
    ///   - store: where deadlines, notifications and transitions are kept.
    ///   - rules: the site's policy (``AlertPolicy/load(siteDirectory:)``).
    ///   - clock: the source of "now"; a `VirtualClock` in simulations and tests.
    public init(store: PatrolStore, rules: AlertPolicy, clock: any PatrolClock, logger: Logger) {
        self.store = store
        self.rules = rules
        self.clock = clock
        self.logger = logger
    }

    /// Starts escalation of a stored alert that nobody handles yet: the responsible party for its
    /// class and place is chosen, and the first step (every level for a severe class) fires at once.
    ///
    /// - Parameter placement: where the alert is; by default, found from its position on the site.
    /// - Returns: the notifications sent now.
    /// - Throws: ``StoreError`` when the database fails.
    @discardableResult
    public func start(_ alert: Alert, at placement: Placement? = nil) throws(StoreError) -> [AlertNotification] {
        let party = map.responsible(for: alert.kind, at: placement ?? rules.placement(of: alert))
        try store.schedule(policy.start(alertID: alert.id, kind: alert.kind, at: clock.now(), responsible: party.id))
        return try fireDue()
    }

    /// Fires every deadline due by now, soonest first, and schedules each one's successor.
    ///
    /// A deadline whose alert has meanwhile been handled is dropped without notifying anyone.
    /// - Returns: the notifications sent.
    /// - Throws: ``StoreError`` when the database fails; deadlines fired before the failure stay fired.
    @discardableResult
    public func fireDue() throws(StoreError) -> [AlertNotification] {
        var sent: [AlertNotification] = []
        let now = clock.now()
        while let deadline = try store.nextDeadline(), deadline.due <= now {
            guard let alert = try store.alert(deadline.alertID), AlertLifecycle.unhandled.contains(alert.state) else {
                _ = try store.fire(deadline, notifications: [], next: nil)
                continue
            }
            if try holdIfSuppressed(deadline, alert: alert, now: now) { continue }
            let notifications = policy.notifications(for: deadline, at: now)
            let next = policy.next(after: deadline, kind: alert.kind, now: now)
            guard try store.fire(deadline, notifications: notifications, next: next) else { continue }
            sent += notifications
            for n in notifications {
                logger.info(
                    "alert escalated",
                    metadata: [
                        "alert.id": "\(n.alertID)", "escalation.level": "\(n.level)",
                        "escalation.recipient": "\(n.recipient)",
                        "escalation.reminder": "\(n.reminder)",
                    ])
                observers.notify(.notified(n))
            }
            if !deadline.reminder, deadline.levels.contains(0), alert.state == .new || alert.state == .reopened {
                let recipient = policy.recipient(level: 0, responsible: deadline.responsible)
                _ = try? act(.dispatch, on: alert, by: Self.actor, reason: "sent to \(recipient)")
            }
        }
        return sent
    }

    /// Takes an operator's or a party's action on an alert and adjusts its escalation: acknowledging,
    /// starting work, resolving, a false alarm or closing cancels the deadline; reopening starts over.
    ///
    /// - Returns: the alert in its new state.
    /// - Throws: ``AlertCommandError`` when there is no such alert or someone changed it first,
    ///   ``LifecycleError`` when the action is impossible from its state, ``StoreError`` when the
    ///   database fails.
    @discardableResult
    public func act(_ action: AlertAction, alertID: String, by actor: String, reason: String = "") throws -> Alert {
        guard let alert = try store.alert(alertID) else {
            throw AlertCommandError(message: "no alert `\(alertID)`; `patrol alerts list` shows them")
        }
        let changed = try act(action, on: alert, by: actor, reason: reason)
        if action == .reopen { try fireDue() }
        return changed
    }

    @discardableResult
    func act(_ action: AlertAction, on alert: Alert, by actor: String, reason: String) throws -> Alert {
        let now = clock.now()
        let (changed, transition) = try AlertLifecycle.apply(action, to: alert, by: actor, at: now, reason: reason)
        let deadline: DeadlineChange
        if AlertLifecycle.unhandled.contains(changed.state) {
            deadline = action == .reopen ? .schedule(restart(changed, at: now)) : .keep
        } else {
            deadline = .cancel
        }
        guard try store.apply(changed, transition: transition, deadline: deadline) else {
            throw AlertCommandError(message: "\(alert.id) changed while this was being done; look again and retry")
        }
        logger.info(
            "alert state changed",
            metadata: [
                "alert.id": "\(alert.id)", "alert.state": "\(changed.state.rawValue)",
                "alert.actor": "\(transition.actor)",
            ])
        observers.notify(.transition(changed, transition))
        return changed
    }

    func restart(_ alert: Alert, at now: Date) -> EscalationDeadline {
        let party = map.responsible(for: alert.kind, at: rules.placement(of: alert))
        return policy.start(alertID: alert.id, kind: alert.kind, at: now, responsible: party.id)
    }
}

/// A command about an alert that cannot be carried out, with what to do instead.
public struct AlertCommandError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}

extension EscalationEngine {
    /// The first deadline of a new incident (due now): the responsible party for its class and
    /// place, and every level at once for a severe class. The coordinator stores it in the same
    /// transaction as the incident, then calls ``fireDue()``.
    public func firstDeadline(for alert: Alert, at placement: Placement? = nil) -> EscalationDeadline {
        let party = map.responsible(for: alert.kind, at: placement ?? rules.placement(of: alert))
        return policy.start(alertID: alert.id, kind: alert.kind, at: clock.now(), responsible: party.id)
    }
}
