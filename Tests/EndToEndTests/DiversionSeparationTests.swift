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

/// Separation of an urgent sortie's transit, against drones driven by hand over real sockets on a
/// virtual clock: drone-1 flies the hill patrol 120 m off a smoke alarm, drone-2 waits in hive-1
/// with a sortie queued for it. A diversion whose straight way to the target meets drone-2's
/// sortie where and when drone-2 is planned to fly, at the same height, is not chosen (drone-1 is
/// excluded with the reason); one that is clear of it is.
@Suite(.timeLimit(.minutes(1)))
struct DiversionSeparationTests {
    static let fire = DiversionCommandTests.fire

    /// `SortieTests.rig()` with drones that are never judged silent: the virtual clock jumps
    /// while one of them is reporting and the other waits.
    static func rig(store path: String? = nil) throws -> SortieTests.Rig {
        let clock = VirtualClock(start: SortieTests.t0)
        let context = ZMQContext()
        var logger = Logger(label: "divert-separation")
        logger.logLevel = .critical
        let store = try PatrolStore(
            path: path ?? TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://divert-\(UUID().uuidString)", logger: logger, now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 86_400, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        return SortieTests.Rig(
            clock: clock, context: context, server: server, coordinator: coordinator, store: store, service: service,
            logger: logger)
    }

    /// drone-1 flying the hill patrol, reporting from 120 m off the fire; drone-2 connected in
    /// hive-1 with the hill patrol queued for it `otherIn` seconds from now; then the urgent sortie.
    static func setUp(
        _ rig: SortieTests.Rig, routine mission: Mission? = nil, altitude: Double = 60, otherIn: TimeInterval,
        otherMission: Mission? = nil, ceiling: Double = 120
    ) async throws -> (
        drone1: LinkClient, drone2: LinkClient, routine: SortieStatus, other: SortieStatus, urgent: SortieStatus
    )? {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
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
            SortieRequest(mission: mission ?? loaded.mission, site: loaded.site, vehicle: "drone-1", origin: .scheduled)
        )
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone, { if case .missionUpload = $0 { true } else { false } })
        else { return nil }
        drone.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        guard let start = await DiversionCommandTests.command(drone) else { return nil }
        drone.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 60)
        drone.send(
            .telemetry(
                TelemetryReport(
                    flightID: routine.id,
                    telemetry: Telemetry(
                        time: rig.clock.now(), position: LonLat(lon: 114.1325, lat: 22.5768), altitude: altitude,
                        heading: 90, speed: 8, battery: 0.9, state: .surveying, waypointIndex: 12))),
            time: rig.clock.now())
        drone.send(.heartbeat, time: rig.clock.now())
        guard await SortieTests.next(drone, { $0 == .heartbeat }) != nil else { return nil }
        clients[1].send(.heartbeat, time: rig.clock.now())
        guard await SortieTests.next(clients[1], { $0 == .heartbeat }) != nil else { return nil }
        let other = await rig.coordinator.request(
            SortieRequest(
                mission: otherMission ?? loaded.mission, site: loaded.site, vehicle: "drone-2",
                notBefore: rig.clock.now().addingTimeInterval(otherIn), origin: .scheduled))
        var verify = VerificationTemplate.sweep(
            id: "verify-alarm", name: "Verify", around: fire, halfSide: 50, base: loaded.mission)
        verify.limits.maxAltitudeAGL = ceiling
        let urgent = await rig.coordinator.request(
            SortieRequest(mission: verify, site: loaded.site, priority: 10, origin: .urgent, target: fire))
        return (drone, clients[1], routine, other, urgent)
    }

    @Test func aDiversionWhoseWayCrossesAnotherDronesSortieAtItsHeightIsNotChosen() async throws {
        let rig = try Self.rig()
        // drone-1 sweeps the hill low, 30 m over its ground; drone-2 takes off in 60 s for a
        // routine sweep of the square around the fire (50 m over the ground), and by its planned
        // timing is over it about 90 s after its launch, while drone-1 would still be looking there.
        // Looks are approved up to 180 m above the ground here (the default is 120 m).
        let loaded = try Mission.load(from: TestKit.defaultMission)
        var low = loaded.mission
        (low.id, low.altitude, low.transitAltitude, low.limits.endurance) = ("hill-low", 30, 30, 40 * 60)
        var square = VerificationTemplate.sweep(
            id: "fire-square", name: "Square", around: Self.fire, halfSide: 50, base: loaded.mission)
        square.schedule = loaded.mission.schedule
        let (drone1, drone2, routine, other, urgent) = try #require(
            try await Self.setUp(rig, routine: low, altitude: 30, otherIn: 60, otherMission: square, ceiling: 180))
        let choice = try #require(urgent.choice)
        #expect(choice.chosen.drone != "drone-1")
        let reason =
            "drone-1 (airborne): its way to the target would share airspace with \(other.id) (drone-2, planned)"
        #expect(choice.excluded.contains { $0.hasPrefix(reason) }, "excluded: \(choice.excluded)")
        #expect(await rig.coordinator.sortie(routine.id)?.state == .inFlight)
        // drone-2 goes from the hive instead (its own sweep waits: it is the same drone). It would
        // fly into drone-1's low sweep, where drone-1 is then by its telemetry and route, within the
        // 30 m separation: its look (and its route there) is raised above it, within the 180 m limit.
        #expect(choice.chosen.drone == "drone-2" && choice.chosen.kind == .docked)
        let raised = try #require(choice.raised)
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone2, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload to drone-2")
            return
        }
        #expect(upload.flightID == urgent.id)
        let lowest = try #require(upload.route.waypoints.filter { $0.kind != .land }.map(\.altitude).min())
        #expect(raised > 0 && lowest >= 30 + 30, "raised \(raised) m; lowest waypoint \(lowest) m")
        drone1.close()
        drone2.close()
        await rig.close()
    }

    @Test func aDiversionClearOfOtherSortiesIsChosen() async throws {
        let rig = try Self.rig()
        // drone-2's patrol is three hours away: drone-1's way to the fire and back is clear of it.
        let (drone1, drone2, routine, _, urgent) = try #require(try await Self.setUp(rig, otherIn: 3 * 3600))
        let choice = try #require(urgent.choice)
        #expect(choice.chosen.drone == "drone-1" && choice.chosen.kind == .airborne)
        #expect(!choice.excluded.contains { $0.hasPrefix("drone-1") }, "excluded: \(choice.excluded)")
        // drone-2 would have climbed out of the hive into drone-1's patrol, at its height.
        let docked = "drone-2 (docked): its way to the target would share airspace with \(routine.id) (drone-1, flying)"
        #expect(choice.excluded.contains { $0.hasPrefix(docked) }, "excluded: \(choice.excluded)")
        let goTo = try #require(await DiversionCommandTests.command(drone1))
        #expect(goTo.action == .goTo && goTo.flightID == routine.id)
        #expect(await rig.coordinator.sortie(routine.id)?.state == .paused)
        drone1.close()
        drone2.close()
        await rig.close()
    }
}
