public import Foundation
public import Logging
import PatrolGeo
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop ground robot: it speaks the wire protocol over a real ZeroMQ socket as
/// a device of kind `robot`, walks an uploaded robot round over the site's path graph at walking
/// pace (waiting at doors and lifts, going around blocked edges), samples a scenario's gas field,
/// recognises scripted objects with its camera, says what it is told to say, and docks and
/// charges at its station afterwards.
///
/// Like ``SimulatedDrone`` it reaches the coordinator only through its ``LinkClient`` and runs
/// in lockstep: every telemetry tick ends with a heartbeat and waits for the echo before the
/// virtual clock moves on, so the same scenario and seed give the same record.
public final class SimulatedRobot {
    /// What went wrong in a simulated round.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "simulated robot: \(message)" }
    }

    /// A sentence the robot said through its loudspeaker.
    public struct Spoken: Hashable, Sendable {
        public var time: Date
        public var commandID: String
        public var text: String
    }

    /// What the robot did.
    public struct Summary: Sendable {
        public var flightID: String?
        public var telemetrySent = 0
        public var readingsSent = 0
        public var detectionsSent = 0
        public var resends = 0
        /// Route indices of the checkpoints it stood at, in order, with when.
        public var checkpoints: [(index: Int, time: Date)] = []
        /// Route indices of checkpoints it could not reach (every way there blocked).
        public var skipped: [Int] = []
        /// Blocked edges it went around.
        public var detours: [String] = []
        public var spoken: [Spoken] = []
        /// Charge when it docked, and at the end of the run (after charging).
        public var batteryAtDock = 0.0
        public var batteryRemaining = 0.0
        /// Seconds from start to docking.
        public var duration: TimeInterval = 0
        public var dockedAt: Date?
        /// When the link-loss failsafe acted (stopped, then returned or held), if it did.
        public var failsafeAt: Date?
        /// Messages lost because the simulated link was down.
        public var lostInLinkCut = 0
        /// Sessions opened again after the link came back.
        public var reconnects = 0
    }

    /// One leg of the walk: to `target` on `level`, along `edge` of the map when it is one.
    struct Leg {
        var target: XY
        var level: Int
        var kind: Waypoint.Kind
        /// The index in the uploaded route of the waypoint this leg heads for.
        var routeIndex: Int
        var edge: Int?
    }

    let scenario: RobotScenario
    let station: XY
    let stationLevel: Int
    let frame: SiteFrame
    let map: RobotMap
    let clock: VirtualClock
    let session: LockstepLink
    let logger: Logger
    /// How long to wait in real time for an answer before giving up (a hung coordinator).
    public var answerTimeout: Duration {
        get { session.answerTimeout }
        set { session.answerTimeout = newValue }
    }

    var random: SeededRandom
    var flightID: String?
    var routeCount = 0
    var legs: [Leg] = []
    var legIndex = 0
    var legStarted = false
    var position: XY
    var level: Int
    /// Compass heading, degrees clockwise from north.
    var heading = 0.0
    var speedNow = 0.0
    var waitLeft = 0.0
    var dwellLeft = 0.0
    var paused = false
    var returning = false
    var aborted = false
    var energyUsedWh: Double
    var pendingReadings: [String: (reading: SensorReading, lastSent: Date)] = [:]
    var pendingDetections: [String: (report: DetectionReport, lastSent: Date)] = [:]
    var pendingEvents: [String: DeviceEvent] = [:]
    var answered: [String: CommandAck] = [:]
    var seenObjects: Set<String> = []
    var reportedBlocks: Set<Int> = []
    var counter = 0
    var began: Date?
    var nextSample: Date?
    /// When the coordinator last echoed a heartbeat (the link-loss failsafe counts from it).
    var lastEcho: Date?
    var linkWasCut = false
    /// Stopped by the link-loss failsafe's `hold` until the link is back.
    var heldForLink = false
    public internal(set) var summary = Summary()

    /// - Parameters:
    ///   - scenario: the robot's body, the world and the seed.
    ///   - site: the site whose path graph and robot station the robot knows.
    ///   - station: the id of its station (a robot station of the site and a node of the path graph).
    ///   - link: a connected client whose identity is the robot's id.
    /// - Throws: ``Failure`` when the site has no such station or its map cannot be projected.
    public init(
        scenario: RobotScenario, site: Site, station: String, clock: VirtualClock, link: LinkClient, logger: Logger
    ) throws(Failure) {
        self.scenario = scenario
        self.clock = clock
        self.session = LockstepLink(name: scenario.robot.id, link: link, clock: clock, logger: logger)
        self.logger = logger
        self.random = SeededRandom(seed: scenario.seed ^ FNV1a64.hash(scenario.robot.id))
        guard let home = site.robotStations.first(where: { $0.id == station }) else {
            throw Failure(message: "the site has no robot station `\(station)`")
        }
        do {
            frame = try SiteFrame(crs: site.crs)
            map = try RobotMap(site: site, frame: frame, speed: 1.2)
            self.station = try frame.project(home.position)
        } catch {
            throw Failure(message: "cannot project the site's paths: \(error)")
        }
        let map = self.map
        stationLevel = map.node(at: self.station, level: 0, tolerance: 5).map { map.levels[$0] } ?? 0
        position = self.station
        level = stationLevel
        energyUsedWh = (1 - scenario.robot.batteryStart) * scenario.robot.batteryWh
    }

    var battery: Double { max(0, min(1, 1 - energyUsedWh / scenario.robot.batteryWh)) }

    /// Runs one session: hello, accept the uploaded round, wait for `start`, walk it, dock, wait
    /// until everything sent has been acknowledged, then charge for the scenario's `charge_after_min`.
    ///
    /// - Throws: ``Failure`` when the coordinator does not answer in time, sends a route the
    ///   robot cannot walk, or the robot is stranded (every way home blocked).
    public func run() async throws(Failure) -> Summary {
        try await lockstep { () async throws(SimulatedGateway.Failure) in
            try await session.hello(
                Hello(
                    kind: .robot,
                    capabilities: [
                        "camera.visual", "detect.garbage", "detect.corridor_clutter", "detect.person_fallen",
                        "gas.co", "gas.ch4", "gas.h2s", "voice.speak",
                    ],
                    firmware: "patrol-sim-robot/1"))
        }
        var upload: MissionUpload?
        try await lockstep { () async throws(SimulatedGateway.Failure) in
            try await session.expect("mission_upload", handle: handle) {
                if case .missionUpload(let u) = $0 { upload = u }
                return upload != nil
            }
        }
        guard let upload else { throw Failure(message: "unreachable") }
        try accept(upload)
        var start: Command?
        try await lockstep { () async throws(SimulatedGateway.Failure) in
            try await session.expect("start command", handle: handle) {
                if case .command(let c) = $0, c.action == .start { start = c }
                return start != nil
            }
        }
        guard let start else { throw Failure(message: "unreachable") }
        answer(start, accepted: true)
        let began = clock.now()
        self.began = began
        nextSample = began
        event(.tookOff, detail: "left \(map.nodes[map.node(at: station, level: stationLevel, tolerance: 5) ?? 0])")
        try await walk()
        try await waitForLink()
        summary.batteryAtDock = battery
        summary.dockedAt = clock.now()
        summary.duration = clock.now().timeIntervalSince(began)
        event(
            .landed,
            detail: aborted ? "aborted: stopped on the way" : String(format: "docked, battery %.0f%%", battery * 100))
        try await drain()
        try await charge()
        summary.flightID = flightID
        summary.batteryRemaining = battery
        return summary
    }

    // MARK: Session

    func lockstep(_ body: () async throws(SimulatedGateway.Failure) -> Void) async throws(Failure) {
        do { try await body() } catch { throw Failure(message: error.message) }
    }

    /// Sends `message`, unless the simulated link is down: then it is lost, as on a dead radio.
    func send(_ message: WireMessage) {
        if isLinkCut {
            summary.lostInLinkCut += 1
            return
        }
        session.send(message)
    }

    /// Checks the upload (checksum, a round from and back to the station) and turns it into legs.
    func accept(_ upload: MissionUpload) throws(Failure) {
        let checksum = RouteChecksum.of(upload.route)
        let waypoints = upload.route.waypoints
        var reason: String?
        if checksum != upload.checksum { reason = "checksum mismatch: computed \(checksum), sent \(upload.checksum)" }
        if waypoints.count < 2 || waypoints.first?.kind != .takeoff || waypoints.last?.kind != .land {
            reason = "a round must leave from the station (takeoff) and end there (land)"
        }
        if waypoints.contains(where: { !$0.position.isValid || !$0.altitude.isFinite || $0.speed <= 0 }) {
            reason = "invalid waypoint"
        }
        var legs: [Leg] = []
        if reason == nil {
            do {
                let xy = try frame.project(waypoints.map(\.position))
                var previous = (xy[0], Int((waypoints[0].altitude / 4).rounded()))
                for i in 1..<waypoints.count {
                    let level = Int((waypoints[i].altitude / 4).rounded())
                    let edge = map.edge(from: previous.0, previous.1, to: xy[i], level)
                    legs.append(Leg(target: xy[i], level: level, kind: waypoints[i].kind, routeIndex: i, edge: edge))
                    previous = (xy[i], level)
                }
                if xy[0].distance(to: station) > 5 { reason = "the round does not start at this robot's station" }
            } catch {
                reason = "cannot project the route: \(error)"
            }
        }
        send(
            .missionAck(
                MissionAck(flightID: upload.flightID, accepted: reason == nil, checksum: checksum, reason: reason)))
        if let reason { throw Failure(message: "refused the round: \(reason)") }
        self.legs = legs
        routeCount = waypoints.count
        flightID = upload.flightID
    }

    /// Reacts to what may come at any time: acknowledgements and commands.
    func handle(_ message: WireMessage) {
        switch message {
        case .readingsAck(let ack): for id in ack.readingIDs { pendingReadings[id] = nil }
        case .detectionAck(let ack): pendingDetections[ack.detectionID] = nil
        case .eventAck(let ack): pendingEvents[ack.eventID] = nil
        case .command(let command): obey(command)
        case .error(let report):
            logger.warning(
                "coordinator error", metadata: ["wire.code": "\(report.code)", "wire.message": "\(report.message)"])
        default: break
        }
    }

    func answer(_ command: Command, accepted: Bool, reason: String? = nil) {
        let ack = CommandAck(commandID: command.id, accepted: accepted, reason: reason)
        answered[command.id] = ack
        send(.commandAck(ack))
    }

    /// Carries out a command once; a repeated id gets the same answer again.
    func obey(_ command: Command) {
        if let ack = answered[command.id] {
            send(.commandAck(ack))
            return
        }
        if command.action == .speak {
            let text = command.text ?? ""
            summary.spoken.append(Spoken(time: clock.now(), commandID: command.id, text: text))
            logger.notice("robot says", metadata: ["device.id": "\(scenario.robot.id)", "robot.text": "\(text)"])
            answer(command, accepted: true)
            return
        }
        guard began != nil, legIndex < legs.count, command.flightID == nil || command.flightID == flightID else {
            answer(command, accepted: false, reason: "no round in progress on this robot")
            return
        }
        switch command.action {
        case .pause: paused = true
        case .resume: paused = false
        case .returnToHive:
            guard goHome() else {
                answer(command, accepted: false, reason: "no way back to the station")
                return
            }
            paused = false
        case .abort:
            aborted = true
            legs.removeSubrange(legIndex...)
        case .start:
            answer(command, accepted: false, reason: "already on a round")
            return
        case .switchActuator:
            answer(command, accepted: false, reason: "this robot has no actuators")
            return
        case .goTo:
            answer(command, accepted: false, reason: "go_to is for aircraft: this robot walks its path graph")
            return
        case .speak: return
        }
        answer(command, accepted: true)
    }

    func nextID(_ prefix: String) -> String {
        counter += 1
        return "\(scenario.robot.id)/\(prefix)-\(counter)"
    }

    func event(_ kind: DeviceEvent.Kind, detail: String? = nil) {
        let e = DeviceEvent(id: nextID("e"), kind: kind, flightID: flightID, detail: detail)
        pendingEvents[e.id] = e
        send(.event(e))
    }

    /// Heartbeat and wait for its echo: the coordinator has handled everything sent before.
    func barrier() async throws(Failure) {
        try await lockstep { () async throws(SimulatedGateway.Failure) in try await session.barrier(handle: handle) }
        lastEcho = clock.now()
    }

    /// Waits until every reading, detection and event has been acknowledged, resending what was not.
    func drain() async throws(Failure) {
        var rounds = 0
        while true {
            try await barrier()
            if pendingReadings.isEmpty && pendingDetections.isEmpty && pendingEvents.isEmpty { return }
            rounds += 1
            if rounds > 20 {
                throw Failure(
                    message: "\(pendingReadings.count + pendingDetections.count + pendingEvents.count) "
                        + "message(s) never acknowledged")
            }
            resend(force: true)
        }
    }
}
