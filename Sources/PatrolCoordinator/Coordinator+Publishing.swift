public import Foundation
import Logging
import PatrolGeo
public import PatrolLink
import PatrolModel
import PatrolPlanner
import Synchronization

/// An observer of every coordinator event, with the time on the coordinator's clock; called
/// synchronously on the coordinator, so it must only queue (never wait).
public typealias EventSink = @Sendable (CoordinatorEvent, Date) -> Void

extension Coordinator {
    /// Calls `sink` with every later event, telemetry included (see ``CoordinatorEvent/telemetry(device:flightID:_:waypoints:)``).
    public func addEventSink(_ sink: @escaping EventSink) { eventSinks.append(sink) }

    /// Publishes every later event on `publisher`, as `docs/events.md` describes: incidents (and
    /// the escalation engine's notifications and transitions), sorties and their progress,
    /// telemetry at most once per `telemetryInterval` seconds of clock time per device, devices.
    ///
    /// The coordinator never waits for the stream: publishing queues, and a subscriber that falls
    /// behind loses documents at the socket's high-water mark.
    public func publishEvents(to publisher: EventPublisher, telemetryInterval: TimeInterval = 0.5) {
        let bridge = EventBridge(publisher: publisher, telemetryInterval: telemetryInterval)
        addEventSink { event, time in bridge.publish(event, at: time) }
        configuration.escalation?.observers.add { change in bridge.publish(change) }
        addMetricsSource { out in bridge.metrics(into: &out) }
    }

    /// Builds the telemetry event for sinks (only called when there are some).
    func telemetryObserved(_ report: TelemetryReport, from device: String) {
        let waypoints = report.flightID.flatMap { flights[$0]?.plan.route.waypoints.count } ?? 0
        deliver(.telemetry(device: device, flightID: report.flightID, report.telemetry, waypoints: waypoints))
    }

    /// Counts, logs and hands `event` to the sinks.
    func deliver(_ event: CoordinatorEvent) {
        count(event)
        log(event)
        if case .alertOpened = event, let started = frameStarted {
            stats.incidentLatency.observe(ContinuousClock.now - started)
        }
        guard !eventSinks.isEmpty else { return }
        let now = clock.now()
        for sink in eventSinks { sink(event, now) }
    }

    /// One log line for the events whose source does not log them already: with the lines at the
    /// sources, every event gets exactly one structured line (device, flight, sortie, incident ids
    /// as metadata); `patrol serve` adds none of its own.
    private func log(_ event: CoordinatorEvent) {
        switch event {
        case .missionAccepted(let flightID):
            logger.info("mission accepted", metadata: ["flight.id": "\(flightID)"])
        case .missionRefused(let flightID, let reason):
            logger.warning("mission refused", metadata: ["flight.id": "\(flightID)", "flight.reason": "\(reason)"])
        case .flightStarted(let flightID):
            let device = flights[flightID]?.flight.deviceID ?? "unknown"
            logger.info("flight started", metadata: ["flight.id": "\(flightID)", "device.id": "\(device)"])
        case .flightEnded(let flight, _):
            logger.info(
                "flight ended",
                metadata: [
                    "flight.id": "\(flight.id)", "device.id": "\(flight.deviceID)",
                    "flight.status": "\(flight.status.rawValue)",
                ])
        case .commandAnswered(let device, let commandID, let accepted):
            logger.info(
                "command answered",
                metadata: ["device.id": "\(device)", "command.id": "\(commandID)", "command.accepted": "\(accepted)"])
        case .sortieChanged(let status):
            logger.info(
                "sortie changed",
                metadata: [
                    "sortie.id": "\(status.id)", "sortie.state": "\(status.state.rawValue)",
                    "device.id": "\(status.vehicle ?? "any")", "sortie.reason": "\(status.reason ?? "")",
                ])
        default:
            break
        }
    }
}

/// Turns coordinator events and escalation changes into event-stream documents; keeps what
/// rate limits and progress need per device and flight.
final class EventBridge: Sendable {
    private struct Track {
        var lastTelemetry: Date?
        var state: VehicleState?
        var waypoint: Int?
    }

    private let publisher: EventPublisher
    private let telemetryInterval: TimeInterval
    private let tracks = Mutex<[String: Track]>([:])
    private let counts = Mutex<[String: Int]>([:])

    init(publisher: EventPublisher, telemetryInterval: TimeInterval) {
        self.publisher = publisher
        self.telemetryInterval = telemetryInterval
    }

    private func send(_ topic: String, _ data: some Encodable, at time: Date) {
        counts.withLock { $0[topic.hasPrefix("telemetry.") ? "telemetry" : topic, default: 0] += 1 }
        publisher.publish(topic, data, time: time)
    }

    func publish(_ event: CoordinatorEvent, at time: Date) {
        switch event {
        case .deviceRegistered(let device):
            send("device.online", DeviceDoc(device: device), at: time)
        case .deviceLost(let device, let flightID, let lastHeard, let lostAt):
            send(
                "device.lost", DeviceDoc(device: device, flightID: flightID, lastHeard: lastHeard, lostAt: lostAt),
                at: time)
        case .deviceResumed(let device, let flightID):
            send("device.resumed", DeviceDoc(device: device, flightID: flightID), at: time)
        case .deviceError(let device, let message):
            send("device.error", DeviceDoc(device: device ?? "", message: message), at: time)
        case .actuatorCommanded(let device, let actuator, let on, let commandID):
            send(
                "device.actuator", ActuatorDoc(device: device, actuator: actuator, on: on, commandID: commandID),
                at: time)
        case .commandAnswered:
            break
        case .missionUploaded(let flightID, let device, let waypoints):
            tracks.withLock { $0[device] = Track() }
            send("sortie.uploaded", SortieDoc(flightID: flightID, device: device, waypoints: waypoints), at: time)
        case .missionAccepted(let flightID):
            send("sortie.accepted", SortieDoc(flightID: flightID), at: time)
        case .missionRefused(let flightID, let reason):
            send("sortie.aborted", SortieDoc(flightID: flightID, reason: reason), at: time)
        case .flightStarted(let flightID):
            send("sortie.started", SortieDoc(flightID: flightID), at: time)
        case .flightEvent(let flightID, let device, let kind, let detail):
            if kind == "landed" { return }  // `sortie.landed` comes with the flight's record
            let topic = kind == "aborted" ? "sortie.aborted" : "sortie.event"
            send(topic, SortieDoc(flightID: flightID ?? "", device: device, kind: kind, reason: detail), at: time)
        case .flightEnded(let flight, let report):
            send(
                flight.status == .aborted ? "sortie.aborted" : "sortie.landed",
                SortieDoc(
                    flightID: flight.id, device: flight.deviceID, status: flight.status.rawValue,
                    startedAt: flight.startedAt, endedAt: flight.endedAt, report: report.first?.path),
                at: time)
        case .telemetry(let device, let flightID, let t, let waypoints):
            telemetry(device: device, flightID: flightID, t, waypoints: waypoints, at: time)
        case .alertOpened(let alert):
            send("incident.opened", IncidentDoc(incident: alert), at: time)
            if let previous = alert.reopenedFrom {
                send("incident.linked", LinkDoc(incidentID: alert.id, previous: previous), at: time)
            }
        case .alertUpdated(let alert):
            send("incident.updated", IncidentDoc(incident: alert), at: time)
        case .alertConfirmed(let alert):
            send("incident.confirmed", IncidentDoc(incident: alert), at: time)
        case .sortieChanged(let status):
            send("sortie.state", SortieStateDoc(status), at: time)
        case .dayReplanned(let replan):
            send("schedule.replanned", ReplanDoc(replan), at: time)
        case .checkpointReached(let flightID, let checkpoint, _):
            send("sortie.checkpoint", SortieDoc(flightID: flightID, checkpoint: checkpoint), at: time)
        case .speakCommanded(let device, let text, let commandID):
            send("device.speak", SpeechDoc(device: device, text: text, commandID: commandID), at: time)
        case .verificationRequested(let alertID, let position):
            send(
                "incident.action",
                ActionDoc(incidentID: alertID, action: "request_verification", lon: position.lon, lat: position.lat),
                at: time)
        case .overwatchRequested(let alertID, let position):
            send(
                "incident.action",
                ActionDoc(incidentID: alertID, action: "keep_overwatch", lon: position.lon, lat: position.lat), at: time
            )
        case .partyNotified(let alertID, let party, let contact):
            send(
                "incident.action", ActionDoc(incidentID: alertID, action: "notify", party: party, contact: contact),
                at: time)
        }
    }

    /// Telemetry at most once per interval per device (a state change always goes out), and
    /// sortie progress, pauses and returns as they happen.
    private func telemetry(device: String, flightID: String?, _ t: Telemetry, waypoints: Int, at time: Date) {
        let (sendTelemetry, waypointChanged, previousState) = tracks.withLock { tracks in
            var track = tracks[device, default: Track()]
            let due = track.lastTelemetry.map { time.timeIntervalSince($0) >= telemetryInterval } ?? true
            let stateChanged = track.state != t.state
            let waypointChanged = track.waypoint != t.waypointIndex
            let previous = track.state
            if due || stateChanged { track.lastTelemetry = time }
            track.state = t.state
            track.waypoint = t.waypointIndex
            tracks[device] = track
            return (due || stateChanged, waypointChanged, previous)
        }
        if sendTelemetry {
            send(
                "telemetry.\(device)", TelemetryDoc(device: device, flightID: flightID, t, waypoints: waypoints),
                at: time)
        }
        guard let flightID else { return }
        if waypointChanged, waypoints > 0 {
            send(
                "sortie.progress",
                SortieDoc(
                    flightID: flightID, device: device, waypoints: waypoints, waypoint: t.waypointIndex,
                    progress: min(1, Double(t.waypointIndex) / Double(waypoints))), at: time)
        }
        guard previousState != t.state, let previousState else { return }
        let topic: String? =
            switch t.state {
            case .paused: "sortie.paused"
            case .returning: "sortie.returning"
            default: previousState == .paused ? "sortie.resumed" : nil
            }
        if let topic {
            send(topic, SortieDoc(flightID: flightID, device: device, state: t.state.rawValue), at: time)
        }
    }

    func publish(_ change: EscalationChange) {
        switch change {
        case .notified(let n):
            send(
                "incident.escalated",
                EscalationDoc(
                    incidentID: n.alertID, level: n.level, recipient: n.recipient, reminder: n.reminder, due: n.due),
                at: n.at)
        case .transition(let alert, let t):
            send(
                "incident.state",
                TransitionDoc(
                    incidentID: t.alertID, from: t.from?.rawValue, to: t.to.rawValue, actor: t.actor, reason: t.reason,
                    incident: IncidentDoc.Incident(alert)), at: t.at)
        }
    }

    func metrics(into out: inout MetricsText) {
        let stats = publisher.statistics
        out.single(
            "patrol_events_published_total", .counter, help: "Documents handed to the event stream's socket.",
            Double(stats.sent))
        out.single(
            "patrol_events_dropped_total", .counter,
            help: "Documents the event stream dropped before its socket (queue full or closed).", Double(stats.dropped))
        out.single(
            "patrol_events_queue", .gauge, help: "Documents waiting for the event stream's socket.",
            Double(stats.queued))
        let counts = counts.withLock { $0 }
        out.labelled(
            "patrol_events_total", .counter, help: "Documents published, by topic (telemetry topics together).",
            label: "topic", counts)
    }
}
