import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// A detection is written in one transaction with the telemetry the coordinator has buffered,
/// and acknowledged only after that commit (docs/alerts.md, "Durability").
struct GroupCommitTests {
    let context = ZMQContext()
    let store: PatrolStore
    let server: LinkServer
    let coordinator: Coordinator
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    init() throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        store = try PatrolStore(path: path)
        var logger = Logger(label: "group-commit")
        logger.logLevel = .critical
        server = try LinkServer(context: context, endpoint: "inproc://group-\(UUID().uuidString)", logger: logger)
        // The default batch (200 rows): a few telemetry frames alone stay buffered.
        coordinator = try Coordinator(
            store: store, link: server, clock: VirtualClock(start: t0), configuration: CoordinatorConfiguration(),
            logger: logger)
    }

    func envelope(_ message: WireMessage, sequence: UInt64) -> [UInt8] {
        WireCodec.encode(Envelope(device: "drone-3", sequence: sequence, time: t0, message: message))
    }

    func telemetry(_ index: Int) -> WireMessage {
        .telemetry(
            TelemetryReport(
                flightID: "f-1",
                telemetry: Telemetry(
                    time: t0.addingTimeInterval(Double(index)), position: LonLat(lon: 114.05, lat: 22.54),
                    altitude: 60, heading: 90, speed: 8, battery: 0.8, state: .surveying, waypointIndex: index)))
    }

    @Test(.timeLimit(.minutes(1)))
    func detectionCommitsWithPendingTelemetryBeforeItsAck() async throws {
        let service = Task { await coordinator.run() }
        defer {
            server.close()
            context.shutdown()
        }
        let raw = try Socket(context: context, kind: .dealer)
        defer { raw.close() }
        try raw.setOption(ZMQOption.routingID, bytes: Array("drone-3".utf8))
        try raw.connect(server.endpoint)
        _ = try raw.send([envelope(.hello(Hello(kind: .drone, capabilities: [])), sequence: 1)])
        guard case .welcome = try #require(try await reply(raw)).message else {
            Issue.record("not welcomed")
            return
        }
        for i in 0..<3 { _ = try raw.send([envelope(telemetry(i), sequence: UInt64(2 + i))]) }
        let detection = Detection(
            id: "drone-3/d-1", time: t0, kind: .smoke, confidence: 0.9, position: LonLat(lon: 114.06, lat: 22.55),
            positionError: 5)
        let report = DetectionReport(flightID: "f-1", detection: detection)
        _ = try raw.send([envelope(.detection(report), sequence: 5)])
        guard case .detectionAck(let ack) = try #require(try await reply(raw)).message else {
            Issue.record("the detection was not acknowledged")
            return
        }
        #expect(ack.detectionID == "drone-3/d-1")
        // On disk when the ack left: the telemetry before it (3 rows, far fewer than a batch), the
        // observation and the incident it opened.
        #expect(try store.telemetryCount(flightID: "f-1") == 3)
        #expect(try store.detectionIDs(deviceID: "drone-3") == ["drone-3/d-1"])
        #expect(try store.alert("alert-1")?.observations == 1)

        // A resend is acknowledged and changes nothing; telemetry after it stays buffered until a batch.
        _ = try raw.send([envelope(telemetry(3), sequence: 6)])
        _ = try raw.send([envelope(.detection(report), sequence: 7)])
        guard case .detectionAck = try #require(try await reply(raw)).message else {
            Issue.record("the resend was not acknowledged")
            return
        }
        #expect(try store.telemetryCount(flightID: "f-1") == 4)
        #expect(try store.alert("alert-1")?.observations == 1)
        #expect(try store.alerts().count == 1)
        server.close()
        await service.value
        #expect(try store.telemetryCount(flightID: "f-1") == 4)
    }
}
