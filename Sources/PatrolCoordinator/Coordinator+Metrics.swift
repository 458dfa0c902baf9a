import Foundation
import PatrolAlerts
import PatrolLink
import PatrolModel
import PatrolStore

/// What the coordinator counts for `/metrics`: plain values on the actor, so the hot path takes
/// no lock; ``Coordinator/metricsText()`` copies them out when scraped.
struct CoordinatorStats {
    var messagesIn: [String: Int] = [:]
    var messagesOut: [String: Int] = [:]
    var refused: [String: Int] = [:]
    /// Frames whose `seq` skipped numbers in their session, and how many numbers were skipped.
    var sequenceGaps = 0
    var messagesMissing = 0
    var sorties: [String: Int] = [:]
    var events: [String: Int] = [:]
    /// Frame in → handled (stored, for what is stored before it is acknowledged), by message type.
    var frameLatency: [String: Histogram] = [:]
    /// Detection frame in → incident opened and handed to the event sinks (the stream).
    var incidentLatency = Histogram()
    /// One telemetry batch written to SQLite.
    var flushLatency = Histogram()
}

/// Adds samples of its own to a coordinator's `/metrics` text (the event stream's counters, an
/// escalation engine's), called on each scrape.
public typealias MetricsSource = @Sendable (inout MetricsText) -> Void

extension Coordinator {
    /// Notes the end of one frame's handling: its type and how long it took.
    func handled(_ frame: InboundFrame, since started: ContinuousClock.Instant) {
        frameStarted = nil
        let type: String
        switch frame.result {
        case .success(let envelope): type = envelope.message.type
        case .failure: type = "invalid"
        }
        stats.messagesIn[type, default: 0] += 1
        stats.frameLatency[type, default: Histogram()].observe(ContinuousClock.now - started)
    }

    /// Adds `source`'s samples to every scrape from now on.
    public func addMetricsSource(_ source: @escaping MetricsSource) { metricSources.append(source) }

    /// The coordinator's figures in Prometheus text format (see `docs/events.md#metrics`): devices,
    /// messages, incidents by state, sorties, queue depths and latencies.
    public func metricsText() -> String {
        var out = MetricsText()
        let online = sessions.keys.filter { !lostDevices.contains($0) }.count
        out.single("patrol_devices_online", .gauge, help: "Devices registered and not lost.", Double(online))
        out.single(
            "patrol_devices_lost", .gauge, help: "Devices lost and not heard from since.", Double(lostDevices.count))
        out.labelled(
            "patrol_messages_in_total", .counter, help: "Frames received from devices, by message type.", label: "type",
            stats.messagesIn)
        out.labelled(
            "patrol_messages_out_total", .counter, help: "Messages sent to devices, by message type.", label: "type",
            stats.messagesOut)
        out.labelled(
            "patrol_messages_refused_total", .counter, help: "Frames refused with an error reply, by error code.",
            label: "code", stats.refused)
        out.single(
            "patrol_link_sequence_gaps_total", .counter,
            help: "Frames whose seq skipped numbers in their session (messages lost on the way).",
            Double(stats.sequenceGaps))
        out.single(
            "patrol_link_messages_missing_total", .counter,
            help: "Sequence numbers skipped in all gaps: messages the devices sent that never arrived.",
            Double(stats.messagesMissing))
        let link = link.statistics
        out.single(
            "patrol_link_dropped_total", .counter, help: "Link messages dropped (queue full, closed).",
            Double(link.dropped))
        out.single(
            "patrol_link_unroutable_total", .counter, help: "Messages for devices not connected.",
            Double(link.unroutable))
        out.single(
            "patrol_link_bad_frames_total", .counter, help: "Frames that did not decode.", Double(link.badFrames))
        out.single(
            "patrol_link_outbound_queue", .gauge, help: "Messages the device link holds for libzmq.",
            Double(link.queued))
        out.single(
            "patrol_telemetry_buffer_rows", .gauge, help: "Telemetry rows waiting for their batch write.",
            Double(telemetryBuffer.count))
        out.single("patrol_flights_active", .gauge, help: "Flights planned, uploaded or flying.", Double(flights.count))
        var byState: [String: Int] = [:]
        if let alerts = try? store.alerts(states: Set(AlertState.allCases)) {
            for alert in alerts { byState[alert.state.rawValue, default: 0] += 1 }
        }
        out.labelled(
            "patrol_alerts", .gauge, help: "Incidents in the record, by state.", label: "state", byState,
            all: AlertState.allCases.map(\.rawValue))
        out.labelled(
            "patrol_sorties_total", .counter, help: "Sorties ended, by outcome (completed, aborted, refused).",
            label: "outcome", stats.sorties, all: ["completed", "aborted", "refused"])
        out.labelled(
            "patrol_replans_total", .counter,
            help: "Live re-plans of the applied day, by their first trigger (drone-lost, hive-weather, …).",
            label: "trigger", sortieBook.liveDay?.replans ?? [:])
        out.single(
            "patrol_escalations_fired_total", .counter, help: "Escalation notifications sent by this process.",
            Double(configuration.escalation?.observers.notified ?? 0))
        out.labelled(
            "patrol_coordinator_events_total", .counter, help: "Coordinator events, by kind.", label: "event",
            stats.events)
        out.family(
            "patrol_frame_handling_seconds", .histogram,
            help: "Frame in to handled (detections: stored before the acknowledgement), by message type.")
        for (type, h) in stats.frameLatency.sorted(by: { $0.key < $1.key }) {
            out.histogram("patrol_frame_handling_seconds", [("type", type)], h)
        }
        out.family(
            "patrol_incident_publish_seconds", .histogram,
            help: "Detection frame in to its new incident handed to the event stream.")
        out.histogram("patrol_incident_publish_seconds", [], stats.incidentLatency)
        out.family("patrol_telemetry_flush_seconds", .histogram, help: "One telemetry batch written to SQLite.")
        out.histogram("patrol_telemetry_flush_seconds", [], stats.flushLatency)
        for source in metricSources { source(&out) }
        return out.text
    }

    /// Counts an event for `/metrics` (sortie outcomes and events by kind).
    func count(_ event: CoordinatorEvent) {
        switch event {
        case .telemetry: return
        case .flightEnded(let flight, _): stats.sorties[flight.status.rawValue, default: 0] += 1
        case .missionRefused: stats.sorties["refused", default: 0] += 1
        case .flightEvent(_, _, "aborted", _): stats.sorties["aborted", default: 0] += 1
        default: break
        }
        stats.events[event.name, default: 0] += 1
    }
}

extension CoordinatorEvent {
    /// A short name of the case, for metrics and logs.
    public var name: String {
        switch self {
        case .deviceRegistered: "device_registered"
        case .missionAccepted: "mission_accepted"
        case .missionRefused: "mission_refused"
        case .flightStarted: "flight_started"
        case .alertOpened: "alert_opened"
        case .flightEnded: "flight_ended"
        case .deviceLost: "device_lost"
        case .deviceResumed: "device_resumed"
        case .deviceError: "device_error"
        case .actuatorCommanded: "actuator_commanded"
        case .commandAnswered: "command_answered"
        case .missionUploaded: "mission_uploaded"
        case .alertUpdated: "alert_updated"
        case .alertConfirmed: "alert_confirmed"
        case .flightEvent: "flight_event"
        case .telemetry: "telemetry"
        case .sortieChanged: "sortie_changed"
        case .checkpointReached: "checkpoint_reached"
        case .speakCommanded: "speak_commanded"
        case .verificationRequested: "verification_requested"
        case .overwatchRequested: "overwatch_requested"
        case .partyNotified: "party_notified"
        case .dayReplanned: "day_replanned"
        }
    }
}
