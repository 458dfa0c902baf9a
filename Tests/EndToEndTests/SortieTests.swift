import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// The sortie layer of the coordinator, against real sockets on a virtual clock: sorties are
/// queued, launched at their time, and refused by pre-flight gating with the reason.
@Suite(.timeLimit(.minutes(1)))
struct SortieTests {
    struct Rig {
        var clock: VirtualClock
        var context: ZMQContext
        var server: LinkServer
        var coordinator: Coordinator
        var store: PatrolStore
        var service: Task<Void, Never>
        var logger: Logger

        func client(_ id: String) throws -> LinkClient {
            try LinkClient(context: context, endpoint: server.endpoint, identity: id, logger: logger)
        }

        func close() async {
            server.close()
            await service.value
            context.shutdown()
        }
    }

    static let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    static func rig() throws -> Rig {
        let clock = VirtualClock(start: t0)
        let context = ZMQContext()
        var logger = Logger(label: "sorties")
        logger.logLevel = .critical
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://sortie-\(UUID().uuidString)", logger: logger, now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(livenessCheckInterval: .seconds(3600)), logger: logger)
        let service = Task { await coordinator.run() }
        return Rig(
            clock: clock, context: context, server: server, coordinator: coordinator, store: store, service: service,
            logger: logger)
    }

    /// Waits (real time, as a hang guard) for the next message of `client` that `matches`.
    static func next(_ client: LinkClient, _ matches: @escaping (WireMessage) -> Bool) async -> WireMessage? {
        var inbound = client.inbound.makeAsyncIterator()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard let frame = await inbound.next() else { return nil }
            if case .success(let envelope) = frame, matches(envelope.message) { return envelope.message }
        }
        return nil
    }

    @Test func aQueuedSortieLaunchesAtItsTime() async throws {
        let rig = try Self.rig()
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let drone = try rig.client("drone-1")
        drone.send(.hello(Hello(kind: .drone, capabilities: [], hive: loaded.mission.hive)), time: Self.t0)
        #expect(await Self.next(drone) { if case .welcome = $0 { true } else { false } } != nil)

        let queued = await rig.coordinator.request(
            SortieRequest(
                mission: loaded.mission, site: loaded.site, vehicle: "drone-1",
                notBefore: Self.t0.addingTimeInterval(600),
                origin: .scheduled))
        #expect(queued.state == .queued)
        #expect(queued.vehicle == "drone-1")
        // The drone keeps its heartbeat; each frame lets the coordinator launch what is due.
        for _ in 0..<599 {
            rig.clock.advance(by: 1)
            drone.send(.heartbeat, time: rig.clock.now())
            #expect(await Self.next(drone) { $0 == .heartbeat } != nil)
        }
        #expect(await rig.coordinator.sortie(queued.id)?.state == .queued)
        rig.clock.advance(by: 1)
        drone.send(.heartbeat, time: rig.clock.now())
        let upload = await Self.next(drone) { if case .missionUpload = $0 { true } else { false } }
        guard case .missionUpload(let m) = upload else {
            Issue.record("no upload")
            return
        }
        #expect(m.flightID == queued.id)
        let launched = try #require(await rig.coordinator.sortie(queued.id))
        #expect(launched.state == .uploading)
        #expect(launched.launchedAt == Self.t0.addingTimeInterval(600))
        drone.close()
        await rig.close()
    }

    @Test func anAbortedSortieIsRecordedAsAbortedWhenItLands() async throws {
        let rig = try Self.rig()
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let drone = try rig.client("drone-1")
        drone.send(.hello(Hello(kind: .drone, capabilities: [], hive: loaded.mission.hive)), time: Self.t0)
        #expect(await Self.next(drone) { if case .welcome = $0 { true } else { false } } != nil)
        let sortie = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-1", origin: .operator))
        guard
            case .missionUpload(let upload) = await Self.next(
                drone, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload")
            return
        }
        drone.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        guard case .command(let start) = await Self.next(drone, { if case .command = $0 { true } else { false } })
        else {
            Issue.record("no start")
            return
        }
        drone.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        // The operator aborts; the drone accepts, flies home and lands.
        async let outcome = rig.coordinator.command(.abort, flightID: sortie.id, timeout: 30)
        guard case .command(let abort) = await Self.next(drone, { if case .command = $0 { true } else { false } })
        else {
            Issue.record("no abort")
            return
        }
        #expect(abort.action == .abort)
        drone.send(.commandAck(CommandAck(commandID: abort.id, accepted: true)), time: rig.clock.now())
        #expect(await outcome == .accepted)
        drone.send(
            .event(DeviceEvent(id: "e-1", kind: .landed, flightID: sortie.id)), time: rig.clock.now())
        #expect(await Self.next(drone) { if case .eventAck = $0 { true } else { false } } != nil)
        #expect(try rig.store.flight(sortie.id)?.status == .aborted)
        #expect(await rig.coordinator.sortie(sortie.id)?.state == .aborted)
        drone.close()
        await rig.close()
    }

    @Test func aQueuedSortieIsQueuedAgainAfterARestart() async throws {
        let rig = try Self.rig()
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let queued = await rig.coordinator.request(
            SortieRequest(
                mission: loaded.mission, site: loaded.site, vehicle: "drone-1",
                notBefore: Self.t0.addingTimeInterval(600), priority: 7, origin: .operator))
        #expect(queued.state == .queued)
        await rig.close()

        // A new coordinator on the same database finds it waiting, with its time and priority.
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(
            context: context, endpoint: "inproc://requeue-\(UUID().uuidString)", logger: rig.logger)
        defer { server.close() }
        let again = try Coordinator(
            store: rig.store, link: server, clock: rig.clock,
            configuration: CoordinatorConfiguration(livenessCheckInterval: .seconds(3600)), logger: rig.logger)
        #expect(await again.sorties().isEmpty)
        let resumed = try await again.resumeQueuedSorties()
        #expect(resumed.map(\.id) == [queued.id])
        let status = try #require(await again.sortie(queued.id))
        #expect(status.state == .queued)
        #expect(status.plannedLaunch == Self.t0.addingTimeInterval(600))
        #expect(status.priority == 7)
        #expect(status.vehicle == "drone-1")
        // Once resumed it is not resumed twice.
        #expect(try rig.store.sortieRequests(state: "queued").map(\.id) == [queued.id])
    }

    @Test func windAtTheHiveRefusesALaunchWithTheReason() async throws {
        let rig = try Self.rig()
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let hive = try rig.client(loaded.mission.hive)
        hive.send(.hello(Hello(kind: .hive, capabilities: [])), time: Self.t0)
        #expect(await Self.next(hive) { if case .welcome = $0 { true } else { false } } != nil)
        hive.send(
            .hiveStatus(
                HiveStatus(door: .closed, charging: true, windSpeed: 17, windFrom: 90, rain: 0, temperature: 20)),
            time: Self.t0)
        hive.send(.heartbeat, time: Self.t0)
        #expect(await Self.next(hive) { $0 == .heartbeat } != nil)
        let drone = try rig.client("drone-1")
        drone.send(.hello(Hello(kind: .drone, capabilities: [], hive: loaded.mission.hive)), time: Self.t0)
        #expect(await Self.next(drone) { if case .welcome = $0 { true } else { false } } != nil)

        let status = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-1"))
        #expect(status.state == .refused)
        #expect(status.reason?.contains("wind 17.0 m/s") == true)

        hive.send(
            .hiveStatus(HiveStatus(door: .stuck, charging: true, windSpeed: 2, windFrom: 90, rain: 0, temperature: 20)),
            time: Self.t0)
        hive.send(.heartbeat, time: Self.t0)
        #expect(await Self.next(hive) { $0 == .heartbeat } != nil)
        let stuck = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-1"))
        #expect(stuck.state == .refused)
        #expect(stuck.reason?.contains("door") == true)
        #expect(await rig.coordinator.sorties().map(\.state) == [.refused, .refused])
        hive.close()
        drone.close()
        await rig.close()
    }
}
