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

/// A gateway's readings are stored once each; CO over threshold in a basement zone opens a gas
/// alert and switches that zone's fan on, and the fan's ack is recorded with the command.
struct SensorIngestTests {
    let context = ZMQContext()
    let store: PatrolStore
    let server: LinkServer
    let coordinator: Coordinator
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    init() throws {
        store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        var logger = Logger(label: "ingest")
        logger.logLevel = .critical
        server = try LinkServer(context: context, endpoint: "inproc://ingest-\(UUID().uuidString)", logger: logger)
        let rules = try SensorRules(yaml: Self.rulesText(), file: "thresholds.yaml")
        coordinator = try Coordinator(
            store: store, link: server, clock: VirtualClock(start: t0), configuration: .init(sensorRules: rules),
            logger: logger)
    }

    static func rulesText() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("geo/mumianling/thresholds.yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    func reply(_ socket: Socket) async throws -> Envelope? {
        let box = RawSocket(socket: socket)
        guard let frames = try await TestKit.offPool({ try box.socket.receive(within: 30) }), let first = frames.first
        else {
            return nil
        }
        return try WireCodec.decode(first)
    }

    func send(_ socket: Socket, _ message: WireMessage, sequence: UInt64) throws {
        _ = try socket.send([
            WireCodec.encode(Envelope(device: "gw-b2", sequence: sequence, time: t0, message: message))
        ])
    }

    func reading(_ id: String, _ value: Double, zone: String = "b2-north") -> SensorReading {
        SensorReading(
            id: id, sensor: "co-\(zone)-1", kind: .co, value: value, unit: "ppm", time: t0,
            location: SensorLocation(building: "car-park", floor: -2, zone: zone))
    }

    @Test(.timeLimit(.minutes(1)))
    func coOverThresholdOpensAGasAlertAndSwitchesTheFanOn() async throws {
        let service = Task { await coordinator.run() }
        let raw = try Socket(context: context, kind: .dealer)
        try raw.setOption(ZMQOption.routingID, bytes: Array("gw-b2".utf8))
        try raw.connect(server.endpoint)
        try send(raw, .hello(Hello(kind: .sensorGateway, capabilities: ["actuator.fan"])), sequence: 1)
        guard case .welcome = try #require(try await reply(raw)).message else { Issue.record("no welcome"); return }

        let batch = SensorReadings(readings: [reading("gw-b2/r-1", 3), reading("gw-b2/r-2", 62.5)])
        try send(raw, .sensorReadings(batch), sequence: 2)
        guard case .command(let command) = try #require(try await reply(raw)).message else {
            Issue.record("expected the fan command"); return
        }
        #expect(command.action == .switchActuator)
        #expect(command.actuator == "fan-b2-north")
        #expect(command.on == true)
        guard case .readingsAck(let ack) = try #require(try await reply(raw)).message else {
            Issue.record("expected readings_ack"); return
        }
        #expect(ack.readingIDs == ["gw-b2/r-1", "gw-b2/r-2"])

        // A resend is acknowledged again but stored once, and raises nothing new.
        try send(raw, .sensorReadings(batch), sequence: 3)
        guard case .readingsAck = try #require(try await reply(raw)).message else { Issue.record("no ack"); return }
        try send(raw, .commandAck(CommandAck(commandID: command.id, accepted: true)), sequence: 4)
        // A bad batch is refused whole, naming the reading.
        var bad = batch
        bad.readings.append(reading("", 1))
        try send(raw, .sensorReadings(bad), sequence: 5)
        guard case .error(let error) = try #require(try await reply(raw)).message else {
            Issue.record("no error"); return
        }
        #expect(error.message.contains("readings[2].id"))
        try send(raw, .heartbeat, sequence: 6)
        guard case .heartbeat = try #require(try await reply(raw)).message else { Issue.record("no echo"); return }

        #expect(try store.readingCount() == 2)
        let alerts = try store.alerts()
        #expect(alerts.map(\.kind) == [.gas])
        #expect(alerts.first?.observations == 1)
        let recorded = try #require(try store.command(id: command.id))
        #expect(recorded.action == "switch_actuator")
        #expect(recorded.accepted == true)
        raw.close()
        server.close()
        await service.value
        context.shutdown()
    }
}

extension SensorIngestTests {
    /// A smoke detector's alarm and a drone's sighting of the same smoke: one incident, confirmed,
    /// with the two sources' confidences combined.
    @Test(.timeLimit(.minutes(1)))
    func smokeDetectorAndDroneConfirmOneFire() async throws {
        let service = Task { await coordinator.run() }
        let gateway = try Socket(context: context, kind: .dealer)
        try gateway.setOption(ZMQOption.routingID, bytes: Array("gw-b2".utf8))
        try gateway.connect(server.endpoint)
        try send(gateway, .hello(Hello(kind: .sensorGateway, capabilities: [])), sequence: 1)
        guard case .welcome = try #require(try await reply(gateway)).message else { Issue.record("no welcome"); return }
        let drone = try Socket(context: context, kind: .dealer)
        try drone.setOption(ZMQOption.routingID, bytes: Array("drone-7".utf8))
        try drone.connect(server.endpoint)
        let hello = Envelope(
            device: "drone-7", sequence: 1, time: t0, message: .hello(Hello(kind: .drone, capabilities: [])))
        _ = try drone.send([WireCodec.encode(hello)])
        guard case .welcome = try #require(try await reply(drone)).message else { Issue.record("no welcome"); return }

        let flat = LonLat(lon: 114.1335, lat: 22.5772)
        let alarm = SensorReading(
            id: "gw-b2/s-1", sensor: "smoke-7-1203", kind: .smoke, value: 1, unit: "alarm", time: t0,
            location: SensorLocation(position: flat, building: "tower-7", floor: 12))
        try send(gateway, .sensorReadings(SensorReadings(readings: [alarm])), sequence: 2)
        guard case .readingsAck = try #require(try await reply(gateway)).message else { Issue.record("no ack"); return }

        let sighting = DetectionReport(
            flightID: nil,
            detection: Detection(
                id: "d-1", time: t0 + 30, kind: .smoke, confidence: 0.7, position: flat, positionError: 8))
        for sequence in [2, 3] as [UInt64] {
            let frame = Envelope(device: "drone-7", sequence: sequence, time: t0, message: .detection(sighting))
            _ = try drone.send([WireCodec.encode(frame)])
            guard case .detectionAck = try #require(try await reply(drone)).message else {
                Issue.record("no ack"); return
            }
        }

        let alerts = try store.alerts()
        #expect(alerts.count == 1)
        let fire = try #require(alerts.first)
        #expect(fire.confirmed)
        #expect(Set(fire.sources.keys) == ["gw-b2/smoke-7-1203", "drone-7"])
        #expect(fire.confidence == 1)  // the detector's alarm is certain; noisy-OR keeps it so
        #expect(fire.observations == 2)
        gateway.close()
        drone.close()
        server.close()
        await service.value
        context.shutdown()
    }
}

/// Hands the test's raw socket to the waiting thread; the test awaits that thread, so only one
/// thread uses the socket at a time.
private struct RawSocket: @unchecked Sendable {
    let socket: Socket
}
