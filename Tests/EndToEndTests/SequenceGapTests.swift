import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// A gap in a session's `seq` (messages lost on the way) is accepted and counted; a replayed
/// `seq` is refused and nothing from it is stored.
struct SequenceGapTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    func envelope(_ message: WireMessage, sequence: UInt64) -> [UInt8] {
        WireCodec.encode(Envelope(device: "drone-3", sequence: sequence, time: t0, message: message))
    }

    func telemetry(battery: Double) -> WireMessage {
        .telemetry(
            TelemetryReport(
                flightID: nil,
                telemetry: Telemetry(
                    time: t0, position: LonLat(lon: 114.133, lat: 22.577), altitude: 50, heading: 90, speed: 8,
                    battery: battery, state: .surveying, waypointIndex: 1)))
    }

    @Test(.timeLimit(.minutes(1)))
    func aGapIsCountedAndAReplayIsRefused() async throws {
        let context = ZMQContext()
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        var logger = Logger(label: "gaps")
        logger.logLevel = .critical
        let server = try LinkServer(context: context, endpoint: "inproc://gaps-\(UUID().uuidString)", logger: logger)
        let coordinator = try Coordinator(
            store: store, link: server, clock: VirtualClock(start: t0), configuration: .init(telemetryBatch: 1),
            logger: logger)
        let service = Task { await coordinator.run() }
        let raw = try Socket(context: context, kind: .dealer)
        try raw.setOption(ZMQOption.routingID, bytes: Array("drone-3".utf8))
        try raw.connect(server.endpoint)

        _ = try raw.send([envelope(.hello(Hello(kind: .drone, capabilities: [])), sequence: 1)])
        guard case .welcome = try #require(try await reply(raw)).message else {
            Issue.record("expected welcome"); return
        }
        _ = try raw.send([envelope(telemetry(battery: 0.9), sequence: 2)])
        // Seven messages lost on the way: accepted, and counted.
        _ = try raw.send([envelope(telemetry(battery: 0.89), sequence: 10)])
        // The same number again: a replay, refused.
        _ = try raw.send([envelope(telemetry(battery: 0.88), sequence: 10)])
        guard case .error(let refused) = try #require(try await reply(raw)).message else {
            Issue.record("expected an error"); return
        }
        #expect(refused.code == "bad_value")
        #expect(refused.refSequence == 10)
        #expect(refused.message.contains("not after 10"))
        _ = try raw.send([envelope(.heartbeat, sequence: 11)])
        #expect(try await reply(raw)?.message == .heartbeat)

        await coordinator.flush()
        #expect(try store.telemetryCount() == 2)
        let metrics = await coordinator.metricsText()
        #expect(metrics.contains("patrol_link_sequence_gaps_total 1\n"))
        #expect(metrics.contains("patrol_link_messages_missing_total 7\n"))
        raw.close()
        server.close()
        await service.value
        context.shutdown()
    }
}
