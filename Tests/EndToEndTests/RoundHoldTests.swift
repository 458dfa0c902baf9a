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

/// Robot rounds hold from their occurrence's due time, and a moved round keeps its new time
/// across a restart (`Coordinator+RoundHolds.swift`, `v14-round-moves`): real sockets on a virtual
/// clock, the robots played by hand (``RobotReplanTests``' rig), the store a file on disk that a
/// second coordinator opens again.
@Suite(.timeLimit(.minutes(1)))
struct RoundHoldTests {
    typealias R = RobotReplanTests

    /// A coordinator on the virtual clock at `start` on the store at `path`.
    static func rig(start: Date, fleet: Fleet, site: Site, path: String) async throws -> R.Rig {
        let clock = VirtualClock(start: start)
        let context = ZMQContext()
        var logger = Logger(label: "round-hold")
        logger.logLevel = .critical
        let store = try PatrolStore(path: path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://round-hold-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 86_400, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        await coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: site)))
        return R.Rig(
            clock: clock, context: context, server: server, coordinator: coordinator, store: store, service: service,
            logger: logger)
    }

    static func storePath(_ name: String) -> String {
        TestKit.temporaryDirectory(name).appendingPathComponent("p.sqlite").path
    }

    /// The scheduler's 02:00 basement round, placed at 02:15 (the end of its 20 min window, as a
    /// narrow edge taken by another robot would place it).
    static func lateInItsWindow(_ mission: Mission, site: Site, fleet: Fleet) throws -> RobotSchedule {
        let task = try #require(try RobotRoundTask(mission: mission, site: site))
        var round = try #require(RobotScheduler.schedule([task], robots: fleet.robots).sorties.first { $0.due == 7200 })
        let shift = 15.0 * 60
        round.start += shift
        round.end += shift
        round.narrowEdges = round.narrowEdges.map { EdgeUse(edge: $0.edge, from: $0.from + shift, to: $0.to + shift) }
        return RobotSchedule(sorties: [round])
    }

    /// robot-1 empty on a 100 W charger: the 02:00 round and its reserve cannot be charged before 03:00.
    static func slowFleet() throws -> (mission: Mission, site: Site, fleet: Fleet) {
        let (mission, site, base) = try R.basement()
        var fleet = base
        fleet.robots[0].chargePower = 100
        return (mission, site, fleet)
    }

    static func expectRefusedAtTheWindowsEnd(_ rig: R.Rig, _ id: String) async throws {
        await rig.advance(to: R.at(2 + 15.0 / 60))
        let waiting = try #require(await rig.coordinator.sortie(id))
        #expect(waiting.state == .queued, "\(waiting.reason ?? "")")
        #expect(waiting.reason?.hasPrefix("waiting: robot-1 battery") == true, "\(waiting.reason ?? "")")
        await rig.advance(to: R.at(2 + 20.0 / 60).addingTimeInterval(-1))
        #expect(await rig.coordinator.sortie(id)?.state == .queued)
        // 02:20: the window of the 02:00 occurrence is over, though the round was planned at 02:15.
        await rig.advance(to: R.at(2 + 20.0 / 60))
        let refused = try #require(await rig.coordinator.sortie(id))
        #expect(refused.state == .refused)
        let reason = refused.reason ?? ""
        #expect(reason.hasPrefix("robot-1 battery"), "\(reason)")
        #expect(reason.contains("not moved later: no start from 02:20 to 03:00"), "\(reason)")
    }

    @Test func aRoundPlacedAtTheEndOfItsWindowIsRefusedWhenTheWindowEnds() async throws {
        let (mission, site, fleet) = try Self.slowFleet()
        var rig = try await Self.rig(
            start: R.at(1 + 50.0 / 60), fleet: fleet, site: site, path: Self.storePath("round-hold-due"))
        try await rig.robot("robot-1", battery: 0, at: site.robotStations[0].position)
        let applied = await rig.coordinator.apply(
            try Self.lateInItsWindow(mission, site: site, fleet: fleet), midnight: R.midnight, missions: [mission],
            site: site)
        let round = try #require(applied.first)
        #expect(round.state == .queued && round.plannedLaunch == R.at(2 + 15.0 / 60))
        try await Self.expectRefusedAtTheWindowsEnd(rig, round.id)
        await rig.close()
    }

    @Test func aRoundPlacedAtTheEndOfItsWindowIsRefusedWhenTheWindowEndsAfterARestart() async throws {
        let (mission, site, fleet) = try Self.slowFleet()
        let path = Self.storePath("round-hold-due-restart")
        let first = try await Self.rig(start: R.at(1 + 50.0 / 60), fleet: fleet, site: site, path: path)
        let applied = await first.coordinator.apply(
            try Self.lateInItsWindow(mission, site: site, fleet: fleet), midnight: R.midnight, missions: [mission],
            site: site)
        let round = try #require(applied.first)
        #expect(round.state == .queued)
        await first.close()

        // Started again at 02:10 on the same file: the round holds from 02:00, as before.
        var rig = try await Self.rig(start: R.at(2 + 10.0 / 60), fleet: fleet, site: site, path: path)
        let resumed = try await rig.coordinator.resumeQueuedSorties()
        #expect(resumed.map(\.id) == [round.id])
        #expect(resumed.first?.plannedLaunch == R.at(2 + 15.0 / 60))
        try await rig.robot("robot-1", battery: 0, at: site.robotStations[0].position)
        try await Self.expectRefusedAtTheWindowsEnd(rig, round.id)
        await rig.close()
    }

    @Test func aMovedRoundKeepsItsNewTimeAcrossARestart() async throws {
        let (mission, site, fleet) = try R.basement()
        let robot = fleet.robots[0]
        let (need, _) = try R.need(mission, site: site, robot: robot)
        // As in `RobotReplanTests`: docked at 01:50 215 Wh short, charged enough at 02:33.
        let docked = R.at(1 + 50.0 / 60)
        let level = need + robot.batteryWh * robot.reserve - 215
        let path = Self.storePath("round-move-restart")
        var first = try await Self.rig(start: docked, fleet: fleet, site: site, path: path)
        try await first.robot("robot-1", battery: level / robot.batteryWh, at: site.robotStations[0].position)
        let round = await first.coordinator.request(
            SortieRequest(
                mission: mission, site: site, vehicle: "robot-1", notBefore: R.at(2), priority: 6, origin: .scheduled))
        await first.advance(to: R.at(2))
        await first.advance(to: R.at(2 + 20.0 / 60))
        let moved = try #require(await first.coordinator.sortie(round.id))
        #expect(moved.state == .queued && moved.reason?.hasPrefix("moved to 02:33:0") == true, "\(moved.reason ?? "")")
        let kept = try #require(try first.store.sortieTiming(id: round.id))
        #expect(kept.launch == moved.plannedLaunch && kept.vehicle == "robot-1" && kept.reason == moved.reason)
        #expect(kept.holdUntil == moved.plannedLaunch.addingTimeInterval(20 * 60))
        await first.close()

        // A new coordinator on the same file at 02:25, the robot not back yet: the round waits
        // for 02:33 on robot-1, as moved (before, it came back at 02:00, past its window, and,
        // its robot not connected, was refused).
        var rig = try await Self.rig(start: R.at(2 + 25.0 / 60), fleet: fleet, site: site, path: path)
        let resumed = try #require(try await rig.coordinator.resumeQueuedSorties().first)
        #expect(resumed.id == round.id && resumed.state == .queued)
        #expect(resumed.plannedLaunch == moved.plannedLaunch && resumed.vehicle == "robot-1")
        #expect(resumed.reason == moved.reason)
        // robot-1 comes back at 02:26 with what the charger gave it since 01:50 (36 min at 300 W).
        rig.clock.advance(to: R.at(2 + 26.0 / 60))
        let charged = level + robot.chargePower * 36 / 60 + 1
        try await rig.robot("robot-1", battery: charged / robot.batteryWh, at: site.robotStations[0].position)
        await rig.advance(to: moved.plannedLaunch.addingTimeInterval(-1))
        #expect(await rig.coordinator.sortie(round.id)?.state == .queued)
        await rig.advance(to: moved.plannedLaunch)
        let client = try #require(rig.robots["robot-1"])
        let upload = try #require(await R.upload(client))
        #expect(upload.flightID == round.id)
        #expect(await rig.coordinator.sortie(round.id)?.launchedAt == moved.plannedLaunch)
        await rig.close()
    }

    @Test func aDroneSortieOfAPlainApplyHoldsFromItsDueTime() async throws {
        typealias L = LiveReplanTests
        var (fleet, positions, hill) = try L.oneHive()
        fleet.drones = [try #require(fleet.drone("drone-1"))]
        let rig = try L.Rig(fleet: fleet, positions: positions, hill: hill, start: L.at(11.75))
        await rig.configure()
        try await rig.connect("hive-1", kind: .hive)
        try await rig.connect("drone-1", kind: .drone, hive: "hive-1")
        let all = ["hive-1", "drone-1"]
        // The day's 12:00 hill patrol, placed at 12:25 (near the end of its 30 min window), applied
        // with the plain `apply` (no live day).
        let plan = try CoveragePlanner.plan(hill.mission, site: hill.site)
        let task = try #require(PatrolTask(mission: hill.mission, plan: plan))
        var day = Scheduler.schedule(ScheduleProblem(fleet: fleet, hivePositions: positions, patrols: [task]))
        var noon = try #require(day.sorties.first { $0.due == 12 * 3600 })
        noon.start += 25 * 60
        noon.end += 25 * 60
        day.sorties = [noon]
        let applied = try #require(
            await rig.coordinator.apply(day, midnight: L.midnight, missions: [hill.mission], site: hill.site).first)
        #expect(applied.state == .queued && applied.plannedLaunch == L.at(12 + 25.0 / 60))
        // The hive reports wind over its limits from 12:20: the sortie waits at 12:25, and is
        // refused at 12:30, when the window of its 12:00 occurrence ends (not at 12:55).
        await rig.run(to: L.at(12 + 20.0 / 60), alive: all)
        let hive = try #require(rig.clients["hive-1"])
        hive.send(
            .hiveStatus(
                HiveStatus(door: .closed, charging: true, windSpeed: 14, windFrom: 90, rain: 0, temperature: 20)),
            time: rig.clock.now())
        hive.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(hive) { $0 == .heartbeat } != nil)
        await rig.run(to: L.at(12 + 29.0 / 60), alive: all)
        let waiting = try #require(await rig.coordinator.sortie(applied.id))
        #expect(waiting.state == .queued && waiting.reason?.hasPrefix("waiting: ") == true, "\(waiting.reason ?? "")")
        await rig.run(to: L.at(12.5), alive: all)
        let refused = try #require(await rig.coordinator.sortie(applied.id))
        #expect(refused.state == .refused, "\(refused.reason ?? "")")
        #expect(refused.reason?.contains("wind 14.0 m/s") == true, "\(refused.reason ?? "")")
        await rig.close()
    }
}
