import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

/// Robot rounds through the operator API, in process: `schedule_apply` queues the robots' rounds
/// of the day with the drones' sorties, and `launch` takes a `robot_round` mission, gated on the
/// robot (which never connects here).
struct OperatorRobotRoundTests {
    struct Rig {
        var service: OperatorService
        var coordinator: Coordinator
        var close: () -> Void
    }

    func rig() async throws -> Rig {
        let directory = TestKit.temporaryDirectory("patrol-operator-robots")
        let store = try PatrolStore(path: directory.appendingPathComponent("patrol.sqlite").path)
        // 2025-11-25 10:00 local (Asia/Shanghai).
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_764_036_000))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let context = ZMQContext()
        let link = try LinkServer(context: context, endpoint: "inproc://devices-\(UUID())", logger: logger)
        let coordinator = try Coordinator(store: store, link: link, clock: clock, logger: logger)
        let operators = try OperatorAllowlist(operators: [
            "alice": .init(role: .admin, publicKey: try CurveKeyPair.generate().publicKey)
        ])
        let server = try OperatorServer(
            context: context, endpoint: "inproc://operators-\(UUID())", keys: try CurveKeyPair.generate(),
            allowlist: operators, logger: logger)
        let hill = try Mission.load(from: TestKit.defaultMission)
        let round = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        await coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: hill.site)))
        let setup = ServeSetup(
            site: hill.site, siteFile: TestKit.file("geo/mumianling/site.yaml"), fleet: fleet,
            missions: [hill.mission.id: hill, round.mission.id: round])
        let service = OperatorService(
            coordinator: coordinator, server: server, allowlist: operators, store: store, setup: setup, clock: clock,
            logger: logger, commandTimeout: 1)
        return Rig(service: service, coordinator: coordinator) {
            server.close()
            link.close()
            context.shutdown()
        }
    }

    func ask(_ rig: Rig, _ command: String, _ args: [String: String] = [:]) async throws -> OperatorResponse {
        let body = try JSONEncoder.operatorAPI.encode(OperatorRequest(id: "r-\(command)", command: command, args: args))
        return await rig.service.answer(OperatorFrame(peer: PeerID("alice"), operatorName: "alice", body: Array(body)))
    }

    @Test func scheduleApplyQueuesTheRobotsRoundsToo() async throws {
        let rig = try await rig()
        defer { rig.close() }
        let r = try await ask(rig, "schedule_apply", ["day": "2025-11-26"])
        #expect(r.ok, "\(r)")
        let rounds = (r.schedule ?? []).filter { $0.mission == "basement-round" }
        // Hourly through the night: 00:00 to 05:00, 22:00 and 23:00.
        #expect(rounds.count == 8, "\(r.schedule ?? [])")
        #expect(rounds.allSatisfy { $0.vehicle == "robot-1" && $0.state == "queued" }, "\(rounds)")
        #expect((r.schedule ?? []).contains { $0.mission == "hill-fire-patrol" })
        let queued = await rig.coordinator.sorties().filter { $0.missionID == "basement-round" }
        #expect(queued.count == 8)
    }

    @Test func launchTakesARobotRoundAndSaysWhyTheRobotIsNotReady() async throws {
        let rig = try await rig()
        defer { rig.close() }
        var r = try await ask(rig, "launch", ["mission": "basement-round"])
        #expect(r.reason == "vehicle not ready: robot-1 is not connected", "\(r)")
        r = try await ask(rig, "launch", ["mission": "basement-round", "vehicle": "drone-1"])
        #expect(r.reason == "vehicle not ready: no robot `drone-1` in the fleet", "\(r)")
        r = try await ask(rig, "launch", ["mission": "basement-round", "vehicle": "robot-1", "at": "23:00"])
        #expect(r.ok, "\(r)")
        #expect(r.message?.contains("basement-round on robot-1") == true, "\(r)")
        let sortie = try #require(r.sortie)
        #expect(await rig.coordinator.sortie(sortie)?.state == .queued)
    }
}
