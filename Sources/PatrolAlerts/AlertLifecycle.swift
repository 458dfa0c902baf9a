public import Foundation
public import PatrolModel

/// Something a person, a party or Patrol itself does to an incident.
public enum AlertAction: String, Hashable, Sendable, CaseIterable {
    /// Sent to the responsible party.
    case dispatch
    /// Someone has taken it on: escalation stops.
    case acknowledge
    /// Work on it has started.
    case start
    /// The problem is fixed.
    case resolve
    /// There was nothing there.
    case falseAlarm = "false_alarm"
    /// The record is finished.
    case close
    /// It is back: open it again and start escalation over.
    case reopen

    /// The state the action leads to.
    public var target: AlertState {
        switch self {
        case .dispatch: .dispatched
        case .acknowledge: .acknowledged
        case .start: .inProgress
        case .resolve: .resolved
        case .falseAlarm: .falseAlarm
        case .close: .closed
        case .reopen: .reopened
        }
    }

    /// The states the action may be taken from.
    public var allowedFrom: Set<AlertState> {
        switch self {
        case .dispatch: [.new, .reopened]
        case .acknowledge: [.new, .dispatched, .reopened]
        case .start: [.new, .dispatched, .acknowledged, .reopened]
        case .resolve: [.new, .dispatched, .acknowledged, .inProgress, .reopened]
        case .falseAlarm: [.new, .dispatched, .acknowledged, .inProgress, .reopened]
        case .close: [.resolved, .falseAlarm]
        case .reopen: [.resolved, .falseAlarm, .closed]
        }
    }
}

/// A transition the lifecycle refuses, with what to do instead.
public struct LifecycleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of refusal this is; codes can grow.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String { case impossible, missingActor }
        private let base: Base
        /// The action cannot be taken from the alert's state.
        public static let impossible = Code(base: .impossible)
        /// No one is named as taking the action.
        public static let missingActor = Code(base: .missingActor)
        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The alert the action was refused for.
    public var alertID: String
    /// What is wrong, and the actions that are possible instead.
    public var message: String

    public var description: String { "\(alertID): \(message)" }
}

/// The lifecycle of an incident: which actions are possible in which state.
///
/// ```
/// new ─dispatch─> dispatched ─acknowledge─> acknowledged ─start─> in_progress
///   ─resolve─> resolved ─close─> closed
/// any open state ─false_alarm─> false_alarm ─close─> closed
/// resolved, false_alarm, closed ─reopen─> reopened (then as new)
/// ```
/// Acknowledging, starting and resolving may skip earlier steps (a steward can fix a problem
/// before anyone dispatched it).
/// Pure: it returns the changed alert and the transition to record; the caller persists both.
public enum AlertLifecycle {
    /// States in which the incident still needs someone: escalation runs only in these.
    public static let unhandled: Set<AlertState> = [.new, .dispatched, .reopened]

    /// States in which the incident is finished with, or nearly so: no deadline may remain.
    public static let finished: Set<AlertState> = [.resolved, .falseAlarm, .closed]

    /// Applies `action` to `alert`.
    ///
    /// - Parameters:
    ///   - actor: who takes the action (a person, a party id, or a component); must not be empty.
    ///   - reason: why, as the operator put it; a default naming the action when empty.
    /// - Returns: the alert in its new state and the transition to record.
    /// - Throws: ``LifecycleError`` with code ``LifecycleError/Code/impossible`` when the action is not
    ///   allowed from the alert's state, and ``LifecycleError/Code/missingActor`` when `actor` is empty.
    public static func apply(
        _ action: AlertAction, to alert: Alert, by actor: String, at time: Date, reason: String = ""
    ) throws(LifecycleError) -> (alert: Alert, transition: AlertTransition) {
        let who = actor.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else {
            throw LifecycleError(code: .missingActor, alertID: alert.id, message: "say who takes the action (--by WHO)")
        }
        guard action.allowedFrom.contains(alert.state) else {
            let possible = AlertAction.allCases.filter { $0.allowedFrom.contains(alert.state) }.map(\.rawValue)
            let hint = possible.isEmpty ? "nothing can be done" : "possible: \(possible.joined(separator: ", "))"
            throw LifecycleError(
                code: .impossible, alertID: alert.id,
                message: "cannot \(action.rawValue.replacingOccurrences(of: "_", with: " ")) an alert that is "
                    + "\(alert.state.rawValue); \(hint)")
        }
        var changed = alert
        changed.state = action.target
        let why = reason.isEmpty ? action.rawValue.replacingOccurrences(of: "_", with: " ") : reason
        let transition = AlertTransition(
            alertID: alert.id, from: alert.state, to: action.target, at: time, actor: who, reason: why)
        return (changed, transition)
    }

    /// The actions possible from `state`, in lifecycle order.
    public static func actions(from state: AlertState) -> [AlertAction] {
        AlertAction.allCases.filter { $0.allowedFrom.contains(state) }
    }
}
