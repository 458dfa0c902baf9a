import Foundation
import Logging
import PatrolAlerts
import PatrolLink
import PatrolModel
import PatrolStore

extension Coordinator {
    /// Runs the site's linked automatic actions (`actions.yaml`) for what an observation did: on a
    /// new incident and on an incident becoming confirmed. Each action is recorded with its reason,
    /// once per incident and target; failures are logged (the observation is already recorded).
    func runActions(after outcome: IntakeOutcome) {
        guard let policy = configuration.escalation?.rules, !policy.actions.rules.isEmpty else { return }
        let trigger: ActionTrigger
        let alert: Alert
        switch outcome {
        case .opened(let a):
            (trigger, alert) = (.opened, a)
        case .joined(let a, let newlyConfirmed) where newlyConfirmed:
            (trigger, alert) = (.confirmed, a)
        default:
            return
        }
        let robots = sessions.filter { $0.value.hello.kind == .robot }.map(\.key)
        let contacts = policy.map.parties.compactMapValues(\.contact)
        let planned = policy.actions.actions(
            trigger, alert: alert, placement: policy.placement(of: alert), robots: robots, contacts: contacts)
        for action in planned { take(action, alert: alert) }
    }

    func take(_ action: PlannedAction, alert: Alert) {
        let now = clock.now()
        let commandID = action.kind == .clearEvacuationRoutes ? nextCommandID() : nil
        let notification =
            action.kind == .notify
            ? AlertNotification(
                alertID: alert.id, level: "action", recipient: action.target, at: now, due: now, reminder: false)
            : nil
        do {
            let fresh = try store.record(
                RecordedAction(
                    alertID: alert.id, kind: action.kind.rawValue, target: action.target, detail: action.detail,
                    reason: action.reason, at: now, commandID: commandID),
                notification: notification)
            guard fresh else { return }
            switch action.kind {
            case .requestVerification:
                emit(.verificationRequested(alertID: alert.id, position: alert.position))
                requestAutomaticSortie(for: alert, overwatch: false)
            case .keepOverwatch:
                emit(.overwatchRequested(alertID: alert.id, position: alert.position))
                requestAutomaticSortie(for: alert, overwatch: true)
            case .clearEvacuationRoutes:
                guard let commandID else { return }
                try store.recordCommand(
                    id: commandID, deviceID: action.target, flightID: nil, action: Command.Action.speak.rawValue,
                    at: now)
                send(
                    .command(Command(id: commandID, action: .speak, flightID: nil, text: action.detail)),
                    to: action.target)
                // Then off the routes: a robot on a round goes back to its station (a docked one says
                // it has no round, and is already out of the way).
                let away = nextCommandID()
                try store.recordCommand(
                    id: away, deviceID: action.target, flightID: nil, action: Command.Action.returnToHive.rawValue,
                    at: now)
                send(.command(Command(id: away, action: .returnToHive, flightID: nil)), to: action.target)
            case .notify:
                emit(.partyNotified(alertID: alert.id, party: action.target, contact: action.detail))
            }
            logger.notice(
                "automatic action",
                metadata: [
                    "alert.id": "\(alert.id)", "action.kind": "\(action.kind.rawValue)",
                    "action.target": "\(action.target)", "action.reason": "\(action.reason)",
                ])
        } catch {
            logger.error(
                "cannot record an automatic action",
                metadata: [
                    "alert.id": "\(alert.id)", "action.kind": "\(action.kind.rawValue)", "store.error": "\(error)",
                ])
        }
    }
}
