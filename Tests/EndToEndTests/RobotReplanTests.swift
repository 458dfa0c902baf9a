import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Robot rounds re-planned live, against real sockets on a virtual clock, the robots played by
/// hand on their links (hello, a docked battery report, the uploads they receive): the night's
/// 02:00 basement round refused for charge is moved to the time the charger has filled the robot
/// (or refused when that is past the 03:00 round); a round leaving late is shifted off the narrow
/// edges another robot's round is driving, or is due to drive on time in the same step; and a robot of another station (`other_stations`)
/// drives the round, planned from its station, when the round's own robot is out of service.
@Suite(.timeLimit(.minutes(1)))
struct RobotReplanTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// 2026-11-26 local midnight.
    static var midnight: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: 2026, month: 11, day: 26))!
    }

    static func at(_ hours: Double) -> Date { midnight.addingTimeInterval(hours * 3600) }

    struct Rig {
        var clock: VirtualClock
        var context: ZMQContext
        var server: LinkServer
        var coordinator: Coordinator
        var store: PatrolStore
        var service: Task<Void, Never>
        var logger: Logger
        var robots: [String: LinkClient] = [:]

        func close() async {
            for robot in robots.values { robot.close() }
            server.close()
            await service.value
            context.shutdown()
        }

        /// Connects a robot that reports itself docked with `battery` (a fraction) now.
        mutating func robot(_ id: String, battery: Double, at position: LonLat) async throws {
            let client = try LinkClient(context: context, endpoint: server.endpoint, identity: id, logger: logger)
            let now = clock.now()
            client.send(.hello(Hello(kind: .robot, capabilities: [])), time: now)
            #expect(await SortieTests.next(client) { if case .welcome = $0 { true } else { false } } != nil)
            let docked = Telemetry(
                time: now, position: position, altitude: 0, heading: 0, speed: 0, battery: battery, state: .landed,
                waypointIndex: 0)
            client.send(.telemetry(TelemetryReport(flightID: nil, telemetry: docked)), time: now)
            client.send(.heartbeat, time: now)
            #expect(await SortieTests.next(client) { $0 == .heartbeat } != nil)
            robots[id] = client
        }

        /// Moves the clock and lets the coordinator bring its sorties up to date.
        func advance(to date: Date) async {
            clock.advance(to: date)
            await coordinator.runSorties()
        }
    }

    /// A coordinator on the virtual clock at `start`, with no liveness in the way of its jumps.
    static func rig(start: Date, fleet: Fleet, site: Site) async throws -> Rig {
        let clock = VirtualClock(start: start)
        let context = ZMQContext()
        var logger = Logger(label: "robot-replan")
        logger.logLevel = .critical
        let store = try PatrolStore(
            path: TestKit.temporaryDirectory("robot-replan").appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://robot-replan-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 86_400, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        await coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: site)))
        return Rig(
            clock: clock, context: context, server: server, coordinator: coordinator, store: store, service: service,
            logger: logger)
    }

    static func basement() throws -> (mission: Mission, site: Site, fleet: Fleet) {
        let loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        return (loaded.mission, loaded.site, fleet)
    }

    /// The basement round and the site's fleet with a second robot that carries a camera only (it
    /// cannot take robot-1's gas round), and the same round with a camera only, for it.
    static func cameraRobotAndRound() throws -> (mission: Mission, cameraRound: Mission, site: Site, fleet: Fleet) {
        let (mission, site, base) = try basement()
        var fleet = base
        var second = fleet.robots[0]
        second.id = "robot-2"
        second.sensors = [.camera]
        fleet.robots.append(second)
        var other = mission
        other.id = "basement-round-b"
        other.name = "The same round with a camera only, for the second robot"
        guard case .robotRound(var cameraOnly) = other.kind else { throw CancellationError() }
        cameraOnly.sensors = [.camera]
        other.kind = .robotRound(cameraOnly)
        return (mission, other, site, fleet)
    }

    /// Watt-hours `robot` needs for the round of `mission`, as the scheduler counts it.
    static func need(_ mission: Mission, site: Site, robot: Robot) throws -> (energy: Double, task: RobotRoundTask) {
        let task = try #require(try RobotRoundTask(mission: mission, site: site))
        return (robot.power * task.timing(for: robot).duration / 3600, task)
    }

    /// The first upload `client` receives.
    static func upload(_ client: LinkClient) async -> MissionUpload? {
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                client,
                { message in
                    if case .missionUpload = message { true } else { false }
                })
        else { return nil }
        return upload
    }

    // MARK: - Moved later

    @Test func aRoundRefusedForChargeAt0200LeavesWhenTheChargerHasFilledTheRobot() async throws {
        let (mission, site, fleet) = try Self.basement()
        let robot = fleet.robots[0]
        let (need, _) = try Self.need(mission, site: site, robot: robot)
        // Docked at 01:50 holding 215 Wh less than the round and its reserve: on its charger, at
        // 300 W it gains 5 Wh a minute, so it is short all through the 02:00 round's 20 minutes and
        // charged enough at 02:33.
        let docked = Self.at(1 + 50.0 / 60)
        let level = need + robot.batteryWh * robot.reserve - 215
        var rig = try await Self.rig(start: docked, fleet: fleet, site: site)
        try await rig.robot("robot-1", battery: level / robot.batteryWh, at: site.robotStations[0].position)
        let round = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: Self.at(2), priority: 6,
                origin: .scheduled))
        #expect(round.state == .queued)
        await rig.advance(to: Self.at(2))
        let waiting = try #require(await rig.coordinator.sortie(round.id))
        #expect(waiting.state == .queued && waiting.reason?.hasPrefix("waiting: robot-1 battery") == true)

        // The window (20 min) is over: moved, not refused, to the time its charging model gives.
        await rig.advance(to: Self.at(2 + 20.0 / 60))
        let moved = try #require(await rig.coordinator.sortie(round.id))
        let ready = docked.addingTimeInterval(215 * 3600 / robot.chargePower)
        #expect(moved.state == .queued, "\(moved.reason ?? "")")
        #expect(abs(moved.plannedLaunch.timeIntervalSince(ready)) <= 1, "\(moved.plannedLaunch) vs \(ready)")
        #expect(moved.vehicle == "robot-1")
        #expect(moved.reason?.hasPrefix("moved to 02:33:0") == true, "\(moved.reason ?? "")")
        #expect(moved.reason?.contains(" on robot-1 (the earliest it is free") == true, "\(moved.reason ?? "")")
        #expect(
            moved.reason?.contains("robot-1 battery") == true, "the reason it could not leave: \(moved.reason ?? "")")

        // Not a second before; at its time it goes, on robot-1.
        await rig.advance(to: moved.plannedLaunch.addingTimeInterval(-1))
        #expect(await rig.coordinator.sortie(round.id)?.state == .queued)
        await rig.advance(to: moved.plannedLaunch)
        let client = try #require(rig.robots["robot-1"])
        let upload = try #require(await Self.upload(client))
        #expect(upload.flightID == round.id)
        let launched = try #require(await rig.coordinator.sortie(round.id))
        #expect(launched.state == .uploading && launched.launchedAt == moved.plannedLaunch)
        // From the time the schedule asked for.
        #expect(launched.requestToLaunch == moved.plannedLaunch.timeIntervalSince(Self.at(2)))
        await rig.close()
    }

    @Test func aRoundThatCannotChargeBeforeTheNextOccurrenceIsRefusedWithWhy() async throws {
        let (mission, site, base) = try Self.basement()
        var fleet = base
        // A slow charger (100 W): the round and its 300 Wh reserve take over three hours to charge.
        fleet.robots[0].chargePower = 100
        var rig = try await Self.rig(start: Self.at(1 + 50.0 / 60), fleet: fleet, site: site)
        try await rig.robot("robot-1", battery: 0, at: site.robotStations[0].position)
        let round = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: Self.at(2), priority: 6,
                origin: .scheduled))
        await rig.advance(to: Self.at(2))
        await rig.advance(to: Self.at(2 + 20.0 / 60))
        let refused = try #require(await rig.coordinator.sortie(round.id))
        #expect(refused.state == .refused)
        let reason = refused.reason ?? ""
        #expect(reason.hasPrefix("robot-1 battery"), "\(reason)")
        #expect(reason.contains("not moved later: no start from 02:20 to 03:00"), "\(reason)")
        #expect(reason.contains("`robot-1` charging"), "\(reason)")
        await rig.close()
    }

    // MARK: - Narrow edges

    @Test func aRoundLeavingLateIsShiftedOffTheNarrowEdgesAnotherRobotIsDriving() async throws {
        let (mission, other, site, fleet) = try Self.cameraRobotAndRound()
        let robot = fleet.robots[0]
        let (need, task) = try Self.need(mission, site: site, robot: robot)
        var rig = try await Self.rig(start: Self.at(1 + 50.0 / 60), fleet: fleet, site: site)
        // robot-1 is 80 Wh short at 01:50: on its charger at 300 W, it can leave at 02:06.
        let station = site.robotStations[0].position
        try await rig.robot(
            "robot-1", battery: (need + robot.batteryWh * robot.reserve - 80) / robot.batteryWh, at: station)
        let late = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: Self.at(2), priority: 6,
                origin: .scheduled))
        let onTime = await rig.coordinator.request(
            SortieRequest(
                mission: other, site: site, vehicle: "robot-2", notBefore: Self.at(2 + 5.0 / 60), priority: 6,
                origin: .scheduled))
        await rig.advance(to: Self.at(2))
        #expect(await rig.coordinator.sortie(late.id)?.reason?.hasPrefix("waiting: robot-1 battery") == true)
        // robot-2 comes on line at 02:03 and leaves on time at 02:05, over the same narrow edges.
        rig.clock.advance(to: Self.at(2 + 3.0 / 60))
        try await rig.robot("robot-2", battery: 1, at: station)
        await rig.advance(to: Self.at(2 + 5.0 / 60))
        #expect(await Self.upload(try #require(rig.robots["robot-2"]))?.flightID == onTime.id)
        #expect(await rig.coordinator.sortie(onTime.id)?.state == .uploading)
        #expect(await rig.coordinator.sortie(late.id)?.state == .queued)

        // robot-1 is charged at 02:06 (80 Wh from 01:50 at 300 W): leaving now it would meet
        // robot-2 on the narrow edges, so it is shifted until it enters each as robot-2 leaves it.
        let charged = Self.at(1 + 50.0 / 60).addingTimeInterval(80 * 3600 / robot.chargePower + 2)
        await rig.advance(to: charged)
        let shifted = try #require(await rig.coordinator.sortie(late.id))
        #expect(shifted.state == .queued)
        let reason = shifted.reason ?? ""
        #expect(reason.hasPrefix("shifted for a narrow edge: narrow edge `"), "\(reason)")
        #expect(reason.contains("is taken by \(onTime.id) (robot-2, driving)"), "\(reason)")
        // The edge rule: robot-1's narrow edges at the shifted time meet none of robot-2's, and a
        // second earlier they would.
        let uses = task.timing(for: robot).narrow
        func meets(_ start: Date) -> Bool {
            uses.contains { mine in
                uses.contains { theirs in
                    mine.edge == theirs.edge
                        && start.addingTimeInterval(mine.from) < Self.at(2 + 5.0 / 60).addingTimeInterval(theirs.to)
                        && Self.at(2 + 5.0 / 60).addingTimeInterval(theirs.from) < start.addingTimeInterval(mine.to)
                }
            }
        }
        #expect(shifted.plannedLaunch > charged)
        #expect(!meets(shifted.plannedLaunch))
        #expect(meets(shifted.plannedLaunch.addingTimeInterval(-1.5)))
        // The event says it too.
        var said: SortieStatus?
        for await event in rig.coordinator.events {
            if case .sortieChanged(let status) = event, status.id == late.id,
                status.reason?.hasPrefix("shifted for a narrow edge") == true
            {
                said = status
                break
            }
        }
        #expect(said?.plannedLaunch == shifted.plannedLaunch)

        // At its shifted time it goes.
        await rig.advance(to: shifted.plannedLaunch)
        #expect(await Self.upload(try #require(rig.robots["robot-1"]))?.flightID == late.id)
        #expect(await rig.coordinator.sortie(late.id)?.launchedAt == shifted.plannedLaunch)
        await rig.close()
    }

    @Test func aLateRoundDueInTheSameStepAsAnOnTimeOneGivesItTheNarrowEdges() async throws {
        let (mission, other, site, fleet) = try Self.cameraRobotAndRound()
        let robot = fleet.robots[0]
        let (need, _) = try Self.need(mission, site: site, robot: robot)
        var rig = try await Self.rig(start: Self.at(1 + 50.0 / 60), fleet: fleet, site: site)
        // robot-1 can leave from 02:04 (70 Wh short at 01:50); robot-2's round is due at 02:05.
        let station = site.robotStations[0].position
        try await rig.robot(
            "robot-1", battery: (need + robot.batteryWh * robot.reserve - 70) / robot.batteryWh, at: station)
        try await rig.robot("robot-2", battery: 1, at: station)
        let late = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: Self.at(2), priority: 6,
                origin: .scheduled))
        let onTime = await rig.coordinator.request(
            SortieRequest(
                mission: other, site: site, vehicle: "robot-2", notBefore: Self.at(2 + 5.0 / 60), priority: 6,
                origin: .scheduled))
        await rig.advance(to: Self.at(2))
        // Both due at 02:05: the late round is tried first (its planned time is earlier), and
        // keeps off the on-time round, which leaves unchecked at its time.
        await rig.advance(to: Self.at(2 + 5.0 / 60))
        let robot2 = try #require(rig.robots["robot-2"])
        #expect(await Self.upload(robot2)?.flightID == onTime.id)
        #expect(await rig.coordinator.sortie(onTime.id)?.launchedAt == Self.at(2 + 5.0 / 60))
        let shifted = try #require(await rig.coordinator.sortie(late.id))
        #expect(shifted.state == .queued && shifted.plannedLaunch > Self.at(2 + 5.0 / 60))
        #expect(
            shifted.reason?.contains("is taken by \(onTime.id) (robot-2, planned)") == true, "\(shifted.reason ?? "")")
        await rig.close()
    }

    // MARK: - Another station

    /// The site with a second robot station, 50 m north of the path junction by the north gate.
    static func twoStations(_ site: Site) -> Site {
        var site = site
        let junction = LonLat(lon: 114.1334243, lat: 22.57325)
        let position = LonLat(lon: 114.1334243, lat: 22.5737)
        site.robotStations.append(RobotStation(id: "station-2", name: "Robot station (north)", position: position))
        site.paths.append(
            PathEdge(
                id: "station-2--j352-360", from: "station-2", to: "j352-360", kind: .path, line: [position, junction]))
        return site
    }

    @Test func aRobotOfAnotherStationDrivesTheRoundWhenItsOwnIsOutOfService() async throws {
        let (base, plain, baseFleet) = try Self.basement()
        let site = Self.twoStations(plain)
        var mission = base
        guard case .robotRound(var spec) = mission.kind else { throw CancellationError() }
        spec.otherStations = ["station-2"]
        mission.kind = .robotRound(spec)
        var fleet = baseFleet
        var north = fleet.robots[0]
        north.id = "robot-2"
        north.station = "station-2"
        fleet.robots.append(north)
        var rig = try await Self.rig(start: Self.at(1 + 50.0 / 60), fleet: fleet, site: site)
        try await rig.robot("robot-1", battery: 1, at: site.robotStations[0].position)
        try await rig.robot("robot-2", battery: 1, at: site.robotStations[1].position)
        let round = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: Self.at(2), priority: 6,
                origin: .scheduled))
        #expect(round.state == .queued, "\(round.reason ?? "")")
        // robot-1 is taken out of service before its round.
        var serviced = fleet
        serviced.robots[0].state = .maintenance
        await rig.coordinator.configureSorties(
            SortieFleet(fleet: serviced, hivePositions: try ScheduleProblem.hivePositions(of: serviced, site: site)))
        await rig.advance(to: Self.at(2))
        let northClient = try #require(rig.robots["robot-2"])
        let upload = try #require(await Self.upload(northClient))
        #expect(upload.flightID == round.id)
        let taken = try #require(await rig.coordinator.sortie(round.id))
        #expect(taken.state == .uploading && taken.vehicle == "robot-2")
        #expect(taken.launchedAt == Self.at(2))
        // Planned from station-2: it leaves and docks there, over the same checkpoints.
        let first = try #require(upload.route.waypoints.first)
        let last = try #require(upload.route.waypoints.last)
        #expect(first.position == site.robotStations[1].position && last.position == first.position)
        let own = try RobotRoundPlanner.plan(base, site: site)
        let stops = upload.route.waypoints.filter { $0.kind == Waypoint.Kind.survey }.count
        #expect(stops == own.route.waypoints.filter { $0.kind == Waypoint.Kind.survey }.count)
        let record = try #require(try rig.store.robotRound(round.id))
        #expect(record.robotID == "robot-2" && record.station == "station-2")
        #expect(Set(record.checkpoints.map(\.name)) == Set(spec.checkpoints))
        await rig.close()
    }

    @Test func withoutOtherStationsTheRoundWaitsForItsOwnStationThenIsRefused() async throws {
        let (mission, plain, baseFleet) = try Self.basement()
        let site = Self.twoStations(plain)
        var fleet = baseFleet
        fleet.robots[0].state = .maintenance
        var north = baseFleet.robots[0]
        north.id = "robot-2"
        north.station = "station-2"
        fleet.robots.append(north)
        var rig = try await Self.rig(start: Self.at(1 + 50.0 / 60), fleet: fleet, site: site)
        try await rig.robot("robot-2", battery: 1, at: site.robotStations[1].position)
        let round = await rig.coordinator.request(
            SortieRequest(mission: mission, site: site, notBefore: Self.at(2), priority: 6, origin: .scheduled))
        await rig.advance(to: Self.at(2))
        let waiting = try #require(await rig.coordinator.sortie(round.id))
        #expect(waiting.state == .queued && waiting.vehicle == nil, "\(waiting.reason ?? "")")
        #expect(waiting.reason?.contains("robot-2") == false, "\(waiting.reason ?? "")")
        // Past its window: no robot may drive it before 03:00, so it is refused, saying why.
        await rig.advance(to: Self.at(2 + 20.0 / 60))
        let refused = try #require(await rig.coordinator.sortie(round.id))
        #expect(refused.state == .refused)
        #expect(
            refused.reason?.contains("not moved later: no start from 02:20 to 03:00: `robot-1` is maintenance") == true,
            "\(refused.reason ?? "")")
        await rig.close()
    }
}
