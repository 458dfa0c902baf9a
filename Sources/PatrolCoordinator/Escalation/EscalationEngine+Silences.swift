public import Foundation
import Logging
public import PatrolAlerts
public import PatrolModel
public import PatrolStore

extension EscalationEngine {
    /// The silences in force at `time` (the site's file and the operators' stored ones) and the
    /// inhibition rules.
    public func silencePolicy(at time: Date) throws(StoreError) -> SilencePolicy {
        SilencePolicy(
            silences: rules.silences.silences.filter { $0.isActive(at: time) } + (try store.silences(activeAt: time)),
            inhibitions: rules.silences.inhibitions)
    }

    /// Why `alert` must notify nobody now, if it must not.
    public func suppression(of alert: Alert, at time: Date) throws(StoreError) -> Suppression? {
        let policy = try silencePolicy(at: time)
        var open: [(Alert, Placement)] = []
        if policy.inhibitions.contains(where: { $0.mutes.contains(alert.kind) }) {
            open = try store.alerts(states: Set(AlertState.allCases).subtracting(AlertLifecycle.finished))
                .map { ($0, rules.placement(of: $0)) }
        }
        return policy.suppression(of: alert, at: rules.placement(of: alert), time: time, open: open)
    }

    /// Holds a due deadline back when a silence or an inhibition covers its incident: until the
    /// silence ends, or (inhibited) until the next reminder, when it is asked again. Nothing is
    /// notified; the reason is recorded.
    ///
    /// - Returns: whether it was held back.
    func holdIfSuppressed(_ deadline: EscalationDeadline, alert: Alert, now: Date) throws(StoreError) -> Bool {
        guard let suppression = try suppression(of: alert, at: now) else { return false }
        let until: Date
        let cause: String
        let kind: String
        switch suppression {
        case .silenced(let silence):
            until = silence.end
            cause = silence.id
            kind = "silence"
        case .inhibited(let by, _):
            until = now.addingTimeInterval(
                policy.severe.contains(alert.kind) ? policy.severeRemindEvery : policy.remindEvery)
            cause = by
            kind = "inhibition"
        }
        let record = AlertSuppression(
            alertID: alert.id, at: now, cause: cause, kind: kind, until: until, reason: suppression.reason)
        if try store.postpone(deadline, to: until, because: record) {
            logger.info(
                "escalation held back",
                metadata: ["alert.id": "\(alert.id)", "suppression.cause": "\(cause)", "suppression.kind": "\(kind)"])
        }
        return true
    }
}
