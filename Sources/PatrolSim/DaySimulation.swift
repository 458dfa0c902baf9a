public import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// Runs a ``DayScenario``'s devices against a coordinator's endpoint: the fleet's drones (each
/// a ``DayDrone``) and its hives (status with the scenario's weather every minute), stepping the
/// virtual clock in lockstep: one telemetry period while a drone flies, a few seconds (under the
/// heartbeat timeout) while all are docked. Devices take turns in a fixed order, each ending its
/// turn with a heartbeat and its echo, so a run is the same however fast the machine is.
public final class DaySimulation {
    /// What the devices did.
    public struct Summary: Sendable {
        public var simulated: TimeInterval = 0
        public var steps = 0
        /// Sorties flown (take-offs) by each drone.
        public var sorties: [String: Int] = [:]
        public var telemetrySent = 0
        public var detectionsSent = 0
        public var failsafes = 0
        public var hiveStatuses = 0
        /// Rounds walked (starts) by each robot.
        public var rounds: [String: Int] = [:]
    }

    /// Seconds per step while every drone is docked: under the coordinator's 3 s heartbeat timeout
    /// (silence is lost only when longer than the timeout).
    public static let idleStep = 2.9

    let scenario: DayScenario
    let fleet: Fleet
    let site: Site
    let camera: CameraSpec
    let logger: Logger
    /// The robot round mission file when the day has robot rounds (each of the fleet's robots then
    /// takes part, connected all day at its station); `nil` for drones only.
    let robotMission: URL?

    public init(
        scenario: DayScenario, fleet: Fleet, site: Site, camera: CameraSpec, logger: Logger, robotMission: URL? = nil
    ) {
        self.scenario = scenario
        self.fleet = fleet
        self.site = site
        self.camera = camera
        self.logger = logger
        self.robotMission = robotMission
    }

    /// The fleet's robots as day devices: their body from the fleet (battery, drive power,
    /// charging, reserve), full at the start of the day as the scheduler assumes, unless the
    /// scenario's `robot_battery` says otherwise.
    func dayRobots(context: ZMQContext, endpoint: String, clock: VirtualClock, clients: inout [LinkClient]) throws
        -> [DayRobot]
    {
        guard let robotMission else { return [] }
        var robots: [DayRobot] = []
        for (index, spec) in fleet.robots.sorted(by: { $0.id < $1.id }).enumerated() {
            let body = RobotScenario.Robot(
                id: spec.id, batteryWh: spec.batteryWh, batteryStart: scenario.robotBattery[spec.id] ?? 1,
                drivePowerW: spec.power,
                chargePowerW: spec.chargePower, reserve: spec.reserve * 0.75)
            let own = RobotScenario(
                id: "\(scenario.id)/\(spec.id)", missionFile: robotMission,
                seed: scenario.seed &+ 1000 &+ UInt64(index), start: scenario.start,
                telemetryRate: scenario.telemetryRate, robot: body)
            let client = try LinkClient(context: context, endpoint: endpoint, identity: spec.id, logger: logger)
            clients.append(client)
            let robot = try SimulatedRobot(
                scenario: own, site: site, station: spec.station, clock: clock, link: client, logger: logger)
            robots.append(DayRobot(id: spec.id, robot: robot))
        }
        return robots
    }

    /// Runs the day against the coordinator at `endpoint`.
    ///
    /// - Parameter beforeStep: called after the clock moved, before any device speaks (the harness
    ///   lets the coordinator launch what is due, and raises the scenario's alarms); it returns
    ///   whether anything changed, which makes the step's exchanges take turns.
    /// - Parameter settle: called before the clock moves (the harness lets the coordinator finish
    ///   what it is working on off its actor, a re-plan: `Coordinator.settled()`), so the virtual
    ///   day never moves on under work in flight and a run is the same however fast the machine is;
    ///   it returns whether anything changed (the next step's exchanges then take turns).
    /// - Throws: ``SimulatedDrone/Failure`` or ``SimulatedGateway/Failure`` when the coordinator
    ///   stops answering; ``LinkError`` or ``GeoError`` when a device cannot be set up.
    public func run(
        context: ZMQContext, endpoint: String, clock: VirtualClock, beforeStep: (Date) async -> Bool,
        settle: () async -> Bool = { false }
    ) async throws -> Summary {
        var clients: [LinkClient] = []
        defer { for client in clients { client.close() } }
        var hives: [(id: String, link: LockstepLink)] = []
        for hive in fleet.hives.sorted(by: { $0.id < $1.id }) {
            let client = try LinkClient(context: context, endpoint: endpoint, identity: hive.id, logger: logger)
            clients.append(client)
            let link = LockstepLink(name: hive.id, link: client, clock: clock, logger: logger)
            try await link.hello(Hello(kind: .hive, capabilities: ["weather"], firmware: "patrol-sim/1"))
            hives.append((hive.id, link))
        }
        var drones: [DayDrone] = []
        for (index, spec) in fleet.drones.sorted(by: { $0.id < $1.id }).enumerated() {
            guard let hive = site.hive(spec.hive) else {
                throw SimulatedDrone.Failure(message: "the site has no hive `\(spec.hive)` for \(spec.id)")
            }
            var physics = scenario.drone
            physics.id = spec.id
            physics.batteryWh = spec.batteryWh
            let own = Scenario(
                id: "\(scenario.id)/\(spec.id)", missionFile: scenario.fleetFile, seed: scenario.seed &+ UInt64(index),
                start: scenario.start, telemetryRate: scenario.telemetryRate, drone: physics,
                windSpeed: scenario.windSpeed, windFrom: scenario.windFrom, fires: scenario.fires)
            let client = try LinkClient(context: context, endpoint: endpoint, identity: spec.id, logger: logger)
            clients.append(client)
            let drone = try SimulatedDrone(
                scenario: own, camera: camera, hive: hive, crs: site.crs, clock: clock, link: client, logger: logger)
            drone.energyUsedWh = spec.batteryWh - spec.initialChargeWh
            let power = fleet.hive(spec.hive)?.charging.power ?? 400
            drones.append(
                DayDrone(
                    id: spec.id, drone: drone, chargePower: power,
                    cuts: scenario.linkCuts.filter { $0.drone == spec.id },
                    onlineFrom: scenario.start.addingTimeInterval(scenario.onlineFrom[spec.id] ?? scenario.begin)))
            drones[drones.count - 1].batteryFailures = scenario.batteryFailures.filter { $0.drone == spec.id }
        }
        let robots = try dayRobots(context: context, endpoint: endpoint, clock: clock, clients: &clients)
        for robot in robots { try await robot.connect() }
        // The coordinator settles at the start before the clock first moves: after its last frame
        // (a robot's report or heartbeat) it runs its sorties, and that must read this time, not
        // the first step's (which would launch a round due now before the drones connect).
        _ = await beforeStep(clock.now())
        var summary = Summary()
        var t = scenario.begin
        let end = scenario.begin + scenario.duration
        var lastReport = -Double.infinity
        var lastWeather = scenario.weather(at: t)
        while t < end {
            let flying = drones.contains { $0.flying }
            let dt = flying ? 1 / scenario.telemetryRate : Self.idleStep
            t = min(end, t + dt)
            let settled = await settle()
            clock.advance(to: scenario.start.addingTimeInterval(t))
            for drone in drones where !drone.connected && drone.onlineFrom <= clock.now() { try await drone.connect() }
            // Every minute, and at once when the weather changes (a station reports changes promptly);
            // before anything is launched this step, so gating sees the weather of now.
            let weather = scenario.weather(at: t)
            let report = t - lastReport >= 60 || weather != lastWeather
            if report {
                lastReport = t
                lastWeather = weather
                for (id, link) in hives {
                    link.send(
                        .hiveStatus(
                            HiveStatus(
                                door: .closed, charging: true, windSpeed: weather.wind, windFrom: scenario.windFrom,
                                rain: weather.rain, temperature: 20)))
                    summary.hiveStatuses += 1
                    do { try await link.barrier(handle: { _ in }) } catch {
                        throw SimulatedDrone.Failure(message: "\(id): \(error)")
                    }
                }
            }
            let changed = await beforeStep(clock.now()) || settled
            let online = drones.filter { $0.connected }
            if !changed, !report, !online.contains(where: { $0.isBusy }), !robots.contains(where: { $0.isBusy }) {
                // Nothing but heartbeats: send them all, then await the echoes, so they overlap.
                for drone in online { try await drone.step(dt, deferEcho: true) }
                for robot in robots { try await robot.step(dt, deferEcho: true) }
                for (_, link) in hives { link.send(.heartbeat) }
                for drone in online { try await drone.finishStep() }
                for robot in robots { try await robot.finishStep() }
                for (id, link) in hives {
                    do { try await link.expect("heartbeat echo", handle: { _ in }) { $0 == .heartbeat } } catch {
                        throw SimulatedDrone.Failure(message: "\(id): \(error)")
                    }
                }
                summary.steps += 1
                continue
            }
            for drone in online { try await drone.step(dt) }
            for robot in robots { try await robot.step(dt) }
            if !report {
                for (id, link) in hives {
                    do { try await link.barrier(handle: { _ in }) } catch {
                        throw SimulatedDrone.Failure(message: "\(id): \(error)")
                    }
                }
            }
            summary.steps += 1
        }
        summary.simulated = t - scenario.begin
        for drone in drones {
            summary.sorties[drone.id] = drone.sorties
            summary.telemetrySent += drone.drone.summary.telemetrySent
            summary.detectionsSent += drone.drone.summary.detectionsSent
        }
        for robot in robots {
            summary.rounds[robot.id] = robot.rounds
            summary.telemetrySent += robot.robot.summary.telemetrySent
            summary.detectionsSent += robot.robot.summary.detectionsSent
        }
        return summary
    }
}
