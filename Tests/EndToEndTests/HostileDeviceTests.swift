import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Devices are untrusted: the coordinator answers every bad frame with an error, stores
/// nothing from it, and keeps everything it accepted before.
struct HostileDeviceTests {
    let context = ZMQContext()
    let store: PatrolStore
    let server: LinkServer
    let coordinator: Coordinator
    let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_764_036_000))
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    init() throws {
        store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        var logger = Logger(label: "hostile")
        logger.logLevel = .critical
        server = try LinkServer(context: context, endpoint: "inproc://hostile-\(UUID().uuidString)", logger: logger)
        coordinator = try Coordinator(
            store: store, link: server, clock: clock, configuration: .init(telemetryBatch: 1), logger: logger)
    }

    func close() {
        server.close()
        context.shutdown()
    }

    func envelope(_ message: WireMessage, device: String, sequence: UInt64) -> [UInt8] {
        WireCodec.encode(Envelope(device: device, sequence: sequence, time: t0, message: message))
    }

    func telemetry(battery: Double) -> WireMessage {
        .telemetry(
            TelemetryReport(
                flightID: nil,
                telemetry: Telemetry(
                    time: t0, position: LonLat(lon: 114.133, lat: 22.577), altitude: 50, heading: 90, speed: 8,
                    battery: battery,
                    state: .surveying, waypointIndex: 1)))
    }

    @Test(.timeLimit(.minutes(1)))
    func badFramesGetErrorsAndGoodOnesAreKept() async throws {
        defer { close() }
        let service = Task { await coordinator.run() }
        let raw = try Socket(context: context, kind: .dealer)
        defer { raw.close() }
        try raw.setOption(ZMQOption.routingID, bytes: Array("drone-7".utf8))
        try raw.connect(server.endpoint)

        // Garbage: an error naming what is wrong.
        _ = try raw.send([Array("{\"v\":1,\"type\":".utf8)])
        let garbage = try #require(try await reply(raw))
        guard case .error(let e1) = garbage.message else {
            Issue.record("expected an error, got \(garbage.message)"); return
        }
        #expect(e1.code == "bad_frame")

        // Telemetry before hello: refused.
        _ = try raw.send([envelope(telemetry(battery: 0.9), device: "drone-7", sequence: 1)])
        guard case .error(let e2) = try #require(try await reply(raw)).message else {
            Issue.record("expected an error"); return
        }
        #expect(e2.code == "not_registered")

        // Hello: welcomed.
        _ = try raw.send([envelope(.hello(Hello(kind: .drone, capabilities: [])), device: "drone-7", sequence: 2)])
        guard case .welcome = try #require(try await reply(raw)).message else {
            Issue.record("expected welcome"); return
        }

        // A good sample, then an impossible one, then one claiming to be another device.
        _ = try raw.send([envelope(telemetry(battery: 0.9), device: "drone-7", sequence: 3)])
        _ = try raw.send([envelope(telemetry(battery: 5), device: "drone-7", sequence: 4)])
        guard case .error(let e3) = try #require(try await reply(raw)).message else {
            Issue.record("expected an error"); return
        }
        #expect(e3.code == "bad_value")
        #expect(e3.message.contains("battery"))
        #expect(e3.refSequence == 4)
        _ = try raw.send([envelope(telemetry(battery: 0.8), device: "drone-8", sequence: 5)])
        guard case .error(let e4) = try #require(try await reply(raw)).message else {
            Issue.record("expected an error"); return
        }
        #expect(e4.code == "not_registered")

        // A detection sent twice is stored once and acknowledged twice.
        let detection = DetectionReport(
            flightID: nil,
            detection: Detection(
                id: "d-1", time: t0, kind: .smoke, confidence: 0.9, position: LonLat(lon: 114.1335, lat: 22.5772),
                positionError: 5))
        for sequence in [6, 7] as [UInt64] {
            _ = try raw.send([envelope(.detection(detection), device: "drone-7", sequence: sequence)])
            guard case .detectionAck(let ack) = try #require(try await reply(raw)).message else {
                Issue.record("expected an ack"); return
            }
            #expect(ack.detectionID == "d-1")
        }

        // Everything handled: a heartbeat echo proves it.
        _ = try raw.send([envelope(.heartbeat, device: "drone-7", sequence: 8)])
        #expect(try await reply(raw)?.message == .heartbeat)
        await coordinator.flush()
        #expect(try store.telemetryCount() == 1)
        #expect(try store.alerts().count == 1)
        #expect(try store.alerts().first?.observations == 1)
        server.close()
        await service.value
    }
}
