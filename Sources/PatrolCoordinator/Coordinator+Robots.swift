public import Foundation
import Logging
import PatrolAlerts
import PatrolGeo
import PatrolLink
public import PatrolModel
public import PatrolPlanner
import PatrolReports
import PatrolStore

/// A robot round in progress: the checkpoints still to reach.
struct ActiveRound {
    var device: String
    var checkpoints: [RoundCheckpoint]
}

extension Coordinator {
    /// Seconds during which a robot is not told again to warn about the same gas.
    static let speakRepeatInterval: TimeInterval = 300

    /// Sends a ground robot on a round planned by ``RobotRoundPlanner``: the round is launched as
    /// a flight (its route uploaded with a checksum, started on an accepted ack) and recorded
    /// with its robot, station and checkpoints (the route's `survey` waypoints, named by the
    /// path graph's nodes), so the checkpoints reached can be recorded from its telemetry.
    ///
    /// - Parameter siteFile: the site file the site came from, kept in the record.
    /// - Returns: the round's flight id.
    /// - Throws: ``StoreError`` when it cannot be recorded; ``Validate/Problem`` when the mission is not a robot round.
    public func launchRound(
        _ plan: CoveragePlan, mission: Mission, site: Site, siteFile: URL? = nil, device: String
    ) throws -> String {
        guard case .robotRound(let spec) = mission.kind else {
            throw Validate.Problem("mission `\(mission.id)` is not a robot round")
        }
        let checkpoints = RoundCheckpoint.of(
            route: plan.route, site: site, storeyHeight: RobotRoundPlanner.storeyHeight)
        // The actor handles no frame before this returns, so no telemetry comes before the checkpoints are known.
        let id = try launch(plan, mission: mission, site: site, siteFile: siteFile, device: device)
        try store.save(RobotRoundRecord(flightID: id, robotID: device, station: spec.station, checkpoints: checkpoints))
        robotRounds[id] = ActiveRound(device: device, checkpoints: checkpoints)
        return id
    }

    /// Records the checkpoints a robot's telemetry shows it at: within ``RoundCheckpoint/reachRadius``
    /// on the checkpoint's level, heading for it or beyond it in its route.
    func roundProgress(_ report: TelemetryReport, from device: String) throws {
        guard let flightID = report.flightID, var round = robotRounds[flightID], round.device == device else { return }
        let t = report.telemetry
        let level = Int((t.altitude / RobotRoundPlanner.storeyHeight).rounded())
        var changed = false
        for (k, checkpoint) in round.checkpoints.enumerated()
        where checkpoint.reachedAt == nil && checkpoint.waypointIndex <= t.waypointIndex && checkpoint.level == level
            && RoundCheckpoint.distance(checkpoint.position, t.position) <= RoundCheckpoint.reachRadius
        {
            try store.markCheckpoint(flightID: flightID, waypointIndex: checkpoint.waypointIndex, reachedAt: t.time)
            round.checkpoints[k].reachedAt = t.time
            changed = true
            logger.info(
                "checkpoint reached",
                metadata: [
                    "device.id": "\(device)", "flight.id": "\(flightID)", "round.checkpoint": "\(checkpoint.name)",
                ])
            emit(.checkpointReached(flightID: flightID, checkpoint: checkpoint.name, at: t.time))
        }
        if changed { robotRounds[flightID] = round }
    }

    /// After a robot's gas readings are stored: for a new reading over its threshold, tells the
    /// robot to warn the people around it aloud (`speak`), once per gas every few minutes.
    /// Failures are logged; the readings are already recorded.
    func robotReadings(_ readings: [SensorReading], fresh: [Bool], from device: String) {
        guard sessions[device]?.hello.kind == .robot else { return }
        let rules = configuration.sensorRules
        for (reading, isNew) in zip(readings, fresh) where isNew {
            let kind = reading.kind.rawValue
            guard rules.exceeded(kind: kind, value: reading.value, unit: reading.unit) != nil else { continue }
            let key = "\(device)/\(kind)"
            if let last = robotWarnings[key], reading.time.timeIntervalSince(last) < Self.speakRepeatInterval {
                continue
            }
            robotWarnings[key] = reading.time
            let text =
                "Warning: dangerous gas here, \(Self.gasName(kind)) at \(Self.ppm(reading.value)) ppm. "
                + "Please leave this area now and keep others away. Help is on the way."
            let flightID = robotRounds.first { $0.value.device == device }?.key
            speak(text, to: device, flightID: flightID)
        }
    }

    /// Sends `speak` to a device and records the command and its text.
    func speak(_ text: String, to device: String, flightID: String?) {
        let id = nextCommandID()
        do {
            try store.recordCommand(
                id: id, deviceID: device, flightID: flightID, action: Command.Action.speak.rawValue, at: clock.now())
            try store.record(
                SpokenWarning(commandID: id, deviceID: device, flightID: flightID, text: text, at: clock.now()))
        } catch {
            logger.error("cannot record a command", metadata: ["command.id": "\(id)", "store.error": "\(error)"])
            return
        }
        send(.command(Command(id: id, action: .speak, flightID: flightID, text: text)), to: device)
        logger.notice("robot told to speak", metadata: ["device.id": "\(device)", "command.id": "\(id)"])
        emit(.speakCommanded(device: device, text: text, commandID: id))
    }

    /// A round that ended: forgets it, and writes its report from the record.
    func roundEnded(_ flightID: String) -> [URL] {
        robotRounds[flightID] = nil
        guard let directory = configuration.reportsDirectory else { return [] }
        do {
            let files = try RoundReport.render(store.roundReportInput(flightID: flightID)).write(to: directory)
            logger.info("round report written", metadata: ["flight.id": "\(flightID)"])
            return files
        } catch {
            logger.error(
                "cannot write the round report", metadata: ["flight.id": "\(flightID)", "report.error": "\(error)"])
            return []
        }
    }

    static func gasName(_ kind: String) -> String {
        switch kind {
        case "h2s": "hydrogen sulphide"
        case "ch4": "methane"
        case "co": "carbon monoxide"
        default: kind
        }
    }

    static func ppm(_ value: Double) -> String { String(format: value >= 100 ? "%.0f" : "%.1f", value) }
}
