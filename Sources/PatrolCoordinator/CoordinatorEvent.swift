public import Foundation
public import PatrolAlerts
public import PatrolGeo
public import PatrolModel

/// What the coordinator tells its observers (the CLI, tests, later the operator channel).
public enum CoordinatorEvent: Sendable {
    /// A device said hello and was welcomed.
    case deviceRegistered(device: String)
    /// A device accepted an uploaded mission with a matching checksum.
    case missionAccepted(flightID: String)
    /// A device refused a mission, or acknowledged it with a wrong checksum.
    case missionRefused(flightID: String, reason: String)
    /// A flight took off.
    case flightStarted(flightID: String)
    /// A new incident was opened.
    case alertOpened(Alert)
    /// A flight ended and its report was written.
    case flightEnded(Flight, report: [URL])
    /// Nothing, not even a heartbeat, came from a device for the heartbeat timeout: it is lost
    /// since `lostAt` (`lastHeard` plus the timeout). Recorded as a `link_lost` event.
    case deviceLost(device: String, flightID: String?, lastHeard: Date, lostAt: Date)
    /// A lost device spoke again (usually a new `hello`); its session and flight go on.
    case deviceResumed(device: String, flightID: String?)
    /// A device sent something invalid; it was told why and nothing was stored from it.
    case deviceError(device: String?, message: String)
    /// A rule sent `switch_actuator` to a device (e.g. a car-park fan on, for CO over threshold).
    case actuatorCommanded(device: String, actuator: String, on: Bool, commandID: String)
    /// A device answered a command (recorded with the command).
    case commandAnswered(device: String, commandID: String, accepted: Bool)
    /// A robot on a round reached one of its checkpoints (recorded with the round).
    case checkpointReached(flightID: String, checkpoint: String, at: Date)
    /// A robot was told to say `text` aloud (a gas warning).
    case speakCommanded(device: String, text: String, commandID: String)
    /// A flight's mission was sent to its device (`waypoints` long).
    case missionUploaded(flightID: String, device: String, waypoints: Int)
    /// An open incident was seen again: its sightings, confidence or sources changed.
    case alertUpdated(Alert)
    /// An incident became confirmed by independent sources (sent after its ``alertUpdated(_:)``).
    case alertConfirmed(Alert)
    /// A device reported a new event of a flight (`took_off`, `mission_complete`, `failsafe`, …),
    /// or the coordinator aborted one (`aborted`, when its start was refused).
    case flightEvent(flightID: String?, device: String, kind: String, detail: String?)
    /// One accepted telemetry report of a flight whose route has `waypoints` waypoints. Delivered
    /// only to event sinks (``Coordinator/addEventSink(_:)``), never on ``Coordinator/events``:
    /// there is one per report.
    case telemetry(device: String, flightID: String?, Telemetry, waypoints: Int)
    /// A sortie was launched, refused, cut short, paused, resumed or ended (see ``Coordinator/sorties()``).
    case sortieChanged(SortieStatus)
    /// A rule asks for a sortie to verify an incident (a smoke alarm); the sortie layer answers it.
    case verificationRequested(alertID: String, position: LonLat)
    /// A rule asks for a drone to stay over an incident (a confirmed fire).
    case overwatchRequested(alertID: String, position: LonLat)
    /// A rule notified a party (the fire service) of an incident; recorded as a notification.
    case partyNotified(alertID: String, party: String, contact: String)
    /// The applied day was re-planned on live events; queued sorties moved, dropped or added
    /// (each also as a ``sortieChanged(_:)``). See `Coordinator+LiveReplan.swift`.
    case dayReplanned(DayReplan)
}

/// The coordinator's settings.
public struct CoordinatorConfiguration: Sendable {
    /// Where flight reports are written after each flight; `nil` writes none.
    public var reportsDirectory: URL?
    /// Seconds between heartbeats devices must keep.
    public var heartbeatInterval: Double
    /// Telemetry messages per second asked of devices.
    public var telemetryRate: Double
    /// Telemetry rows buffered before one write transaction.
    public var telemetryBatch: Int
    /// Starts escalation of every incident fusion opens; `nil` escalates nothing.
    public var escalation: EscalationEngine?
    /// Seconds of silence (on the coordinator's clock) after which a device is lost: 3 heartbeat
    /// intervals, under the 5 s after which devices' own failsafes act.
    public var heartbeatTimeout: Double
    /// How often, in real time, silent devices are looked for between frames.
    public var livenessCheckInterval: Duration
    /// Thresholds, zone places and linked actions for fixed-sensor readings; empty raises nothing.
    public var sensorRules: SensorRules
    /// Seconds a device's clock may be off the coordinator's before its timestamps are corrected
    /// (moved onto the coordinator's clock by the estimated offset) and the device is logged.
    public var clockTolerance: Double = 2

    public init(
        reportsDirectory: URL? = nil, heartbeatInterval: Double = 1, telemetryRate: Double = 2,
        telemetryBatch: Int = 200, escalation: EscalationEngine? = nil, heartbeatTimeout: Double = 3,
        livenessCheckInterval: Duration = .milliseconds(50), sensorRules: SensorRules = SensorRules(thresholds: [:])
    ) {
        self.sensorRules = sensorRules
        self.reportsDirectory = reportsDirectory
        self.heartbeatInterval = heartbeatInterval
        self.telemetryRate = telemetryRate
        self.telemetryBatch = telemetryBatch
        self.escalation = escalation
        self.heartbeatTimeout = heartbeatTimeout
        self.livenessCheckInterval = livenessCheckInterval
    }
}
