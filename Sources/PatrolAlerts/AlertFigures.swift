public import Foundation
public import PatrolModel

/// One alert's record, as the figures need it.
public struct AlertHistory: Sendable {
    public var alert: Alert
    /// Its transitions, oldest first.
    public var transitions: [AlertTransition]
    /// The party that answered first (the outer loop), if escalation ever started.
    public var responsible: String?

    public init(alert: Alert, transitions: [AlertTransition], responsible: String?) {
        self.alert = alert
        self.transitions = transitions
        self.responsible = responsible
    }
}

/// The figures the first site's operators watch: how fast incidents are taken on and finished,
/// per class and per responsible party.
///
/// Time to acknowledge runs from the incident's opening to the first change that shows someone
/// took it on (acknowledged, in progress, resolved, false alarm or closed); time to close runs to
/// the first resolved, false alarm or closed. Only people take an incident on: changes Patrol
/// makes itself (``automaticActors``: a verification calling it a false alarm) close it but do not
/// count as acknowledging it. Medians, so one forgotten incident does not hide the usual case. Pure.
public struct AlertFigures: Hashable, Sendable {
    /// The figures of one group (a class, or a party).
    public struct Row: Hashable, Sendable, Codable {
        public var key: String
        public var alerts: Int
        public var acknowledged: Int
        /// Median seconds from opening to acknowledgement, over the acknowledged ones.
        public var medianToAcknowledge: TimeInterval?
        public var closed: Int
        /// Median seconds from opening to closing, over the closed ones.
        public var medianToClose: TimeInterval?
    }

    /// One row per detection class, by class name.
    public var byClass: [Row]
    /// One row per responsible party, by party id; `(none)` for alerts that never escalated.
    public var byParty: [Row]

    static let takenOn: Set<AlertState> = [.acknowledged, .inProgress, .resolved, .falseAlarm, .closed]
    static let done: Set<AlertState> = [.resolved, .falseAlarm, .closed]
    /// The actors of changes Patrol makes itself.
    public static let automaticActors: Set<String> = ["fusion", "escalation", "verification"]

    /// Computes the figures over `histories`; groups are sorted by key.
    public init(_ histories: [AlertHistory]) {
        byClass = Self.rows(histories) { $0.alert.kind.rawValue }
        byParty = Self.rows(histories) { $0.responsible ?? "(none)" }
    }

    static func rows(_ histories: [AlertHistory], key: (AlertHistory) -> String) -> [Row] {
        Dictionary(grouping: histories, by: key).map { key, group in
            let toAck = group.compactMap { delay($0, to: takenOn, byPeople: true) }
            let toClose = group.compactMap { delay($0, to: done) }
            return Row(
                key: key, alerts: group.count, acknowledged: toAck.count, medianToAcknowledge: median(toAck),
                closed: toClose.count, medianToClose: median(toClose))
        }.sorted { $0.key < $1.key }
    }

    /// Seconds from the opening to the first transition into one of `states`, if there is one.
    static func delay(_ history: AlertHistory, to states: Set<AlertState>, byPeople: Bool = false) -> TimeInterval? {
        let opened = history.transitions.first { $0.from == nil }?.at ?? history.alert.firstSeen
        return history.transitions.first {
            states.contains($0.to) && !(byPeople && automaticActors.contains($0.actor))
        }.map { max(0, $0.at.timeIntervalSince(opened)) }
    }

    static func median(_ values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
