import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel

/// A simulated ground robot for a whole day: it stays connected, charges at its station between
/// rounds, and walks every round the coordinator uploads and starts, one step at a time on a
/// clock driven by ``DaySimulation``. Its walk, gas sampling, camera and battery are those of
/// ``SimulatedRobot`` (it drives one), so a day's robot behaves as a single-round one.
final class DayRobot {
    let id: String
    let robot: SimulatedRobot
    private(set) var connected = false
    /// Whether a round is being walked (from the start command to docking).
    private(set) var walking = false
    private(set) var rounds = 0
    /// A heartbeat was sent and its echo is still to be awaited (see ``finishStep()``).
    private var echoPending = false
    /// Seconds docked since the last docked telemetry sample.
    private var dockedFor = 0.0
    /// Sub-steps of a walking step: the walk advances at most one leg per sub-step.
    static let walkTick = 0.5

    init(id: String, robot: SimulatedRobot) {
        self.id = id
        self.robot = robot
    }

    var clock: VirtualClock { robot.clock }

    /// Whether this step may have anything but a heartbeat to exchange.
    var isBusy: Bool {
        walking || (robot.flightID != nil && robot.began == nil) || !robot.pendingEvents.isEmpty
            || !robot.pendingDetections.isEmpty || !robot.pendingReadings.isEmpty
    }

    /// Says hello and waits for the welcome.
    func connect() async throws(SimulatedRobot.Failure) {
        try await robot.lockstep { () async throws(SimulatedGateway.Failure) in
            try await robot.session.hello(
                Hello(
                    kind: .robot,
                    capabilities: ["camera.visual", "gas.co", "gas.ch4", "gas.h2s", "voice.speak"],
                    firmware: "patrol-sim-robot/1"))
        }
        robot.lastEcho = clock.now()
        connected = true
        // As a robot does when it connects: where it is and how charged, so the coordinator's
        // charge model starts from the truth (not from full). Through the barrier before the day's
        // first launch.
        reportDocked()
        try await barrier()
    }

    /// A telemetry sample docked at its station, without position noise (it is on its charger).
    private func reportDocked() {
        guard let lonlat = try? robot.frame.unproject(robot.position) else { return }
        let telemetry = Telemetry(
            time: clock.now(), position: lonlat, altitude: Double(robot.level) * 4, heading: robot.heading, speed: 0,
            battery: robot.battery, state: .landed, waypointIndex: 0, linkQuality: 1)
        robot.send(.telemetry(TelemetryReport(flightID: nil, telemetry: telemetry)))
        robot.summary.telemetrySent += 1
    }

    /// One step of `dt` seconds that has already passed on the clock: walk (in sub-steps) and
    /// report, or charge docked; then the lockstep barrier, answering uploads and start commands.
    func step(_ dt: Double, deferEcho: Bool = false) async throws(SimulatedRobot.Failure) {
        if walking {
            var left = dt
            while left > 1e-9, robot.legIndex < robot.legs.count {
                let tick = min(Self.walkTick, left)
                try robot.step(tick)
                left -= tick
            }
            robot.sendTelemetry(state: robot.state())
            robot.sample()
            robot.look()
            if robot.battery < robot.scenario.robot.reserve, !robot.returning {
                robot.event(
                    .failsafe, detail: String(format: "battery %.0f%% below reserve: returning", robot.battery * 100))
                if !robot.goHome() { throw SimulatedRobot.Failure(message: "\(id): battery low and no way back") }
            }
            if robot.legIndex >= robot.legs.count {
                walking = false
                robot.speedNow = 0
                robot.event(.landed, detail: String(format: "docked, battery %.0f%%", robot.battery * 100))
                robot.began = nil
                robot.flightID = nil
            }
        } else {
            let r = robot.scenario.robot
            let taper = robot.battery < 0.8 ? 1 : max(0, (1 - robot.battery) / 0.2)
            robot.energyUsedWh = max(0, robot.energyUsedWh - (r.chargePowerW * taper - r.idlePowerW) * dt / 3600)
            dockedFor += dt
            if dockedFor >= Double(SimulatedRobot.dockedTelemetryEvery) {
                dockedFor = 0
                robot.sendTelemetry(state: .landed, flight: false)
            }
        }
        robot.resend(force: false)
        if deferEcho {
            robot.send(.heartbeat)
            echoPending = true
            return
        }
        try await barrier()
    }

    /// Awaits the echo of a heartbeat sent by a deferred ``step(_:deferEcho:)``.
    func finishStep() async throws(SimulatedRobot.Failure) {
        guard echoPending else { return }
        echoPending = false
        try await awaitEcho()
    }

    func barrier() async throws(SimulatedRobot.Failure) {
        robot.send(.heartbeat)
        try await awaitEcho()
    }

    private func awaitEcho() async throws(SimulatedRobot.Failure) {
        while true {
            guard let next = await robot.session.inbox.next(timeout: robot.answerTimeout) else {
                throw SimulatedRobot.Failure(message: "\(id): no heartbeat echo within \(robot.answerTimeout)")
            }
            guard case .success(let envelope) = next else { continue }
            switch envelope.message {
            case .heartbeat:
                robot.lastEcho = clock.now()
                return
            case .missionUpload(let upload):
                guard !walking else {
                    robot.send(
                        .missionAck(
                            MissionAck(
                                flightID: upload.flightID, accepted: false, checksum: RouteChecksum.of(upload.route),
                                reason: "already on a round")))
                    continue
                }
                prepare()
                // A refused upload is reported to the coordinator by the ack; the robot stays docked.
                try? robot.accept(upload)
            case .command(let command) where command.action == .start:
                guard !walking, command.flightID == robot.flightID, !robot.legs.isEmpty else {
                    robot.send(
                        .commandAck(CommandAck(commandID: command.id, accepted: false, reason: "nothing to start")))
                    continue
                }
                robot.answer(command, accepted: true)
                walking = true
                rounds += 1
                robot.began = clock.now()
                robot.nextSample = clock.now()
                robot.event(.tookOff, detail: "left its station")
            default:
                robot.handle(envelope.message)
            }
        }
    }

    /// Back to the station's state before a new round is accepted.
    private func prepare() {
        robot.legs = []
        robot.legIndex = 0
        robot.legStarted = false
        robot.waitLeft = 0
        robot.dwellLeft = 0
        robot.paused = false
        robot.returning = false
        robot.aborted = false
        robot.position = robot.station
        robot.level = robot.stationLevel
        robot.began = nil
    }
}
