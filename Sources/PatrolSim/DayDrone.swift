import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel

/// A simulated hive drone for a whole day: it stays connected, charges in its hive between
/// sorties, and flies every mission the coordinator uploads and starts, one step at a time on
/// a clock driven by ``DaySimulation``. Its flight, camera, battery and failsafes are those of
/// ``SimulatedDrone`` (it drives one), so a day's drone behaves as a single-flight one.
final class DayDrone {
    let id: String
    let drone: SimulatedDrone
    /// Charging power in the hive, watts.
    let chargePower: Double
    /// Link cuts, each on the sortie that takes off at or after its `from` time.
    var cuts: [DayScenario.LinkCutPlan]
    /// Battery failures, each on the sortie that takes off at or after its `from` time.
    var batteryFailures: [DayScenario.BatteryFailurePlan] = []
    /// When the drone connects (a drone in maintenance joins later).
    let onlineFrom: Date
    private(set) var connected = false
    /// Whether a route is being flown (from the start command to the landing).
    private(set) var flying = false
    private(set) var sorties = 0
    private var flightStart: Date?

    init(
        id: String, drone: SimulatedDrone, chargePower: Double, cuts: [DayScenario.LinkCutPlan], onlineFrom: Date
    ) {
        self.id = id
        self.drone = drone
        self.chargePower = chargePower
        self.cuts = cuts
        self.onlineFrom = onlineFrom
    }

    var clock: VirtualClock { drone.clock }

    /// Whether this step may have anything but a heartbeat to exchange: flying, a route accepted
    /// and not yet started, something unacknowledged, or the link cut or just back.
    var isBusy: Bool {
        flying || (drone.kinematics != nil && !landed) || !drone.pendingEvents.isEmpty
            || !drone.pendingDetections.isEmpty || drone.isLinkCut || drone.linkWasCut
    }
    /// Set once the route of the last sortie has been flown to the pad.
    private var landed = true
    /// A heartbeat was sent and its echo is still to be awaited (see ``finishStep()``).
    private var echoPending = false

    /// Says hello and waits for the welcome.
    func connect() async throws(SimulatedDrone.Failure) {
        drone.send(
            .hello(
                Hello(
                    kind: .drone, capabilities: ["camera.visual", "detect.smoke", "detect.fire"],
                    firmware: "patrol-sim/1", hive: drone.hive.id)))
        _ = try await drone.expect("welcome") { if case .welcome = $0 { true } else { false } }
        drone.lastEcho = clock.now()
        connected = true
    }

    /// One step of `dt` seconds that has already passed on the clock: fly (or charge), report,
    /// then the lockstep barrier, answering uploads and start commands that arrive.
    ///
    /// - Parameter deferEcho: send the heartbeat but leave its echo to ``finishStep()``, so that
    ///   quiet devices' heartbeats overlap.
    func step(_ dt: Double, deferEcho: Bool = false) async throws(SimulatedDrone.Failure) {
        if flying, var k = drone.kinematics {
            let lastSurvey = k.legs.lastIndex { $0.kind == .survey }
            let completed = k.step(dt)
            drone.energyUsedWh += drone.power(k) * dt / 3600
            drone.kinematics = k
            // Failing cells and the low-battery failsafe, as on a single flight.
            drone.checkFaults()
            k = drone.kinematics ?? k
            if let lastSurvey, completed.contains(lastSurvey) { drone.event(.missionComplete) }
            drone.sendTelemetry(k)
            drone.look(k)
            if k.isFinished {
                flying = false
                landed = true
                drone.event(.landed, detail: String(format: "battery %.0f%%", drone.battery * 100))
            }
            if drone.battery <= 0 { throw SimulatedDrone.Failure(message: "\(id): battery exhausted") }
        } else {
            drone.energyUsedWh = max(0, drone.energyUsedWh - chargePower * dt / 3600)
        }
        drone.resendOverdue()
        if deferEcho, !drone.isLinkCut, !drone.linkWasCut {
            drone.send(.heartbeat)
            echoPending = true
            return
        }
        try await linkTick()
    }

    /// Awaits the echo of a heartbeat sent by a deferred ``step(_:deferEcho:)``.
    func finishStep() async throws(SimulatedDrone.Failure) {
        guard echoPending else { return }
        echoPending = false
        try await awaitEcho()
    }

    /// The end of a step: the heartbeat barrier, or, while the link is cut, the failsafe clock.
    private func linkTick() async throws(SimulatedDrone.Failure) {
        if drone.isLinkCut {
            drone.linkWasCut = true
            let silence = clock.now().timeIntervalSince(drone.lastEcho ?? clock.now())
            if drone.summary.failsafeAt == nil, silence >= drone.failsafeAfter {
                drone.engageFailsafe(silence: silence)
            }
            return
        }
        if drone.linkWasCut {
            drone.linkWasCut = false
            drone.summary.failsafeAt = nil
            try await drone.reconnect()
        }
        try await barrier()
    }

    /// Heartbeat and wait for its echo, taking uploads and start commands meanwhile.
    func barrier() async throws(SimulatedDrone.Failure) {
        drone.send(.heartbeat)
        try await awaitEcho()
    }

    private func awaitEcho() async throws(SimulatedDrone.Failure) {
        while true {
            guard let next = await drone.inbox.next(timeout: drone.answerTimeout) else {
                throw SimulatedDrone.Failure(message: "\(id): no heartbeat echo within \(drone.answerTimeout)")
            }
            guard case .success(let envelope) = next else { continue }
            switch envelope.message {
            case .heartbeat:
                drone.lastEcho = clock.now()
                return
            case .missionUpload(let upload):
                guard !flying else {
                    drone.send(
                        .missionAck(
                            MissionAck(
                                flightID: upload.flightID, accepted: false, checksum: RouteChecksum.of(upload.route),
                                reason: "already flying")))
                    continue
                }
                // A refused upload is reported to the coordinator by the ack; the drone stays docked.
                try? drone.accept(upload)
                if drone.flightID == upload.flightID { landed = false }
            case .command(let command) where command.action == .start:
                guard !flying, command.flightID == drone.flightID, drone.kinematics != nil else {
                    drone.send(
                        .commandAck(CommandAck(commandID: command.id, accepted: false, reason: "nothing to start")))
                    continue
                }
                drone.send(.commandAck(CommandAck(commandID: command.id, accepted: true)))
                takeOff()
            default:
                try drone.handle(envelope.message)
            }
        }
    }

    private func takeOff() {
        flying = true
        sorties += 1
        let now = clock.now()
        flightStart = now
        drone.takeoffAt = now
        drone.summary.failsafeAt = nil
        drone.linkCut = nil
        if let i = cuts.firstIndex(where: { $0.from <= now }) {
            drone.linkCut = SimulatedDrone.LinkCut(after: cuts[i].after, lasting: cuts[i].lasting)
            cuts.remove(at: i)
        }
        drone.lowBatteryAction = nil
        drone.returningForFailsafe = false
        if let i = batteryFailures.firstIndex(where: { $0.from <= now }) {
            let at = now.timeIntervalSince(drone.scenario.start) + batteryFailures[i].after
            drone.faults.append(
                Fault(kind: .batteryFailure, device: id, at: at, capacity: batteryFailures[i].capacity))
            batteryFailures.remove(at: i)
        }
        drone.event(.tookOff)
    }
}
