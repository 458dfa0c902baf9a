import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Robot rounds from the day's schedule, run by the coordinator: the basement round's 22:00
/// occurrence is applied from `RobotScheduler`, kept across a restart of the coordinator, sent
/// to the simulated robot (real ZeroMQ sockets, virtual clock) at its time and recorded with
/// its checkpoints; a round cut short hands its first missed checkpoint to the next round.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RobotScheduleTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    struct Day {
        var mission: LoadedMission
        var fleet: Fleet
        var positions: [String: XY]
        var schedule: RobotSchedule
        /// Local midnight of the scenario's day.
        var midnight: Date
    }

    static func day(_ scenario: RobotScenario) throws -> Day {
        let loaded = try Mission.load(from: scenario.missionFile)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let positions = try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)
        let task = try #require(try RobotRoundTask(mission: loaded.mission, site: loaded.site))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return Day(
            mission: loaded, fleet: fleet, positions: positions,
            schedule: RobotScheduler.schedule([task], robots: fleet.robots),
            midnight: calendar.startOfDay(for: scenario.start))
    }

    static func coordinator(_ store: PatrolStore, clock: VirtualClock, context: ZMQContext, logger: Logger) throws
        -> (Coordinator, LinkServer, Task<Void, Never>)
    {
        let server = try LinkServer(
            context: context, endpoint: "inproc://robot-day-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(), logger: logger)
        let service = Task { await coordinator.run() }
        return (coordinator, server, service)
    }

    struct Run {
        var store: PatrolStore
        var coordinator: Coordinator
        var round: SortieStatus
        var next: SortieStatus
        var summary: SimulatedRobot.Summary
    }

    /// Applies the day's rounds two seconds before the 22:00 round, restarts the coordinator on
    /// the same database, connects the simulated robot of `scenarioFile`, and lets the round run.
    static func run(_ scenarioFile: URL) async throws -> Run {
        let scenario = try RobotScenario.load(from: scenarioFile)
        let day = try Self.day(scenario)
        let evening = try #require(day.schedule.sorties.first { $0.start == 22 * 3600 })
        let late = try #require(day.schedule.sorties.first { $0.start == 23 * 3600 })
        #expect(evening.robot == "robot-1")
        let planned = day.midnight.addingTimeInterval(evening.start)
        #expect(planned == scenario.start)
        var logger = Logger(label: "robot-day")
        logger.logLevel = .critical
        let clock = VirtualClock(start: planned.addingTimeInterval(-2))
        let store = try PatrolStore(
            path: TestKit.temporaryDirectory("robot-day").appendingPathComponent("p.sqlite").path)
        let context = ZMQContext()
        defer { context.shutdown() }

        // The first coordinator queues the day (the night's early rounds are past: refused).
        let (first, firstServer, firstService) = try coordinator(store, clock: clock, context: context, logger: logger)
        await first.configureSorties(SortieFleet(fleet: day.fleet, hivePositions: day.positions))
        let applied = await first.apply(
            day.schedule, midnight: day.midnight, missions: [day.mission.mission], site: day.mission.site)
        #expect(applied.count == day.schedule.sorties.count)
        #expect(applied.filter { $0.state == .queued }.count == 2, "\(applied.map(\.state))")
        #expect(applied.filter { $0.state == .refused }.allSatisfy { ($0.reason ?? "").contains("robot-1") })
        firstServer.close()
        await firstService.value

        // Restarted on the same database: the 22:00 and 23:00 rounds are queued again.
        let (coordinator, server, service) = try Self.coordinator(store, clock: clock, context: context, logger: logger)
        await coordinator.configureSorties(SortieFleet(fleet: day.fleet, hivePositions: day.positions))
        let resumed = try await coordinator.resumeQueuedSorties()
        #expect(resumed.map(\.plannedLaunch) == [planned, day.midnight.addingTimeInterval(late.start)])
        #expect(resumed.allSatisfy { $0.state == .queued && $0.vehicle == "robot-1" })
        let roundID = try #require(resumed.first?.id)
        let nextID = try #require(resumed.last?.id)

        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: scenario.robot.id, logger: logger)
        defer { client.close() }
        let site = day.mission.site
        guard case .robotRound(let spec) = day.mission.mission.kind else { throw CancellationError() }
        let station = spec.station
        let robot = Task { () async throws -> SimulatedRobot.Summary in
            let robot = try SimulatedRobot(
                scenario: scenario, site: site, station: station, clock: clock, link: client, logger: logger)
            return try await robot.run()
        }
        // Connected and docked, the robot waits: nothing leaves before its time.
        let deadline = ContinuousClock.now + .seconds(30)
        while await !coordinator.connectedDevices().contains("robot-1"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await coordinator.runSorties()
        #expect(await coordinator.sortie(roundID)?.state == .queued)
        clock.advance(to: planned)
        await coordinator.runSorties()
        let summary = try await robot.value
        client.close()
        let round = try #require(await coordinator.sortie(roundID))
        let next = try #require(await coordinator.sortie(nextID))
        server.close()
        await service.value
        return Run(
            store: store, coordinator: coordinator, round: round, next: next, summary: summary)
    }

    @Test func anAppliedRoundRunsAtItsTimeAfterARestartAndIsRecorded() async throws {
        let run = try await Self.run(TestKit.file("simulators/robot-gas-leak.yaml"))
        let scenario = try RobotScenario.load(from: TestKit.file("simulators/robot-gas-leak.yaml"))
        #expect(run.round.state == .landed, "\(run.round.reason ?? "")")
        #expect(run.round.launchedAt == scenario.start)
        #expect(run.round.requestToLaunch == 0)
        #expect(run.round.vehicle == "robot-1")
        #expect(run.summary.flightID == run.round.id)
        #expect(try run.store.flights().map(\.id) == [run.round.id], "one round sent, the 23:00 one waits")
        // Recorded as a robot round: every checkpoint reached, the flight ended.
        let record = try #require(try run.store.robotRound(run.round.id))
        #expect(record.robotID == "robot-1" && record.station == "station-1")
        #expect(!record.checkpoints.isEmpty && record.checkpoints.allSatisfy { $0.reachedAt != nil })
        #expect(try run.store.flight(run.round.id)?.status == .completed)
        // The next round waits for 23:00, from the start.
        #expect(run.next.state == .queued && run.next.resumeFrom == 0)
    }

    @Test func aRoundCutShortByTheLinkIsPartialAndTheNextRoundResumesFromTheFirstMissedCheckpoint() async throws {
        let run = try await Self.run(TestKit.file("simulators/robot-link-loss.yaml"))
        #expect(run.round.state == .cutShort)
        let reason = run.round.reason ?? ""
        #expect(reason.hasPrefix("partial: reached "), "\(reason)")
        #expect(reason.contains("link to robot-1 lost"), "\(reason)")
        #expect(reason.contains("returning to the station"), "the robot's failsafe says what it did: \(reason)")
        let record = try #require(try run.store.robotRound(run.round.id))
        let missed = try #require(record.checkpoints.first { $0.reachedAt == nil })
        #expect(run.round.continuedBy == run.next.id)
        #expect(run.next.state == .queued)
        #expect(run.next.resumeFrom == missed.waypointIndex)
        #expect(reason.contains("resumes from \(missed.name)"), "\(reason)")
        // Kept for a restart with its resume point.
        let kept = try run.store.sortieRequests(state: "queued")
        let request = try JSONDecoder().decode(SortieRequest.self, from: try #require(kept.first?.request))
        #expect(kept.map(\.id) == [run.next.id] && request.resumeFrom == missed.waypointIndex)
    }

    @Test func aRoundIsRefusedWithTheReasonWhenTheRobotIsLowOnCharge() async throws {
        let rig = try SortieTests.rig()
        let loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let positions = try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)
        await rig.coordinator.configureSorties(SortieFleet(fleet: fleet, hivePositions: positions))
        let now = rig.clock.now()
        let robot = try rig.client("robot-1")
        robot.send(.hello(Hello(kind: .robot, capabilities: [])), time: now)
        #expect(await SortieTests.next(robot) { if case .welcome = $0 { true } else { false } } != nil)
        // Docked at a quarter charge: 375 of 1,500 Wh, with 300 Wh of reserve.
        let docked = Telemetry(
            time: now, position: loaded.site.robotStations[0].position, altitude: 0, heading: 0, speed: 0,
            battery: 0.25, state: .idle, waypointIndex: 0)
        robot.send(.telemetry(TelemetryReport(flightID: nil, telemetry: docked)), time: now)
        robot.send(.heartbeat, time: now)
        #expect(await SortieTests.next(robot) { $0 == .heartbeat } != nil)

        let task = try #require(try RobotRoundTask(mission: loaded.mission, site: loaded.site))
        let need = fleet.robots[0].power * task.timing(for: fleet.robots[0]).duration / 3600
        let expected = String(
            format: "robot-1 battery 375 Wh is below the %.0f Wh the round needs plus 300 Wh reserve", need)
        let asked = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "robot-1", origin: .operator))
        #expect(asked.state == .refused)
        #expect(asked.reason == expected, "\(asked.reason ?? "")")
        // A scheduled round waits its window for the charge, saying why.
        let scheduled = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "robot-1", origin: .scheduled))
        #expect(scheduled.state == .queued)
        #expect(scheduled.reason == "waiting: " + expected, "\(scheduled.reason ?? "")")
        #expect(try rig.store.flights().isEmpty)
        robot.close()
        await rig.close()
    }

    @Test func aRoundInProgressAtARestartGoesOnMarkingItsCheckpoints() async throws {
        let rig = try SortieTests.rig()
        let loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let robot = try rig.client("robot-1")
        robot.send(.hello(Hello(kind: .robot, capabilities: [])), time: rig.clock.now())
        #expect(await SortieTests.next(robot) { if case .welcome = $0 { true } else { false } } != nil)
        let round = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "robot-1", origin: .operator))
        #expect(round.state == .uploading, "\(round.reason ?? "")")
        #expect(await SortieTests.next(robot) { if case .missionUpload = $0 { true } else { false } } != nil)
        robot.close()
        await rig.close()

        // Started again on the same database, the round's robot reports standing at its first checkpoint.
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(
            context: context, endpoint: "inproc://round-restart-\(UUID().uuidString)", logger: rig.logger,
            now: { rig.clock.now() })
        let again = try Coordinator(
            store: rig.store, link: server, clock: rig.clock,
            configuration: CoordinatorConfiguration(livenessCheckInterval: .seconds(3600)), logger: rig.logger)
        let service = Task { await again.run() }
        #expect(try await again.resumeFlightsInProgress() == [round.id])
        let first = try #require(try rig.store.robotRound(round.id)?.checkpoints.first)
        let back = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "robot-1", logger: rig.logger)
        let now = rig.clock.advance(by: 60)
        back.send(.hello(Hello(kind: .robot, capabilities: [])), time: now)
        #expect(await SortieTests.next(back) { if case .welcome = $0 { true } else { false } } != nil)
        let there = Telemetry(
            time: now, position: first.position, altitude: Double(first.level) * RobotRoundPlanner.storeyHeight,
            heading: 0, speed: 0, battery: 0.8, state: .surveying, waypointIndex: first.waypointIndex)
        back.send(.telemetry(TelemetryReport(flightID: round.id, telemetry: there)), time: now)
        back.send(.heartbeat, time: now)
        #expect(await SortieTests.next(back) { $0 == .heartbeat } != nil)
        let marked = try #require(try rig.store.robotRound(round.id)?.checkpoints.first)
        #expect(marked.reachedAt == now)
        back.close()
        server.close()
        await service.value
    }
}
