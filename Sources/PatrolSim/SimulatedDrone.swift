public import Foundation
public import Logging
public import PatrolGeo
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop hive drone: it speaks the wire protocol over a real ZeroMQ socket,
/// flies uploaded routes with simple multirotor kinematics and a battery model, and looks for
/// the scenario's fires with a camera whose detections are drawn from a seeded generator.
///
/// It reaches the coordinator only through its ``LinkClient``. In lockstep mode (the default
/// for simulations) it ends every simulated step with a heartbeat and waits for the
/// coordinator's echo before advancing the virtual clock: the coordinator has then handled
/// everything sent so far, so a run is deterministic however fast the machine is.
public final class SimulatedDrone {
    /// What went wrong in a simulated flight.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "simulated drone: \(message)" }
    }

    /// What the drone did.
    public struct Summary: Sendable {
        public var flightID: String?
        public var telemetrySent = 0
        public var detectionsSent = 0
        public var resends = 0
        public var batteryRemaining = 1.0
        public var duration: TimeInterval = 0
        /// When the link-loss failsafe sent the drone home, on the virtual clock.
        public var failsafeAt: Date?
        /// Messages the drone tried to send while its link was cut (lost on the way).
        public var lostInLinkCut = 0
        /// What the low-battery failsafe did, if it acted.
        public var lowBattery: DroneModel.LowBatteryAction?
        /// Why the drone refused its `start` (its hive's door, its weather limits), if it did.
        public var launchRefused: String?
        /// How it came down on its hive's pad, when it flew from a simulated hive.
        public var landing: SimulatedHive.Landing?
    }

    let scenario: Scenario
    let camera: CameraSpec
    let hive: Hive
    let frame: SiteFrame
    let clock: VirtualClock
    let link: LinkClient
    let inbox: Inbox<Result<Envelope, LinkError>>
    let logger: Logger
    /// How long to wait in real time for an answer before giving up: a guard against a hung
    /// coordinator, generous because a loaded 2-core machine can delay a reply by seconds.
    public var answerTimeout: Duration = .seconds(30)
    /// A simulated radio drop: nothing leaves or arrives for `lasting` seconds from `after`
    /// seconds past take-off (virtual time); `nil` for a perfect link.
    public var linkCut: LinkCut?
    /// Virtual seconds without a heartbeat echo after which the drone returns to its hive.
    public var failsafeAfter: TimeInterval = 5
    /// Real-time pacing for a drone run as its own process against a live coordinator: virtual
    /// seconds flown per real second (1 is real time, 20 twenty times faster); `nil` flies as fast
    /// as the lockstep allows.
    public var pace: Double?
    /// For a drone waiting in its hive as its own process: how often to send a heartbeat while no
    /// mission has come (see `awaitMission()`); `nil` waits at most ``answerTimeout``.
    public var standbyHeartbeat: Duration?
    /// Faults to inject (`gps_loss`, `battery_failure`; times after the scenario's start).
    public var faults: [Fault] = []
    /// Below this charge (0–1) the low-battery failsafe returns or lands.
    public var reserve = 0.2
    /// Virtual seconds the drone holds without a GPS fix before it flies home.
    public var gpsHoldLimit: TimeInterval = 20
    /// Called at the end of every flight step, after the drone's own exchange (other simulated
    /// devices of a mixed run take their turn on the same virtual clock).
    public var afterStep: (() async throws -> Void)?
    /// The simulated hive the drone lives in, when there is one: it must allow the launch, open
    /// its door, and takes the drone back on its pad (see ``SimulatedHive``).
    public var dock: SimulatedHive?

    var random: SeededRandom
    var kinematics: Kinematics?
    var flightID: String?
    var energyUsedWh = 0.0
    var pendingDetections: [String: (report: DetectionReport, lastSent: Date)] = [:]
    var pendingEvents: [String: DeviceEvent] = [:]
    var detectionCounter = 0
    var eventCounter = 0
    var summary = Summary()
    var takeoffAt: Date?
    var lastEcho: Date?
    var linkWasCut = false
    var faultsApplied: Set<Int> = []
    var gpsLostSince: Date?
    /// The last position fix while there is none.
    var heldFix: XY?
    var returningForFailsafe = false
    var lowBatteryAction: DroneModel.LowBatteryAction?

    /// - Parameters:
    ///   - scenario: the drone's parameters, the fires and the seed.
    ///   - camera: the camera's optics (the mission's camera spec describes the payload).
    ///   - hive: where the drone sits before and after the flight.
    ///   - link: a connected client whose identity is the drone's id.
    public init(
        scenario: Scenario, camera: CameraSpec, hive: Hive, crs: String, clock: VirtualClock, link: LinkClient,
        logger: Logger
    ) throws(GeoError) {
        self.scenario = scenario
        self.camera = camera
        self.hive = hive
        self.frame = try SiteFrame(crs: crs)
        self.clock = clock
        self.link = link
        self.inbox = Inbox(link.inbound)
        self.logger = logger
        self.random = SeededRandom(seed: scenario.seed)
    }

    var battery: Double { max(0, 1 - energyUsedWh / scenario.drone.batteryWh) }

    /// Runs one session: hello, accept the uploaded mission, wait for `start`, fly, land, and
    /// wait until every detection and event has been acknowledged.
    ///
    /// - Throws: ``Failure`` when the coordinator does not answer in time, refuses the
    ///   session, or sends an invalid mission.
    public func run() async throws(Failure) -> Summary {
        send(
            .hello(
                Hello(
                    kind: .drone, capabilities: ["camera.visual", "detect.smoke", "detect.fire"],
                    firmware: "patrol-sim/1", hive: hive.id)))
        _ = try await expect("welcome") { if case .welcome = $0 { true } else { false } }
        let upload = try await awaitMission()
        guard case .missionUpload(let mission) = upload else { throw Failure(message: "unreachable") }
        try accept(mission)
        let start = try await expect("start command") {
            if case .command(let c) = $0, c.action == .start { true } else { false }
        }
        guard case .command(let command) = start else { throw Failure(message: "unreachable") }
        if let reason = dock?.launchRefusal() {
            // The start is answered with the hive's reason; the drone stays on its pad.
            send(.commandAck(CommandAck(commandID: command.id, accepted: false, reason: reason)))
            try await barrier()
            summary.flightID = flightID
            summary.launchRefused = reason
            summary.batteryRemaining = battery
            return summary
        }
        send(.commandAck(CommandAck(commandID: command.id, accepted: true)))
        try await leaveDock()
        let began = clock.now()
        takeoffAt = began
        lastEcho = began
        event(.tookOff)
        dock?.droneLeft()
        try await fly()
        let docking = try await comeIntoDock()
        event(.landed, detail: String(format: "battery %.0f%%", battery * 100) + docking)
        try await drainAcknowledgements()
        summary.flightID = flightID
        summary.batteryRemaining = battery
        summary.duration = clock.now().timeIntervalSince(began)
        return summary
    }

    // MARK: Session

    /// Sends `message`, unless the simulated link is cut: then it is lost, as on a dead radio.
    @discardableResult
    func send(_ message: WireMessage) -> UInt64 {
        if isLinkCut {
            summary.lostInLinkCut += 1
            return 0
        }
        return link.send(message, time: clock.now())
    }

    /// Waits for a message matching `matches`, handling whatever else arrives meanwhile.
    func expect(_ what: String, _ matches: (WireMessage) -> Bool) async throws(Failure) -> WireMessage {
        while true {
            guard let next = await inbox.next(timeout: answerTimeout) else {
                throw Failure(message: "no \(what) from the coordinator within \(answerTimeout)")
            }
            switch next {
            case .failure(let error):
                logger.warning("bad frame from the coordinator", metadata: ["link.error": "\(error)"])
            case .success(let envelope):
                if matches(envelope.message) { return envelope.message }
                try handle(envelope.message)
            }
        }
    }

    func accept(_ upload: MissionUpload) throws(Failure) {
        let checksum = RouteChecksum.of(upload.route)
        let waypoints = upload.route.waypoints
        var reason: String?
        if checksum != upload.checksum { reason = "checksum mismatch: computed \(checksum), sent \(upload.checksum)" }
        if waypoints.first?.kind != .takeoff || waypoints.last?.kind != .land {
            reason = "a route must start with takeoff and end with land"
        }
        if waypoints.contains(where: { !$0.position.isValid || !$0.altitude.isFinite || $0.speed <= 0 }) {
            reason = "invalid waypoint"
        }
        send(
            .missionAck(
                MissionAck(flightID: upload.flightID, accepted: reason == nil, checksum: checksum, reason: reason)))
        if let reason { throw Failure(message: "refused the mission: \(reason)") }
        do {
            let xy = try frame.project(waypoints.map(\.position))
            let legs = zip(xy, waypoints).map {
                Kinematics.Leg(target: $0, altitude: $1.altitude, kind: $1.kind, speed: $1.speed)
            }
            kinematics = Kinematics(
                start: try frame.project(hive.position), legs: legs, climbRate: scenario.drone.climbRate)
            kinematics?.maxAcceleration = scenario.drone.maxAcceleration
            if scenario.windDrift {
                kinematics?.wind = DroneModel.wind(speed: scenario.windSpeed, from: scenario.windFrom)
            }
        } catch {
            throw Failure(message: "cannot project the route: \(error)")
        }
        flightID = upload.flightID
    }

    /// Reacts to messages that may come at any time.
    func handle(_ message: WireMessage) throws(Failure) {
        switch message {
        case .detectionAck(let ack): pendingDetections[ack.detectionID] = nil
        case .eventAck(let ack): pendingEvents[ack.eventID] = nil
        case .command(let command): obey(command)
        case .error(let report):
            logger.warning(
                "coordinator error", metadata: ["wire.code": "\(report.code)", "wire.message": "\(report.message)"])
        default: break
        }
    }

    func obey(_ command: Command) {
        guard var k = kinematics, command.flightID == nil || command.flightID == flightID else {
            send(
                .commandAck(CommandAck(commandID: command.id, accepted: false, reason: "no such flight on this drone")))
            return
        }
        switch command.action {
        case .pause: k.paused = true
        case .resume: k.paused = false
        case .returnToHive, .abort:
            do {
                try Self.returnHome(&k, to: frame.project(hive.position))
            } catch {
                send(.commandAck(CommandAck(commandID: command.id, accepted: false, reason: "\(error)")))
                return
            }
            k.paused = false
        case .start:
            send(.commandAck(CommandAck(commandID: command.id, accepted: false, reason: "already flying")))
            return
        case .switchActuator, .speak:
            send(.commandAck(CommandAck(commandID: command.id, accepted: false, reason: "not supported by this drone")))
            return
        case .goTo:
            switch goTo(command, &k) {
            case .success: break
            case .failure(let refusal):
                send(.commandAck(CommandAck(commandID: command.id, accepted: false, reason: refusal.message)))
                return
            }
        }
        kinematics = k
        send(.commandAck(CommandAck(commandID: command.id, accepted: true)))
    }

    func event(_ kind: DeviceEvent.Kind, detail: String? = nil) {
        eventCounter += 1
        let e = DeviceEvent(id: "\(scenario.drone.id)-e\(eventCounter)", kind: kind, flightID: flightID, detail: detail)
        pendingEvents[e.id] = e
        send(.event(e))
    }

    /// Heartbeat and wait for its echo: everything sent before has been handled.
    func barrier() async throws(Failure) {
        send(.heartbeat)
        let answer = try await expect("heartbeat echo") { message in
            if message == .heartbeat { return true }
            if case .error(let report) = message, report.code == "not_registered" { return true }
            return false
        }
        if answer != .heartbeat {
            // The coordinator restarted and does not know this session: say hello again, resend
            // what is unacknowledged and go on with the flight.
            logger.notice(
                "the coordinator does not know this session: hello again",
                metadata: ["device.id": "\(scenario.drone.id)"])
            try await reconnect()
            send(.heartbeat)
            _ = try await expect("heartbeat echo") { $0 == .heartbeat }
        }
        lastEcho = clock.now()
    }

    func drainAcknowledgements() async throws(Failure) {
        var rounds = 0
        while !pendingDetections.isEmpty || !pendingEvents.isEmpty {
            rounds += 1
            if rounds > 20 {
                throw Failure(message: "\(pendingDetections.count + pendingEvents.count) message(s) never acknowledged")
            }
            for (_, pending) in pendingDetections.sorted(by: { $0.key < $1.key }) { send(.detection(pending.report)) }
            for (_, e) in pendingEvents.sorted(by: { $0.key < $1.key }) { send(.event(e)) }
            summary.resends += pendingDetections.count + pendingEvents.count
            try await barrier()
        }
    }
}
