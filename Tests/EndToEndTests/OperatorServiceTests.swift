import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// The operator service's decisions, in process: roles, refusals with their reasons, the audit log.
struct OperatorServiceTests {
    struct Rig {
        var service: OperatorService
        var store: PatrolStore
        var clock: VirtualClock
        var close: () -> Void
    }

    func rig() throws -> Rig {
        let directory = TestKit.temporaryDirectory("patrol-operator-service")
        let store = try PatrolStore(path: directory.appendingPathComponent("patrol.sqlite").path)
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_764_036_000))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let context = ZMQContext()
        let link = try LinkServer(context: context, endpoint: "inproc://devices-\(UUID())", logger: logger)
        let coordinator = try Coordinator(store: store, link: link, clock: clock, logger: logger)
        let operators = try OperatorAllowlist(operators: [
            "alice": .init(role: .admin, publicKey: try CurveKeyPair.generate().publicKey),
            "olga": .init(role: .operator, publicKey: try CurveKeyPair.generate().publicKey),
            "vic": .init(role: .viewer, publicKey: try CurveKeyPair.generate().publicKey),
        ])
        let server = try OperatorServer(
            context: context, endpoint: "inproc://operators-\(UUID())", keys: try CurveKeyPair.generate(),
            allowlist: operators, logger: logger)
        let mission = try Mission.load(from: TestKit.defaultMission)
        let setup = ServeSetup(
            site: mission.site, siteFile: TestKit.file("geo/mumianling/site.yaml"),
            fleet: try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml")),
            missions: [mission.mission.id: mission])
        let service = OperatorService(
            coordinator: coordinator, server: server, allowlist: operators, store: store, setup: setup, clock: clock,
            logger: logger, commandTimeout: 1)
        return Rig(service: service, store: store, clock: clock) {
            server.close()
            link.close()
            context.shutdown()
        }
    }

    func ask(_ rig: Rig, _ name: String, _ command: String, _ args: [String: String] = [:]) async throws
        -> OperatorResponse
    {
        let body = try JSONEncoder.operatorAPI.encode(OperatorRequest(id: "r-\(command)", command: command, args: args))
        return await rig.service.answer(OperatorFrame(peer: PeerID(name), operatorName: name, body: Array(body)))
    }

    @Test func refusalsSayWhyAndAreAudited() async throws {
        let rig = try rig()
        defer { rig.close() }
        var r = try await ask(rig, "vic", "launch", ["mission": "hill-fire-patrol"])
        #expect(!r.ok && r.reason?.hasPrefix("role not allowed") == true, "\(r)")
        #expect(r.operatorName == "vic" && r.role == "viewer" && r.id == "r-launch")
        r = try await ask(rig, "olga", "launch", ["mission": "nowhere"])
        #expect(r.reason?.hasPrefix("unknown mission `nowhere`") == true, "\(r)")
        r = try await ask(rig, "olga", "launch", ["mission": "hill-fire-patrol"])
        #expect(
            r.reason == "vehicle not ready: drone-1 is not connected; drone-2 is not connected", "\(r.reason ?? "")")
        r = try await ask(rig, "olga", "launch", ["mission": "hill-fire-patrol", "vehicle": "drone-9"])
        #expect(r.reason == "vehicle not ready: no drone `drone-9` in the fleet", "\(r.reason ?? "")")
        r = try await ask(rig, "olga", "launch", ["mission": "hill-fire-patrol", "at": "25:99"])
        #expect(r.reason?.contains("expected an ISO 8601 time or HH:MM") == true, "\(r)")

        // Wind over the hive's 12 m/s limit.
        try rig.store.record(
            StoredHiveStatus(
                deviceID: "hive-1", time: rig.clock.now(), door: "closed", charging: false, windSpeed: 20, windFrom: 90,
                rain: 0, temperature: 20))
        r = try await ask(rig, "olga", "launch", ["mission": "hill-fire-patrol"])
        #expect(r.reason?.hasPrefix("weather at hive-1: wind 20.0 m/s over the limit 12.0 m/s") == true, "\(r)")
        r = try await ask(rig, "olga", "launch", ["mission": "hill-fire-patrol", "override_weather": "true"])
        #expect(r.reason == "role not allowed: overriding weather limits needs the admin role", "\(r)")
        r = try await ask(rig, "alice", "launch", ["mission": "hill-fire-patrol", "override_weather": "true"])
        #expect(r.reason?.hasPrefix("confirmation needed") == true, "\(r)")
        // Confirmed, the override still needs a vehicle that is ready.
        r = try await ask(
            rig, "alice", "launch", ["mission": "hill-fire-patrol", "override_weather": "true", "confirm": "true"])
        #expect(r.reason?.hasPrefix("vehicle not ready") == true, "\(r)")

        let status = try await ask(rig, "vic", "status")
        #expect(status.ok)
        #expect(status.status?.hives.first?.outsideLimits == "wind 20.0 m/s over the limit 12.0 m/s")
        #expect(status.status?.vehicles.map(\.id) == ["drone-1", "drone-2", "robot-1"])

        r = try await ask(rig, "olga", "pause", ["sortie": "nothing"])
        #expect(r.reason == "pause nothing: no sortie in progress named nothing", "\(r)")
        r = try await ask(rig, "olga", "abort", ["sortie": "nothing"])
        #expect(r.reason?.hasPrefix("confirmation needed") == true, "\(r)")
        r = try await ask(rig, "olga", "schedule_apply")
        #expect(r.reason == "role not allowed: schedule_apply needs the admin role; olga has the operator role", "\(r)")
        r = try await ask(rig, "olga", "fly")
        #expect(r.reason?.hasPrefix("unknown command `fly`") == true, "\(r)")
        let garbage = await rig.service.answer(OperatorFrame(peer: PeerID("olga"), operatorName: "olga", body: [0x7B]))
        #expect(garbage.reason?.hasPrefix("bad request") == true)

        let audit = try rig.store.auditLog()
        #expect(audit.count == 14, "\(audit.map(\.command))")  // every refusal; the successful status is not audited
        #expect(audit.allSatisfy { $0.outcome == "refused" })
        #expect(audit.first?.operatorName == "vic")
        #expect(audit.first?.args == ["mission": "hill-fire-patrol"])
        #expect(audit.first?.time == rig.clock.now())
    }

    @Test func anAdminAppliesTheDaysScheduleToTheQueue() async throws {
        let rig = try rig()
        defer { rig.close() }
        let r = try await ask(rig, "alice", "schedule_apply", ["day": "2025-11-26"])
        #expect(r.ok, "\(r)")
        #expect(r.message?.contains("sorties queued") == true, "\(r)")
        let show = try await ask(rig, "vic", "schedule_show")
        #expect(show.schedule?.isEmpty == false)
        #expect(show.schedule?.allSatisfy { $0.mission == "hill-fire-patrol" } == true)
        #expect(try rig.store.auditLog().map(\.command) == ["schedule_apply"])
    }
}
