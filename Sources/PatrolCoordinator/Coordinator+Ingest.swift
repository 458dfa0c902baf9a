import Logging
import PatrolAlerts
import PatrolLink
import PatrolModel
import PatrolStore

extension Coordinator {
    /// Takes in a device's detection in **one** transaction with the telemetry batch pending: the
    /// buffered telemetry rows, the observation, the incident it opened or joined, its transition
    /// and a new incident's first escalation deadline commit together (one commit, one `fsync` at
    /// `synchronous=FULL`, instead of one for the detection and one for the telemetry batch). The
    /// caller acknowledges only after this returns, that is after the commit; what it announces
    /// (events, escalation, the site's actions) also follows the commit.
    ///
    /// If that transaction fails, fusion is left as it was and the observation is tried alone (so
    /// a telemetry row the database refuses cannot hold detections back); if that fails too the
    /// error is thrown and nothing is acknowledged.
    func foldWithTelemetry(_ detection: Detection, from device: String, flightID: String?) throws {
        guard !telemetryBuffer.isEmpty else {
            try fold(detection, from: device, flightID: flightID)
            return
        }
        var fused = fusion
        let rows = telemetryBuffer
        let escalation = configuration.escalation
        let started = ContinuousClock.now
        let outcome: IntakeOutcome
        do {
            outcome = try store.transaction { transaction in
                try transaction.append(rows)
                return try ObservationIntake.take(
                    detection, deviceID: device, source: device, flightID: flightID, fusion: &fused,
                    store: transaction, escalation: escalation)
            }
        } catch {
            logger.error(
                "cannot store a detection with the pending telemetry; storing it alone",
                metadata: ["device.id": "\(device)", "store.error": "\(error)", "telemetry.buffered": "\(rows.count)"])
            try fold(detection, from: device, flightID: flightID)
            return
        }
        stats.flushLatency.observe(ContinuousClock.now - started)
        fusion = fused
        telemetryBuffer.removeAll(keepingCapacity: true)
        announce(outcome, from: device, flightID: flightID)
    }
}
