import Foundation
import Logging
import PatrolAlerts
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolReports
import PatrolStore

extension Coordinator {
    func handle(_ frame: InboundFrame) {
        let started = ContinuousClock.now
        frameStarted = started
        defer { handled(frame, since: started) }
        let envelope: Envelope
        switch frame.result {
        case .failure(let error):
            let code = error.code == .unauthenticated ? "unauthenticated" : "bad_frame"
            let device = error.device ?? devicesByPeer[frame.peer]
            refuse(frame.peer, device: device, code: code, error.message, sequence: error.sequence)
            return
        case .success(let e): envelope = e
        }
        if case .hello(let hello) = envelope.message {
            register(envelope, hello: hello, peer: frame.peer)
            if devicesByPeer[frame.peer] == envelope.device { _ = onCoordinatorClock(envelope, from: envelope.device) }
            return
        }
        guard let device = devicesByPeer[frame.peer], device == envelope.device else {
            refuse(
                frame.peer, device: envelope.device, code: "not_registered", "say hello before anything else",
                sequence: envelope.sequence)
            return
        }
        guard admitSequence(envelope, from: device, peer: frame.peer) else { return }
        heard(from: device)
        defer { runSorties() }
        do {
            try dispatch(onCoordinatorClock(envelope, from: device), from: device)
        } catch let error as StoreError {
            // The message was not recorded: do not acknowledge it, so the device sends it again.
            logger.error("store failed", metadata: ["device.id": "\(device)", "store.error": "\(error)"])
        } catch {
            refuse(frame.peer, device: device, code: "bad_value", "\(error)", sequence: envelope.sequence)
        }
    }

    func register(_ envelope: Envelope, hello: Hello, peer: PeerID) {
        guard hello.protocolVersion == wireProtocolVersion else {
            refuse(
                peer, device: envelope.device, code: "unsupported_version",
                "this coordinator speaks protocol \(wireProtocolVersion)", sequence: envelope.sequence)
            return
        }
        guard !envelope.device.isEmpty, envelope.device.count <= 64 else {
            refuse(
                peer, device: nil, code: "bad_value", "a device id is 1 to 64 characters", sequence: envelope.sequence)
            return
        }
        if let old = sessions[envelope.device]?.peer, old != peer { devicesByPeer[old] = nil }
        sessions[envelope.device] = Session(peer: peer, hello: hello)
        lastSequence[envelope.device] = envelope.sequence
        devicesByPeer[peer] = envelope.device
        send(
            .welcome(
                Welcome(
                    session: "\(envelope.device)-\(envelope.sequence)",
                    heartbeatInterval: configuration.heartbeatInterval,
                    telemetryRate: configuration.telemetryRate)), to: envelope.device)
        logger.info(
            "device registered", metadata: ["device.id": "\(envelope.device)", "device.kind": "\(hello.kind.rawValue)"])
        emit(.deviceRegistered(device: envelope.device))
        heard(from: envelope.device)
        if let flightID = pendingLaunches[envelope.device] { upload(flightID: flightID) }
    }

    func dispatch(_ envelope: Envelope, from device: String) throws {
        switch envelope.message {
        case .heartbeat:
            // Echoed, so devices measure the link and know the coordinator is alive (and, in
            // simulations, know that everything they sent before has been handled).
            send(.heartbeat, to: device)
        case .telemetry(let report):
            try Validate.telemetry(report.telemetry)
            telemetryBuffer.append(
                TelemetrySample(
                    flightID: report.flightID, deviceID: device, sequence: envelope.sequence,
                    telemetry: report.telemetry))
            if !eventSinks.isEmpty { telemetryObserved(report, from: device) }
            sortieTelemetry(
                TelemetryReportView(
                    device: device, flightID: report.flightID, waypointIndex: report.telemetry.waypointIndex,
                    battery: report.telemetry.battery, state: report.telemetry.state, time: envelope.time,
                    position: report.telemetry.position, altitude: report.telemetry.altitude))
            if telemetryBuffer.count >= configuration.telemetryBatch { flush() }
            try roundProgress(report, from: device)
        case .detection(let report):
            try Validate.detection(report.detection)
            try detected(report, from: device)
        case .missionAck(let ack):
            try missionAcknowledged(ack, from: device)
        case .commandAck(let ack):
            try store.recordCommandAnswer(
                id: ack.commandID, accepted: ack.accepted, reason: ack.reason, at: clock.now())
            answered(ack)
            emit(.commandAnswered(device: device, commandID: ack.commandID, accepted: ack.accepted))
            if let flightID = flights.first(where: { $0.value.startCommand == ack.commandID })?.key,
                var active = flights[flightID]
            {
                active.flight.status = ack.accepted ? .flying : .aborted
                active.flight.startedAt = envelope.time
                flights[flightID] = active
                try store.save(active.flight)
                if ack.accepted {
                    emit(.flightStarted(flightID: flightID))
                } else {
                    emit(.flightEvent(flightID: flightID, device: device, kind: "aborted", detail: ack.reason))
                    startRefused(active, reason: ack.reason, at: envelope.time)
                }
            }
        case .event(let event):
            try deviceEvent(event, at: envelope.time, from: device)
        case .error(let report):
            logger.warning(
                "device reported an error",
                metadata: [
                    "device.id": "\(device)", "wire.code": "\(report.code)", "wire.message": "\(report.message)",
                ])
        case .sensorReadings(let batch):
            try readings(batch, from: device)
        case .hiveStatus(let status):
            try Validate.hiveStatus(status)
            try hiveStatus(status, at: envelope.time, from: device)
            sortieHiveStatus(status, at: envelope.time, from: device)
            checkHiveFaults(status, at: envelope.time, from: device)
        case .hello, .welcome, .missionUpload, .command, .detectionAck, .eventAck, .readingsAck:
            throw Validate.Problem("`\(envelope.message.type)` is not sent by devices")
        }
    }

    func missionAcknowledged(_ ack: MissionAck, from device: String) throws {
        guard var active = flights[ack.flightID], active.flight.deviceID == device else {
            throw Validate.Problem("no flight `\(ack.flightID)` for this device")
        }
        let expected = RouteChecksum.of(active.plan.route)
        guard ack.accepted, ack.checksum == expected else {
            let reason = ack.accepted ? "checksum \(ack.checksum) does not match \(expected)" : ack.reason ?? "refused"
            active.flight.status = .aborted
            flights[ack.flightID] = active
            try store.save(active.flight)
            emit(.missionRefused(flightID: ack.flightID, reason: reason))
            return
        }
        active.flight.status = .uploaded
        let command = nextCommandID()
        active.startCommand = command
        flights[ack.flightID] = active
        try store.save(active.flight)
        emit(.missionAccepted(flightID: ack.flightID))
        try store.recordCommand(
            id: command, deviceID: device, flightID: ack.flightID, action: Command.Action.start.rawValue,
            at: clock.now())
        send(.command(Command(id: command, action: .start, flightID: ack.flightID)), to: device)
    }

    func detected(_ report: DetectionReport, from device: String) throws {
        let detection = report.detection
        try fold(detection, from: device, flightID: report.flightID)
        // Acknowledge resends too: the device stops sending once it hears this.
        send(.detectionAck(DetectionAck(detectionID: detection.id)), to: device)
    }

    /// Records an observation once per (device, id) and folds a new one into the open incidents.
    ///
    /// The observation, the incident it opened or joined and a new incident's first escalation
    /// deadline are written in one transaction, before the caller acknowledges: a kill at any
    /// moment leaves all of it or none (and then the device sends it again).
    /// - Parameter source: the independent source for fusion (a gateway's single sensor); the device by default.
    func fold(_ detection: Detection, from device: String, flightID: String?, source: String? = nil) throws {
        let source = source ?? device
        let outcome = try ObservationIntake.take(
            detection, deviceID: device, source: source, flightID: flightID, fusion: &fusion, store: store,
            escalation: configuration.escalation)
        switch outcome {
        case .opened(let alert):
            logger.notice(
                "alert opened",
                metadata: [
                    "alert.id": "\(alert.id)", "alert.kind": "\(alert.kind.rawValue)", "device.id": "\(device)",
                    "flight.id": "\(flightID ?? "none")",
                ])
            emit(.alertOpened(alert))
            fireEscalations(alert)
        case .joined(let alert, let newlyConfirmed):
            if newlyConfirmed {
                logger.notice(
                    "alert confirmed",
                    metadata: [
                        "alert.id": "\(alert.id)", "alert.sources": "\(alert.sources.keys.sorted())",
                        "alert.confidence": "\(alert.confidence)",
                    ])
            } else {
                logger.debug(
                    "alert updated",
                    metadata: [
                        "alert.id": "\(alert.id)", "device.id": "\(device)", "flight.id": "\(flightID ?? "none")",
                        "alert.observations": "\(alert.observations)",
                    ])
            }
            emit(.alertUpdated(alert))
            if newlyConfirmed { emit(.alertConfirmed(alert)) }
        case .refuted(let alert, let falseAlarm):
            logger.notice(
                "alert verified absent",
                metadata: [
                    "alert.id": "\(alert.id)", "alert.confidence": "\(alert.confidence)",
                    "alert.falseAlarm": "\(falseAlarm)",
                ])
            emit(.alertUpdated(alert))
        case .duplicate, .ignored:
            break
        }
        runActions(after: outcome)
    }

    /// Sends a new incident's first notices (its deadline is already stored with it); a failure is
    /// logged, and the deadline stays pending for the escalation service.
    func fireEscalations(_ alert: Alert) {
        guard let engine = configuration.escalation else { return }
        do { try engine.fireDue() } catch {
            logger.error("cannot start escalation", metadata: ["alert.id": "\(alert.id)", "store.error": "\(error)"])
        }
    }

    func deviceEvent(_ event: DeviceEvent, at time: Date, from device: String) throws {
        let fresh = try store.record(
            RecordedEvent(
                deviceID: device, eventID: event.id, flightID: event.flightID, kind: event.kind.rawValue, time: time,
                detail: event.detail))
        send(.eventAck(EventAck(eventID: event.id)), to: device)
        if fresh {
            logger.info(
                "device event",
                metadata: [
                    "device.id": "\(device)", "flight.id": "\(event.flightID ?? "none")",
                    "event.kind": "\(event.kind.rawValue)",
                ])
            emit(
                .flightEvent(flightID: event.flightID, device: device, kind: event.kind.rawValue, detail: event.detail))
        }
        guard fresh, event.kind == .landed, let flightID = event.flightID, var active = flights[flightID] else {
            return
        }
        flush()
        active.flight.status = abortedFlights.remove(flightID) == nil ? .completed : .aborted
        active.flight.endedAt = time
        try store.save(active.flight)
        flights[flightID] = nil
        emit(.flightEnded(active.flight, report: writeReport(active)))
    }

    /// Renders and writes the flight's report from the record; a failure is logged, not fatal.
    func writeReport(_ active: ActiveFlight) -> [URL] {
        if case .robotRound = active.mission.kind { return roundEnded(active.flight.id) }
        guard let directory = configuration.reportsDirectory else { return [] }
        do {
            // From the record alone, as `patrol report FLIGHT` does later: the same bytes.
            let input = try store.reportInput(flightID: active.flight.id)
            let files = try FlightReport.render(input).write(to: directory)
            logger.info(
                "report written",
                metadata: ["flight.id": "\(active.flight.id)", "report.path": "\(files.first?.path ?? "")"])
            return files
        } catch {
            logger.error(
                "cannot write the report", metadata: ["flight.id": "\(active.flight.id)", "report.error": "\(error)"])
            return []
        }
    }
}

/// Checks on values a device sends: finite, in range, plausible.
enum Validate {
    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func telemetry(_ t: Telemetry) throws(Problem) {
        guard t.position.isValid else { throw Problem("telemetry.position: not a valid lon/lat") }
        guard t.altitude.isFinite, (-1000...10000).contains(t.altitude) else {
            throw Problem("telemetry.altitude: out of range")
        }
        guard t.heading.isFinite, (0...360).contains(t.heading) else {
            throw Problem("telemetry.heading: expected 0 to 360 degrees")
        }
        guard t.speed.isFinite, (0...200).contains(t.speed) else { throw Problem("telemetry.speed: out of range") }
        guard t.battery.isFinite, (0...1).contains(t.battery) else {
            throw Problem("telemetry.battery: expected 0 to 1")
        }
        guard t.waypointIndex >= 0 else { throw Problem("telemetry.waypoint_index: negative") }
        if let q = t.linkQuality, !(q.isFinite && (0...1).contains(q)) {
            throw Problem("telemetry.link_quality: expected 0 to 1")
        }
        try telemetryExtras(t)
    }

    static func detection(_ d: Detection) throws(Problem) {
        guard !d.id.isEmpty, d.id.count <= 128 else { throw Problem("detection.id: 1 to 128 characters") }
        guard d.position.isValid else { throw Problem("detection.position: not a valid lon/lat") }
        guard d.confidence.isFinite, (0...1).contains(d.confidence) else {
            throw Problem("detection.confidence: expected 0 to 1")
        }
        guard d.positionError.isFinite, d.positionError >= 0 else {
            throw Problem("detection.position_error: expected metres ≥ 0")
        }
    }
}
