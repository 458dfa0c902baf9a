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

/// A robot lost on the link or faulted has its queued rounds moved to another robot, and back
/// when it returns; with no other robot, the round waits for it and is refused with both reasons
/// (`Coordinator+RobotLoss.swift`). Real sockets on a virtual clock, robots played by hand
/// (``RobotReplanTests``' rig), the liveness timeout at 120 s of the clock.
@Suite(.timeLimit(.minutes(1)))
struct RobotLossTests {
    typealias R = RobotReplanTests

    static func rig(start: Date, fleet: Fleet, site: Site, path: String? = nil) async throws -> R.Rig {
        let clock = VirtualClock(start: start)
        let context = ZMQContext()
        var logger = Logger(label: "robot-loss")
        logger.logLevel = .critical
        let store = try PatrolStore(
            path: path ?? TestKit.temporaryDirectory("robot-loss").appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://robot-loss-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 120, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        await coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: site)))
        return R.Rig(
            clock: clock, context: context, server: server, coordinator: coordinator, store: store, service: service,
            logger: logger)
    }

    /// Moves the clock to `date`; the robots in `alive` say a heartbeat then (and are answered),
    /// and the coordinator brings its sorties up to date.
    static func advance(_ rig: R.Rig, to date: Date, alive: [String]) async throws {
        rig.clock.advance(to: date)
        for id in alive {
            let client = try #require(rig.robots[id])
            client.send(.heartbeat, time: date)
            #expect(await SortieTests.next(client) { $0 == .heartbeat } != nil)
        }
        await rig.coordinator.runSorties()
    }

    static func round(_ rig: R.Rig, _ mission: Mission, site: Site, at hours: Double) async -> SortieStatus {
        await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: R.at(hours), priority: 6,
                origin: .scheduled))
    }

    @Test func aLostRobotsRoundsGoToAnotherRobotAndComeBackWithIt() async throws {
        let (mission, site, base) = try R.basement()
        var fleet = base
        var second = fleet.robots[0]
        second.id = "robot-2"
        fleet.robots.append(second)
        var rig = try await Self.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site)
        let station = site.robotStations[0].position
        try await rig.robot("robot-1", battery: 1, at: station)
        try await rig.robot("robot-2", battery: 1, at: station)
        let early = await Self.round(rig, mission, site: site, at: 2)
        let late = await Self.round(rig, mission, site: site, at: 3)
        #expect(early.state == .queued && late.state == .queued)

        // robot-1 says nothing after 01:50: lost at 01:52; robot-2 goes on speaking.
        try await Self.advance(rig, to: R.at(1 + 55.0 / 60), alive: ["robot-2"])
        for (round, time) in [(early, "02:00:00"), (late, "03:00:00")] {
            let moved = try #require(await rig.coordinator.sortie(round.id))
            #expect(moved.state == .queued && moved.vehicle == "robot-2", "\(moved.reason ?? "")")
            #expect(moved.plannedLaunch == round.plannedLaunch)
            #expect(
                moved.reason == "re-planned (robot-lost robot-1): robot-2 at \(time), was robot-1 at \(time)",
                "\(moved.reason ?? "")")
            // The queue row says it too.
            let kept = try #require(try rig.store.sortieTiming(id: round.id))
            #expect(kept.vehicle == "robot-2" && kept.reason == moved.reason && kept.launch == round.plannedLaunch)
        }

        // 02:00: robot-2 drives the first.
        try await Self.advance(rig, to: R.at(2), alive: ["robot-2"])
        #expect(await R.upload(try #require(rig.robots["robot-2"]))?.flightID == early.id)
        let driven = try #require(await rig.coordinator.sortie(early.id))
        #expect(driven.state == .uploading && driven.vehicle == "robot-2" && driven.launchedAt == R.at(2))

        // robot-1 speaks again at 02:10: the 03:00 round goes back to it.
        try await Self.advance(rig, to: R.at(2 + 10.0 / 60), alive: ["robot-1", "robot-2"])
        let back = try #require(await rig.coordinator.sortie(late.id))
        #expect(back.vehicle == "robot-1" && back.plannedLaunch == late.plannedLaunch, "\(back.reason ?? "")")
        #expect(
            back.reason == "re-planned (robot-back robot-1): robot-1 at 03:00:00, was robot-2 at 03:00:00",
            "\(back.reason ?? "")")
        await rig.close()
    }

    @Test func aRoundMovedOffALostRobotStaysMovedAcrossARestartAndGoesBackWhenTheRobotReconnects() async throws {
        let (mission, site, base) = try R.basement()
        var fleet = base
        var second = fleet.robots[0]
        second.id = "robot-2"
        fleet.robots.append(second)
        let path = RoundHoldTests.storePath("robot-loss-restart")
        let station = site.robotStations[0].position
        var first = try await Self.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site, path: path)
        try await first.robot("robot-1", battery: 1, at: station)
        try await first.robot("robot-2", battery: 1, at: station)
        let round = await Self.round(first, mission, site: site, at: 3)
        try await Self.advance(first, to: R.at(1 + 55.0 / 60), alive: ["robot-2"])
        let moved = try #require(await first.coordinator.sortie(round.id))
        #expect(moved.vehicle == "robot-2", "\(moved.reason ?? "")")
        await first.close()

        // Started again at 02:00 on the same file: the round is still robot-2's.
        var rig = try await Self.rig(start: R.at(2), fleet: fleet, site: site, path: path)
        try await rig.robot("robot-2", battery: 1, at: station)
        let resumed = try #require(try await rig.coordinator.resumeQueuedSorties().first)
        #expect(resumed.id == round.id && resumed.vehicle == "robot-2" && resumed.reason == moved.reason)
        try await Self.advance(rig, to: R.at(2 + 5.0 / 60), alive: ["robot-2"])
        #expect(await rig.coordinator.sortie(round.id)?.vehicle == "robot-2")
        // robot-1 reconnects at 02:10: the round goes back to it, at its time.
        rig.clock.advance(to: R.at(2 + 10.0 / 60))
        try await rig.robot("robot-1", battery: 1, at: station)
        try await Self.advance(rig, to: R.at(2 + 10.0 / 60), alive: ["robot-1", "robot-2"])
        let back = try #require(await rig.coordinator.sortie(round.id))
        #expect(back.vehicle == "robot-1" && back.plannedLaunch == R.at(3), "\(back.reason ?? "")")
        #expect(back.reason == "re-planned (robot-back robot-1): robot-1 at 03:00:00, was robot-2 at 03:00:00")
        await rig.close()
    }

    @Test func aFaultedRobotsRoundWithNoOtherRobotIsRefusedWithBothReasons() async throws {
        let (mission, site, fleet) = try R.basement()
        #expect(fleet.robots.count == 1)
        var rig = try await Self.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site)
        let station = site.robotStations[0].position
        try await rig.robot("robot-1", battery: 1, at: station)
        let round = await Self.round(rig, mission, site: site, at: 2)

        // 01:55: robot-1 reports an emergency on its charger.
        rig.clock.advance(to: R.at(1 + 55.0 / 60))
        let client = try #require(rig.robots["robot-1"])
        let fault = Telemetry(
            time: rig.clock.now(), position: station, altitude: 0, heading: 0, speed: 0, battery: 1,
            state: .emergency, waypointIndex: 0)
        client.send(.telemetry(TelemetryReport(flightID: nil, telemetry: fault)), time: rig.clock.now())
        try await Self.advance(rig, to: R.at(1 + 55.0 / 60), alive: ["robot-1"])
        let stuck = try #require(await rig.coordinator.sortie(round.id))
        #expect(stuck.state == .queued && stuck.vehicle == "robot-1")
        let why = stuck.reason ?? ""
        #expect(why.hasPrefix("robot-1 fault (emergency); no other robot can drive it: no start from 02:00"), "\(why)")
        #expect(try rig.store.sortieTiming(id: round.id)?.reason == stuck.reason)

        // It waits through its window for robot-1, still faulted, then is refused with both reasons.
        for minutes in [0.0, 10, 19] {
            try await Self.advance(rig, to: R.at(2 + minutes / 60), alive: ["robot-1"])
            #expect(await rig.coordinator.sortie(round.id)?.state == .queued)
        }
        try await Self.advance(rig, to: R.at(2 + 20.0 / 60), alive: ["robot-1"])
        let refused = try #require(await rig.coordinator.sortie(round.id))
        #expect(refused.state == .refused)
        let reason = refused.reason ?? ""
        #expect(
            reason.hasPrefix("robot-1 reports a fault (emergency); not moved later: no start from 02:20"), "\(reason)")
        #expect(reason.contains("`robot-1`") && reason.contains("fault (emergency)"), "\(reason)")
        await rig.close()
    }

    @Test func aLostRobotsRoundGoesToARobotOfAnotherStationPlannedFromThere() async throws {
        let (base, plain, baseFleet) = try R.basement()
        let site = R.twoStations(plain)
        var mission = base
        guard case .robotRound(var spec) = mission.kind else { throw CancellationError() }
        spec.otherStations = ["station-2"]
        mission.kind = .robotRound(spec)
        var fleet = baseFleet
        var north = fleet.robots[0]
        north.id = "robot-2"
        north.station = "station-2"
        fleet.robots.append(north)
        var rig = try await Self.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site)
        try await rig.robot("robot-1", battery: 1, at: site.robotStations[0].position)
        try await rig.robot("robot-2", battery: 1, at: site.robotStations[1].position)
        let round = await Self.round(rig, mission, site: site, at: 2)
        #expect(round.state == .queued, "\(round.reason ?? "")")
        try await Self.advance(rig, to: R.at(1 + 55.0 / 60), alive: ["robot-2"])
        let moved = try #require(await rig.coordinator.sortie(round.id))
        #expect(moved.vehicle == "robot-2", "\(moved.reason ?? "")")
        #expect(moved.reason == "re-planned (robot-lost robot-1): robot-2 at 02:00:00, was robot-1 at 02:00:00")
        // At 02:00 robot-2 drives it from station-2.
        try await Self.advance(rig, to: R.at(2), alive: ["robot-2"])
        let north2 = try #require(rig.robots["robot-2"])
        let upload = try #require(await R.upload(north2))
        #expect(upload.flightID == round.id)
        #expect(upload.route.waypoints.first?.position == site.robotStations[1].position)
        #expect(try rig.store.robotRound(round.id)?.station == "station-2")
        await rig.close()
    }

    // MARK: - A round in progress, from its telemetry

    @Test func aRoundRunningLateHoldsItsNarrowEdgesFromItsTelemetry() async throws {
        let (mission, other, site, fleet) = try R.cameraRobotAndRound()
        let robot = fleet.robots[0]
        let (need, task) = try R.need(mission, site: site, robot: robot)
        var rig = try await R.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site)
        let station = site.robotStations[0].position
        // robot-1 is 125 Wh short at 01:50: charged (300 W) at 02:15.
        try await rig.robot(
            "robot-1", battery: (need + robot.batteryWh * robot.reserve - 125) / robot.batteryWh, at: station)
        try await rig.robot("robot-2", battery: 1, at: station)
        let late = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: R.at(2), priority: 6, origin: .scheduled))
        let onTime = await rig.coordinator.request(
            SortieRequest(
                mission: other, site: site, vehicle: "robot-2", notBefore: R.at(2 + 5.0 / 60), priority: 6,
                origin: .scheduled))
        await rig.advance(to: R.at(2))
        await rig.advance(to: R.at(2 + 5.0 / 60))
        let robot2 = try #require(rig.robots["robot-2"])
        #expect(await R.upload(robot2)?.flightID == onTime.id)

        // 02:14: robot-2 reports itself still on its first leg (held at the station's door): nine
        // minutes behind its plan.
        let stalled = R.at(2 + 14.0 / 60)
        rig.clock.advance(to: stalled)
        let report = Telemetry(
            time: stalled, position: station, altitude: 0, heading: 0, speed: 0, battery: 0.9, state: .transit,
            waypointIndex: 1)
        robot2.send(.telemetry(TelemetryReport(flightID: onTime.id, telemetry: report)), time: stalled)
        robot2.send(.heartbeat, time: stalled)
        #expect(await SortieTests.next(robot2) { $0 == .heartbeat } != nil)
        #expect(await rig.coordinator.sortie(onTime.id)?.lastWaypoint == 1)

        // robot-1, charged at 02:15, keeps off robot-2's narrow edges where robot-2 now is: as if
        // it had left at 02:14, not at 02:05.
        await rig.advance(to: R.at(2 + 15.0 / 60).addingTimeInterval(2))
        let shifted = try #require(await rig.coordinator.sortie(late.id))
        #expect(shifted.state == .queued, "\(shifted.reason ?? "")")
        let uses = task.timing(for: robot).narrow
        func meets(_ start: Date, _ theirs: Date) -> Bool {
            uses.contains { mine in
                uses.contains { t in
                    mine.edge == t.edge && start.addingTimeInterval(mine.from) < theirs.addingTimeInterval(t.to)
                        && theirs.addingTimeInterval(t.from) < start.addingTimeInterval(mine.to)
                }
            }
        }
        // Its new time is clear of robot-2 from 02:14, and only just.
        #expect(shifted.plannedLaunch > R.at(2 + 15.0 / 60), "\(shifted.reason ?? "")")
        #expect(!meets(shifted.plannedLaunch, stalled))
        #expect(meets(shifted.plannedLaunch.addingTimeInterval(-2), stalled), "\(shifted.reason ?? "")")
        #expect(shifted.reason?.contains("\(onTime.id) (robot-2, driving)") == true, "\(shifted.reason ?? "")")
        await rig.close()
    }

    @Test func aRoundLeavingOnTimeKeepsOffARoundRunningLateOnItsNarrowEdges() async throws {
        let (mission, other, site, fleet) = try R.cameraRobotAndRound()
        var rig = try await R.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site)
        let station = site.robotStations[0].position
        try await rig.robot("robot-1", battery: 1, at: station)
        try await rig.robot("robot-2", battery: 1, at: station)
        // As the scheduler would place them: robot-2 at 02:05, robot-1 ten minutes later.
        let early = await rig.coordinator.request(
            SortieRequest(
                mission: other, site: site, vehicle: "robot-2", notBefore: R.at(2 + 5.0 / 60), priority: 6,
                origin: .scheduled))
        let onTime = await rig.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: R.at(2 + 15.0 / 60), priority: 6,
                origin: .scheduled))
        await rig.advance(to: R.at(2 + 5.0 / 60))
        let robot2 = try #require(rig.robots["robot-2"])
        #expect(await R.upload(robot2)?.flightID == early.id)
        // 02:14: robot-2 is still on its first leg, nine minutes behind.
        let stalled = R.at(2 + 14.0 / 60)
        rig.clock.advance(to: stalled)
        let report = Telemetry(
            time: stalled, position: station, altitude: 0, heading: 0, speed: 0, battery: 0.9, state: .transit,
            waypointIndex: 1)
        robot2.send(.telemetry(TelemetryReport(flightID: early.id, telemetry: report)), time: stalled)
        robot2.send(.heartbeat, time: stalled)
        #expect(await SortieTests.next(robot2) { $0 == .heartbeat } != nil)
        // 02:15: robot-1's round is on time, but robot-2 is where it should have been at 02:06.
        await rig.advance(to: R.at(2 + 15.0 / 60))
        let shifted = try #require(await rig.coordinator.sortie(onTime.id))
        #expect(shifted.state == .queued, "\(shifted.reason ?? "")")
        #expect(
            shifted.reason?.hasPrefix("shifted for a narrow edge: narrow edge `") == true, "\(shifted.reason ?? "")")
        #expect(shifted.reason?.contains("\(early.id) (robot-2, driving)") == true, "\(shifted.reason ?? "")")
        #expect(shifted.plannedLaunch > R.at(2 + 15.0 / 60))
        await rig.close()
    }
}
