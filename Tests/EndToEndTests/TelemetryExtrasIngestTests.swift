import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Attitude, climb rate and absolute altitude are range-checked, naming the member, and stored
/// with the sample when good.
struct TelemetryExtrasIngestTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    func frame(_ message: WireMessage, sequence: UInt64) -> [UInt8] {
        WireCodec.encode(Envelope(device: "drone-5", sequence: sequence, time: t0, message: message))
    }

    func telemetry(pitch: Double, climb: Double = 0.5) -> WireMessage {
        .telemetry(
            TelemetryReport(
                flightID: "f-extras",
                telemetry: Telemetry(
                    time: t0, position: LonLat(lon: 114.133, lat: 22.577), altitude: 50, heading: 90, speed: 8,
                    battery: 0.8, state: .surveying, waypointIndex: 1, altitudeAMSL: 142.25, verticalSpeed: climb,
                    attitude: Attitude(roll: 2, pitch: pitch, yaw: 91.5))))
    }

    @Test(.timeLimit(.minutes(1)))
    func badExtrasAreRefusedByNameAndGoodOnesStored() async throws {
        let context = ZMQContext()
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        var logger = Logger(label: "extras")
        logger.logLevel = .critical
        let server = try LinkServer(
            context: context, endpoint: "inproc://extras-\(UUID().uuidString)", logger: logger)
        let coordinator = try Coordinator(
            store: store, link: server, clock: VirtualClock(start: t0), configuration: .init(telemetryBatch: 1),
            logger: logger)
        let service = Task { await coordinator.run() }
        let raw = try Socket(context: context, kind: .dealer)
        try raw.setOption(ZMQOption.routingID, bytes: Array("drone-5".utf8))
        try raw.connect(server.endpoint)

        _ = try raw.send([frame(.hello(Hello(kind: .drone, capabilities: [])), sequence: 1)])
        guard case .welcome = try #require(try await reply(raw)).message else {
            Issue.record("expected welcome"); return
        }
        _ = try raw.send([frame(telemetry(pitch: -12.5), sequence: 2)])
        _ = try raw.send([frame(telemetry(pitch: 120), sequence: 3)])
        guard case .error(let pitch) = try #require(try await reply(raw)).message else {
            Issue.record("expected an error"); return
        }
        #expect(pitch.code == "bad_value")
        #expect(pitch.message.contains("telemetry.attitude.pitch"))
        #expect(pitch.refSequence == 3)
        _ = try raw.send([frame(telemetry(pitch: 0, climb: 400), sequence: 4)])
        guard case .error(let climb) = try #require(try await reply(raw)).message else {
            Issue.record("expected an error"); return
        }
        #expect(climb.message.contains("telemetry.vertical_speed"))
        _ = try raw.send([frame(.heartbeat, sequence: 5)])
        #expect(try await reply(raw)?.message == .heartbeat)

        await coordinator.flush()
        #expect(try store.telemetryCount() == 1)
        let stored = try #require(try store.lastTelemetry(flightID: "f-extras"))
        #expect(stored.attitude == Attitude(roll: 2, pitch: -12.5, yaw: 91.5))
        #expect(stored.altitudeAMSL == 142.25)
        #expect(stored.verticalSpeed == 0.5)
        raw.close()
        server.close()
        await service.value
        context.shutdown()
    }
}
