import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Fusion through the coordinator: a drone and a camera confirm one fire; once an operator
/// resolves it from another process, the next sighting opens a new incident linked to it.
struct FusionScenarioTests {
    let context = ZMQContext()
    let path: String
    let store: PatrolStore
    let server: LinkServer
    let coordinator: Coordinator
    let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_764_036_000))
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    let fire = LonLat(lon: 114.1335, lat: 22.5772)

    init() throws {
        path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        store = try PatrolStore(path: path)
        var logger = Logger(label: "fusion")
        logger.logLevel = .critical
        server = try LinkServer(context: context, endpoint: "inproc://fusion-\(UUID().uuidString)", logger: logger)
        coordinator = try Coordinator(store: store, link: server, clock: clock, logger: logger)
    }

    /// A registered raw device socket.
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

    /// Sends a detection and waits for its acknowledgement, so it is folded when this returns.
    func sight(_ raw: Socket, _ name: String, id: String, confidence: Double, at seconds: Double, sequence: UInt64)
        async throws
    {
        let report = DetectionReport(
            flightID: nil,
            detection: Detection(
                id: id, time: t0.addingTimeInterval(seconds), kind: .smoke, confidence: confidence, position: fire,
                positionError: 5))
        _ = try raw.send([envelope(.detection(report), device: name, sequence: sequence)])
        guard case .detectionAck = try #require(try await reply(raw)).message else {
            throw FusionScenarioError(message: "\(id) was not acknowledged")
        }
    }

    func envelope(_ message: WireMessage, device: String, sequence: UInt64) -> [UInt8] {
        WireCodec.encode(Envelope(device: device, sequence: sequence, time: t0, message: message))
    }

    @Test(.timeLimit(.minutes(1)))
    func droneAndCameraConfirmThenResolvedIncidentIsNotRejoined() async throws {
        let service = Task { await coordinator.run() }
        defer {
            server.close()
            context.shutdown()
        }
        let drone = try await device("drone-7", .drone)
        defer { drone.close() }
        let camera = try await device("cam-17", .camera)
        defer { camera.close() }

        for n in 0..<5 {
            try await sight(drone, "drone-7", id: "d-\(n)", confidence: 0.8, at: Double(n), sequence: UInt64(2 + n))
        }
        var first = try #require(try store.alert("alert-1"))
        #expect(first.confidence == 0.8)
        #expect(!first.confirmed)
        try await sight(camera, "cam-17", id: "c-1", confidence: 0.6, at: 6, sequence: 2)
        first = try #require(try store.alert("alert-1"))
        #expect(first.confirmed)
        #expect(abs(first.confidence - 0.92) < 1e-9)
        #expect(try store.alerts().count == 1)

        // An operator resolves it from the CLI: another process, another connection to the file.
        let cli = try PatrolStore(path: path)
        first.state = .resolved
        try cli.save(first, detectionID: nil, deviceID: nil, actor: "operator", reason: "out", at: t0 + 600)

        try await sight(drone, "drone-7", id: "d-9", confidence: 0.7, at: 900, sequence: 9)
        let second = try #require(try store.alert("alert-2"))
        #expect(second.reopenedFrom == "alert-1")
        #expect(second.state == .new)
        #expect(try store.alert("alert-1")?.state == .resolved)
        #expect(try store.alert("alert-1")?.observations == 6)
        server.close()
        await service.value
    }
}

struct FusionScenarioError: Error {
    var message: String
}
