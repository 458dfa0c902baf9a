import Foundation
public import PatrolAlerts
public import PatrolModel
public import PatrolStore

/// What taking in one observation did.
public enum IntakeOutcome: Sendable {
    /// The same device sent it before: nothing changed.
    case duplicate
    /// It opened this incident (stored with its first escalation deadline).
    case opened(Alert)
    /// It joined this incident; `newlyConfirmed` when it made it confirmed (a second source).
    case joined(Alert, newlyConfirmed: Bool)
    /// A verification found nothing there: the incident lost certainty, and became a false
    /// alarm when its confidence fell below ``ObservationIntake/falseAlarmBelow``.
    case refuted(Alert, falseAlarm: Bool)
    /// Fusion ignored it (too unsure, or a verification that reaches no incident); it is recorded all the same.
    case ignored
}

/// One observation into the record: fusion against the incidents' current state, then the
/// observation, its incident (with its transition) and a new incident's first escalation deadline
/// in one transaction. The coordinator takes devices' observations so before acknowledging them;
/// `patrol alerts report` takes residents' and stewards' reports so.
public enum ObservationIntake {
    /// A verification that leaves an open incident's confidence below this makes it a false alarm.
    public static let falseAlarmBelow = 0.2

    /// - Parameters:
    ///   - source: the independent source for fusion (a gateway's single sensor, a steward).
    ///   - store: the store (each read and the write their own transaction) or a transaction that is
    ///     open (the coordinator's, which also holds the pending telemetry batch).
    ///   - escalation: the engine whose first deadline a new incident gets; `nil` escalates nothing.
    /// - Throws: ``StoreError`` when the database fails (nothing of it is stored then).
    public static func take(
        _ detection: Detection, deviceID: String, source: String, flightID: String?, fusion: inout AlertFusion,
        store: some ObservationRecord, escalation: EscalationEngine?
    ) throws(StoreError) -> IntakeOutcome {
        guard !(try store.hasDetection(deviceID: deviceID, detectionID: detection.id)) else { return .duplicate }
        // Operators resolve incidents from the CLI in another process: the record, not fusion's
        // copy, says whether an incident nearby is still open to join.
        for id in fusion.nearby(detection) {
            if let stored = try store.alert(id) { fusion.sync(stored) }
        }
        if detection.verified == false {
            return try refute(
                detection, deviceID: deviceID, source: source, flightID: flightID, fusion: &fusion, store: store)
        }
        switch fusion.fold(detection, source: source, flightID: flightID) {
        case .opened(let alert):
            try store.recordObservation(
                detection, deviceID: deviceID, flightID: flightID,
                incident: IncidentChange(
                    alert: alert, actor: "fusion",
                    reason: "opened by \(source)" + (alert.reopenedFrom.map { ", re-ignition of \($0)" } ?? ""),
                    at: detection.time, deadline: escalation?.firstDeadline(for: alert)))
            return .opened(alert)
        case .updated(var alert):
            // Fusion owns the sighting figures, not the lifecycle: keep the state people and escalation set.
            let stored = try store.alert(alert.id)
            if let stored { alert.state = stored.state }
            try store.recordObservation(
                detection, deviceID: deviceID, flightID: flightID,
                incident: IncidentChange(
                    alert: alert, actor: "fusion", reason: "seen again by \(source)", at: detection.time))
            return .joined(alert, newlyConfirmed: alert.confirmed && stored?.confirmed == false)
        case .ignored:
            try store.recordObservation(detection, deviceID: deviceID, flightID: flightID, incident: nil)
            return .ignored
        }
    }

    static func refute(
        _ detection: Detection, deviceID: String, source: String, flightID: String?, fusion: inout AlertFusion,
        store: some ObservationRecord
    ) throws(StoreError) -> IntakeOutcome {
        guard var alert = fusion.refute(detection, source: source) else {
            try store.recordObservation(detection, deviceID: deviceID, flightID: flightID, incident: nil)
            return .ignored
        }
        if let stored = try store.alert(alert.id) { alert.state = stored.state }
        let falseAlarm = alert.confidence < falseAlarmBelow && !AlertFusion.endedStates.contains(alert.state)
        let reason = String(
            format: "verified absent by %@: confidence now %.2f", source, alert.confidence)
        if falseAlarm { alert.state = .falseAlarm }
        try store.recordObservation(
            detection, deviceID: deviceID, flightID: flightID,
            incident: IncidentChange(
                alert: alert, actor: "verification", reason: reason, at: detection.time, endsEscalation: falseAlarm))
        if falseAlarm { fusion.sync(alert) }
        return .refuted(alert, falseAlarm: falseAlarm)
    }
}
