import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Airspace separation on live re-plans, against real sockets on a virtual clock: the rest of a
/// cut-short hill patrol would fly the same hill at the same height as the drone flying it now,
/// so it is shifted to that drone's landing (by the scheduler's model), again while that drone
/// runs long, and launched on the other drone as soon as the first has landed; the rest of the
/// rooftop patrol, 128 m above the hill's band, goes at once.
@Suite(.timeLimit(.minutes(1)))
struct SortieSeparationTests {
    static let t0 = SortieTests.t0

    @Test func aContinuationThatWouldShareAirspaceIsShiftedUntilTheOtherDroneHasLanded() async throws {
        let clock = VirtualClock(start: Self.t0)
        let context = ZMQContext()
        defer { context.shutdown() }
        var logger = Logger(label: "separation")
        logger.logLevel = .critical
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://separation-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        // Drones that only say hello: no liveness in the way of the clock's jumps.
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 86_400, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let positions = try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)
        await coordinator.configureSorties(SortieFleet(fleet: fleet, hivePositions: positions))
        var drones: [String: LinkClient] = [:]
        for id in ["drone-1", "drone-2"] {
            let client = try LinkClient(context: context, endpoint: server.endpoint, identity: id, logger: logger)
            client.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: clock.now())
            #expect(await SortieTests.next(client) { if case .welcome = $0 { true } else { false } } != nil)
            drones[id] = client
        }

        // drone-1 flies the hill patrol.
        let flying = await coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-1", origin: .operator))
        #expect(flying.state == .uploading)
        // The rest of a cut-short hill patrol, for any drone: drone-2 is free, but would share the hill's sky.
        let rest = await coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, origin: .scheduled, resumeFrom: 3))
        #expect(rest.state == .queued)
        #expect(
            rest.reason?.hasPrefix("shifted for separation: airspace shared with \(flying.id) (drone-1, flying)")
                == true, "\(rest.reason ?? "")")
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        let task = try #require(PatrolTask(mission: loaded.mission, plan: plan))
        let drone = try #require(fleet.drone("drone-1"))
        let landing = Self.t0.addingTimeInterval(task.profile(from: positions["hive-1"]!, drone: drone).duration)
        #expect(abs(rest.plannedLaunch.timeIntervalSince(landing)) < 1e-3, "\(rest.plannedLaunch) vs \(landing)")

        // At that time drone-1 has not landed: it runs long, and still holds the sky.
        clock.advance(to: rest.plannedLaunch)
        await coordinator.runSorties()
        let again = try #require(await coordinator.sortie(rest.id))
        #expect(again.state == .queued)
        #expect(again.plannedLaunch == rest.plannedLaunch.addingTimeInterval(60))

        // drone-1 lands: the rest goes at once, on drone-2 (drone-1 is in its turnaround).
        let one = try #require(drones["drone-1"])
        clock.advance(by: 20)
        let landedAt = clock.now()
        one.send(.event(DeviceEvent(id: "e-1", kind: .landed, flightID: flying.id)), time: landedAt)
        #expect(await SortieTests.next(one) { if case .eventAck = $0 { true } else { false } } != nil)
        #expect(await coordinator.sortie(flying.id)?.state == .landed)
        let launched = try #require(await coordinator.sortie(rest.id))
        #expect(launched.state == .uploading, "\(launched.reason ?? "")")
        #expect(launched.vehicle == "drone-2")
        #expect(launched.launchedAt == landedAt)
        #expect(launched.requestToLaunch == landedAt.timeIntervalSince(Self.t0), "the shift counts in its wait")
        for client in drones.values { client.close() }
        server.close()
        await service.value
    }

    @Test func aContinuationAboveTheOtherDronesBandLaunchesAtOnce() async throws {
        let clock = VirtualClock(start: Self.t0)
        let context = ZMQContext()
        defer { context.shutdown() }
        var logger = Logger(label: "separation")
        logger.logLevel = .critical
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://separation-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 86_400, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        let hill = try Mission.load(from: TestKit.defaultMission)
        let roofs = try Mission.load(from: TestKit.file("missions/rooftop-thermal-patrol.yaml"))
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let positions = try ScheduleProblem.hivePositions(of: fleet, site: hill.site)
        await coordinator.configureSorties(SortieFleet(fleet: fleet, hivePositions: positions))
        var drones: [LinkClient] = []
        for id in ["drone-1", "drone-2"] {
            let client = try LinkClient(context: context, endpoint: server.endpoint, identity: id, logger: logger)
            client.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: clock.now())
            #expect(await SortieTests.next(client) { if case .welcome = $0 { true } else { false } } != nil)
            drones.append(client)
        }
        // drone-2 sweeps the hill (up to about 112 m); the rest of the rooftop patrol flies at
        // 240 m over the same ground: more than 30 m above, so drone-1 goes at once.
        let flying = await coordinator.request(
            SortieRequest(mission: hill.mission, site: hill.site, vehicle: "drone-2", origin: .operator))
        #expect(flying.state == .uploading)
        let rest = await coordinator.request(
            SortieRequest(mission: roofs.mission, site: roofs.site, origin: .scheduled, resumeFrom: 3))
        #expect(rest.state == .uploading, "\(rest.reason ?? "")")
        #expect(rest.vehicle == "drone-1")
        #expect(rest.launchedAt == Self.t0)
        for client in drones { client.close() }
        server.close()
        await service.value
    }
}
