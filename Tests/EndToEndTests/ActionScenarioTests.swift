import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Linked automatic actions through the coordinator, with the Mumianling files: a smoke alarm in
/// tower 7 asks for a verification sortie; a drone confirming a fire there keeps a drone on
/// overwatch, sends the connected robot off the evacuation routes and notifies the fire station;
/// a verification that finds nothing makes another incident a false alarm.
struct ActionScenarioTests {
    let context = ZMQContext()
    let store: PatrolStore
    let server: LinkServer
    let coordinator: Coordinator
    let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_764_036_000))
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    static let tower7 = LonLat(lon: 114.131216, lat: 22.571354)

    init() throws {
        store = try PatrolStore(
            path: TestKit.temporaryDirectory("patrol-actions").appendingPathComponent("p.sqlite").path)
        var logger = Logger(label: "actions")
        logger.logLevel = .critical
        server = try LinkServer(context: context, endpoint: "inproc://actions-\(UUID().uuidString)", logger: logger)
        let engine = EscalationEngine(
            store: store, rules: try AlertPolicy.load(siteDirectory: TestKit.file("geo/mumianling")), clock: clock,
            logger: logger)
        coordinator = try Coordinator(
            store: store, link: server, clock: clock, configuration: CoordinatorConfiguration(escalation: engine),
            logger: logger)
    }

    func device(_ name: String, _ kind: DeviceKind) async throws -> Socket {
        let raw = try Socket(context: context, kind: .dealer)
        try raw.setOption(ZMQOption.routingID, bytes: Array(name.utf8))
        try raw.connect(server.endpoint)
        _ = try raw.send([envelope(.hello(Hello(kind: kind, capabilities: [])), device: name, sequence: 1)])
        guard case .welcome = try #require(try await reply(raw)).message else {
            throw FusionScenarioError(message: "\(name) was not welcomed")
        }
        return raw
    }

    func sight(
        _ raw: Socket, _ name: String, id: String, kind: DetectionClass, confidence: Double, at position: LonLat,
        verified: Bool? = nil, sequence: UInt64
    ) async throws {
        let report = DetectionReport(
            flightID: nil,
            detection: Detection(
                id: id, time: clock.now(), kind: kind, confidence: confidence, position: position, positionError: 5,
                verified: verified))
        _ = try raw.send([envelope(.detection(report), device: name, sequence: sequence)])
        guard case .detectionAck = try #require(try await reply(raw)).message else {
            throw FusionScenarioError(message: "\(id) was not acknowledged")
        }
    }

    func envelope(_ message: WireMessage, device: String, sequence: UInt64) -> [UInt8] {
        WireCodec.encode(Envelope(device: device, sequence: sequence, time: t0, message: message))
    }

    @Test(.timeLimit(.minutes(1)))
    func aSmokeAlarmThenAConfirmedFireTriggerTheirActionsOnceEach() async throws {
        let service = Task { await coordinator.run() }
        defer { context.shutdown() }
        let gateway = try await device("gw-t7", .sensorGateway)
        defer { gateway.close() }
        let robot = try await device("robot-1", .robot)
        defer { robot.close() }
        let drone = try await device("drone-1", .drone)
        defer { drone.close() }
        let events = Task {
            var seen: [String] = []
            for await event in coordinator.events {
                switch event {
                case .verificationRequested(let id, _): seen.append("verify \(id)")
                case .overwatchRequested(let id, _): seen.append("overwatch \(id)")
                case .partyNotified(let id, let party, let contact): seen.append("notify \(id) \(party) \(contact)")
                default: break
                }
            }
            return seen
        }

        try await sight(gateway, "gw-t7", id: "smoke-9", kind: .smoke, confidence: 1, at: Self.tower7, sequence: 2)
        #expect(try store.actions(alertID: "alert-1").map(\.kind) == ["request_verification"])
        try await sight(drone, "drone-1", id: "f-1", kind: .fire, confidence: 0.8, at: Self.tower7, sequence: 2)
        // The robot is told to keep off the tower's evacuation routes.
        let said = try #require(try await reply(robot))
        guard case .command(let command) = said.message else {
            Issue.record("expected a command, got \(said.message)")
            return
        }
        #expect(command.action == .speak)
        #expect(command.text?.contains("T07") == true)
        // ... and sent off the routes, back to its station.
        let away = try #require(try await reply(robot))
        guard case .command(let back) = away.message else {
            Issue.record("expected a command, got \(away.message)")
            return
        }
        #expect(back.action == .returnToHive)
        // A second confirming sighting does not repeat anything.
        try await sight(drone, "drone-1", id: "f-2", kind: .fire, confidence: 0.9, at: Self.tower7, sequence: 3)

        let actions = try store.actions(alertID: "alert-1")
        #expect(
            actions.map { "\($0.kind) \($0.target)" } == [
                "request_verification scheduler", "keep_overwatch scheduler", "clear_evacuation_routes robot-1",
                "notify luohu-fire",
            ])
        #expect(actions.allSatisfy { !$0.reason.isEmpty })
        #expect(actions[2].commandID == command.id)
        #expect(
            try store.notifications(alertID: "alert-1").contains {
                $0.level == "action" && $0.recipient == "luohu-fire"
            })
        server.close()
        await service.value
        #expect(
            await events.value == [
                "verify alert-1", "overwatch alert-1", "notify alert-1 luohu-fire tel:119",
            ])
    }

    @Test(.timeLimit(.minutes(1)))
    func aSmokeAlarmSendsTheReadyDroneToVerifyIt() async throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        await coordinator.configureVerification(VerificationTemplate(base: loaded.mission, site: loaded.site))
        let service = Task { await coordinator.run() }
        defer { context.shutdown() }
        let gateway = try await device("gw-t7", .sensorGateway)
        defer { gateway.close() }
        let drone = try await device("drone-1", .drone)
        defer { drone.close() }

        try await sight(gateway, "gw-t7", id: "smoke-9", kind: .smoke, confidence: 1, at: Self.tower7, sequence: 2)
        let sortie = try #require(await coordinator.sorties().first { $0.missionID == "verify-alert-1" })
        #expect(sortie.origin == .urgent)
        #expect(sortie.priority == 10)
        #expect(sortie.vehicle == "drone-1", "\(sortie.state) \(sortie.reason ?? "")")
        // The drone is sent the sweep of the square around the alarm.
        let sent = try #require(try await reply(drone))
        guard case .missionUpload(let upload) = sent.message else {
            Issue.record("expected a mission upload, got \(sent.message)")
            return
        }
        #expect(upload.flightID == sortie.id)
        server.close()
        await service.value
    }

    @Test(.timeLimit(.minutes(1)))
    func aVerificationRaisesOrLowersCertaintyAndCanMakeAFalseAlarm() async throws {
        let service = Task { await coordinator.run() }
        defer { context.shutdown() }
        let camera = try await device("cam-3", .camera)
        defer { camera.close() }
        let drone = try await device("drone-2", .drone)
        defer { drone.close() }
        let plaza = LonLat(lon: 114.1324807, lat: 22.5717153)
        try await sight(camera, "cam-3", id: "c-1", kind: .garbage, confidence: 0.6, at: plaza, sequence: 2)
        #expect(try store.deadline(alertID: "alert-1") != nil)
        // Sent to look: it is there. Certainty rises (two independent sources).
        try await sight(
            drone, "drone-2", id: "v-1", kind: .garbage, confidence: 0.7, at: plaza, verified: true, sequence: 2)
        let raised = try #require(try store.alert("alert-1"))
        #expect(abs(raised.confidence - 0.88) < 1e-9)
        #expect(raised.confirmed)

        // Elsewhere, a camera's doubtful sighting; the drone finds nothing there.
        let lane = LonLat(lon: 114.1290, lat: 22.5690)
        try await sight(camera, "cam-3", id: "c-2", kind: .garbage, confidence: 0.6, at: lane, sequence: 3)
        try await sight(
            drone, "drone-2", id: "v-2", kind: .garbage, confidence: 0.9, at: lane, verified: false, sequence: 3)
        let refuted = try #require(try store.alert("alert-2"))
        #expect(abs(refuted.confidence - 0.06) < 1e-9)
        #expect(refuted.state == .falseAlarm)
        #expect(try store.deadline(alertID: "alert-2") == nil, "a false alarm escalates no further")
        let last = try #require(try store.alertTransitions(alertID: "alert-2").last)
        #expect(last.actor == "verification")
        #expect(last.reason.contains("verified absent by drone-2"))
        #expect(try store.alert("alert-1")?.state != .falseAlarm)
        server.close()
        await service.value
    }
}
