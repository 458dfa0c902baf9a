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

/// Urgent transits judged in time against where the other drones are (their last telemetry) and
/// the rest of their routes on the routes' planned timing, not against their sorties' whole extent
/// and band. drone-1 flies the hill patrol with too little battery left to be diverted; drone-2
/// waits in hive-1. Drones driven by hand over real sockets, on a virtual clock.
@Suite(.timeLimit(.minutes(1)))
struct TransitTimingTests {
    /// drone-1 flying the hill patrol, reporting at `at` (site metres) towards route waypoint
    /// `waypoint`, `altitude` above the hive, 28 % of its battery; drone-2 connected in hive-1; then
    /// an urgent sortie at `target` (site metres) with looks approved up to `ceiling` above the ground.
    static func setUp(
        _ rig: SortieTests.Rig, at position: XY, waypoint: Int, altitude: Double, target: XY, ceiling: Double = 120
    ) async throws -> (drone1: LinkClient, drone2: LinkClient, routine: SortieStatus, urgent: SortieStatus)? {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let frame = try SiteFrame(crs: loaded.site.crs)
        await rig.coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)))
        var clients: [LinkClient] = []
        for id in ["drone-1", "drone-2"] {
            let client = try rig.client(id)
            client.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: rig.clock.now())
            guard await SortieTests.next(client, { if case .welcome = $0 { true } else { false } }) != nil else {
                return nil
            }
            clients.append(client)
        }
        let drone = clients[0]
        let routine = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-1", origin: .scheduled))
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone, { if case .missionUpload = $0 { true } else { false } })
        else { return nil }
        drone.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        guard let start = await DiversionCommandTests.command(drone) else { return nil }
        drone.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 600)
        drone.send(
            .telemetry(
                TelemetryReport(
                    flightID: routine.id,
                    telemetry: Telemetry(
                        time: rig.clock.now(), position: try frame.unproject(position), altitude: altitude,
                        heading: 90, speed: 8, battery: 0.28, state: .surveying, waypointIndex: waypoint))),
            time: rig.clock.now())
        drone.send(.heartbeat, time: rig.clock.now())
        guard await SortieTests.next(drone, { $0 == .heartbeat }) != nil else { return nil }
        clients[1].send(.heartbeat, time: rig.clock.now())
        guard await SortieTests.next(clients[1], { $0 == .heartbeat }) != nil else { return nil }
        let alarm = try frame.unproject(target)
        var verify = VerificationTemplate.sweep(
            id: "verify-alarm", name: "Verify", around: alarm, halfSide: 50, base: loaded.mission)
        verify.limits.maxAltitudeAGL = ceiling
        let urgent = await rig.coordinator.request(
            SortieRequest(mission: verify, site: loaded.site, priority: 10, origin: .urgent, target: alarm))
        return (drone, clients[1], routine, urgent)
    }

    /// The hive, site metres (`geo/mumianling`).
    static let hive = XY(513619.5, 2497379.9)

    @Test func aDroneAtTheFarEndOfTheHillDoesNotHoldBackALookAtTheNearEnd() async throws {
        let rig = try DiversionSeparationTests.rig()
        // drone-1 sweeps the northern lines of the hill (waypoint 56 of 75, 420 m north of the
        // alarm) and has ~5 minutes of sweeping there left; the alarm is at the hill's southern
        // edge, 140 m from the hive. By the whole extent of the hill patrol and its band (50 to
        // 112 m) drone-2 had no separated look within the mission's 120 m; by where drone-1 is
        // and will be, its way is clear.
        let target = XY(513520, 2497480)
        let (drone1, drone2, routine, urgent) = try #require(
            try await Self.setUp(rig, at: XY(513900, 2497797), waypoint: 56, altitude: 80, target: target))
        let choice = try #require(urgent.choice, "\(urgent.state) \(urgent.reason ?? "")")
        #expect(choice.chosen.drone == "drone-2" && choice.chosen.kind == .docked)
        #expect(choice.raised == nil)
        #expect(!choice.excluded.contains { $0.hasPrefix("drone-2") }, "excluded: \(choice.excluded)")
        #expect(choice.excluded.contains { $0.hasPrefix("drone-1") }, "drone-1 is short of battery: \(choice.excluded)")
        // Launched at once; overhead after the launch delay, the climb and the straight line: the geometry.
        #expect(urgent.requestToLaunch == 0)
        let geometry = 30 + Self.hive.distance(to: target) / 12
        #expect(
            choice.chosen.toOverhead > geometry && choice.chosen.toOverhead < geometry + 60,
            "overhead in \(choice.chosen.toOverhead) s")
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone2, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload to drone-2")
            return
        }
        #expect(upload.flightID == urgent.id)
        #expect(await rig.coordinator.sortie(routine.id)?.state == .inFlight)
        drone1.close()
        drone2.close()
        await rig.close()
    }

    @Test func aDroneWhoseRestOfRouteCrossesTheLookAtItsHeightRaisesIt() async throws {
        let rig = try DiversionSeparationTests.rig()
        // drone-1 starts the sweep line at 2,497,770 m (waypoint 46 towards 47), passes the alarm
        // on it in about 20 s, and sweeps back along the next line 30 m north of it about two
        // minutes later, at 80 to 100 m: while drone-2 would climb out and look there. drone-2's
        // look is raised above it (looks approved up to 180 m over the ground here).
        let target = XY(513560, 2497766)
        let (drone1, drone2, routine, urgent) = try #require(
            try await Self.setUp(
                rig, at: XY(513420, 2497773), waypoint: 47, altitude: 55, target: target, ceiling: 180))
        let choice = try #require(urgent.choice, "\(urgent.state) \(urgent.reason ?? "")")
        #expect(choice.chosen.drone == "drone-2" && choice.chosen.kind == .docked)
        let raised = try #require(choice.raised)
        #expect(raised > 0)
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone2, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload to drone-2")
            return
        }
        #expect(upload.flightID == urgent.id)
        let lowest = try #require(upload.route.waypoints.filter { $0.kind != .land }.map(\.altitude).min())
        #expect(lowest >= 80 + 30, "raised \(raised) m; lowest waypoint \(lowest) m")
        #expect(await rig.coordinator.sortie(routine.id)?.state == .inFlight)
        drone1.close()
        drone2.close()
        await rig.close()
    }

    @Test func underALowCeilingTheCrossingDroneHoldsTheUrgentSortieBack() async throws {
        let rig = try DiversionSeparationTests.rig()
        // The same crossing with looks approved only up to 70 m over the ground: no raise clears
        // drone-1, so drone-2 does not go at once; drone-1's patrol is pre-empted (sent home) and
        // the urgent sortie waits for it.
        let (drone1, drone2, routine, urgent) = try #require(
            try await Self.setUp(
                rig, at: XY(513420, 2497773), waypoint: 47, altitude: 55, target: XY(513560, 2497766), ceiling: 70))
        #expect(urgent.state == .queued, "\(urgent.state) \(urgent.reason ?? "")")
        #expect(urgent.reason?.hasPrefix("waiting for drone-1, pre-empted from \(routine.id)") == true)
        // With why drone-2 could not go: drone-1 where its route takes it then, at its height.
        let why =
            "drone-2 (docked): its way to the target would share airspace with \(routine.id) (drone-1, flying) at "
        #expect(urgent.reason?.contains(why) == true, "\(urgent.reason ?? "")")
        #expect(urgent.reason?.contains("higher breaks the mission's limits") == true)
        let home = try #require(await DiversionCommandTests.command(drone1))
        #expect(home.action == .returnToHive && home.flightID == routine.id)
        drone1.close()
        drone2.close()
        await rig.close()
    }
}
