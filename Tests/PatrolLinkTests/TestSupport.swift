import Foundation
import Logging
import PatrolGeo
import PatrolModel
import Synchronization
import Testing

@testable import PatrolLink

/// A whole-millisecond instant, so that dates survive the wire exactly.
func instant(ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

let t0 = instant(ms: 1_764_036_000_123)

/// One example of every message type.
enum Samples {
    static let route = Route(
        missionID: "hill-east",
        waypoints: [
            Waypoint(position: LonLat(lon: 114.0579123, lat: 22.5431234), altitude: 0, kind: .takeoff, speed: 3),
            Waypoint(position: LonLat(lon: 114.0581, lat: 22.5433), altitude: 60, kind: .transit, speed: 8),
            Waypoint(position: LonLat(lon: 114.0590, lat: 22.5433), altitude: 60, kind: .survey, speed: 8),
            Waypoint(position: LonLat(lon: 114.0579123, lat: 22.5431234), altitude: 0, kind: .land, speed: 2),
        ],
        swathWidth: 84.5, lineSpacing: 67.6, triggerSpacing: 31.7, length: 412.3, estimatedDuration: 95)

    static func telemetry(_ index: Int = 4, time: Date = t0) -> TelemetryReport {
        TelemetryReport(
            flightID: "f-20251125-01",
            telemetry: Telemetry(
                time: time, position: LonLat(lon: 114.0579123, lat: 22.5431234), altitude: 60.5, heading: 87.5,
                speed: 8.2, battery: 0.73, state: .surveying, waypointIndex: index))
    }

    static let detection = DetectionReport(
        flightID: "f-20251125-01",
        detection: Detection(
            id: "drone-1/det-17", time: t0, kind: .smoke, confidence: 0.91,
            position: LonLat(lon: 114.0585, lat: 22.5436), positionError: 6.5, evidence: "img-000417"))

    static let messages: [WireMessage] = [
        .hello(
            Hello(
                kind: .drone, capabilities: ["camera.rgb", "camera.thermal", "smoke"], firmware: "px4-1.15.2",
                hive: "hive-a")),
        .missionAck(MissionAck(flightID: "f-20251125-01", accepted: true, checksum: RouteChecksum.of(route))),
        .commandAck(CommandAck(commandID: "cmd-7", accepted: false, reason: "battery below 30%")),
        .telemetry(telemetry()),
        .detection(detection),
        .event(DeviceEvent(id: "drone-1/evt-3", kind: .landed, flightID: "f-20251125-01")),
        .welcome(Welcome(session: "s-9f2c", heartbeatInterval: 1, telemetryRate: 2)),
        .missionUpload(MissionUpload(flightID: "f-20251125-01", route: route)),
        .command(Command(id: "cmd-7", action: .start, flightID: "f-20251125-01")),
        .detectionAck(DetectionAck(detectionID: "drone-1/det-17")),
        .eventAck(EventAck(eventID: "drone-1/evt-3")),
        .heartbeat,
        .error(
            WireErrorReport(code: "bad_frame", message: "body.telemetry.battery: expected a number", refSequence: 41)),
        .sensorReadings(readings),
        .readingsAck(ReadingsAck(readingIDs: ["gw-1/r-1", "gw-1/r-2"])),
        .hiveStatus(
            HiveStatus(door: .closed, charging: true, windSpeed: 4.5, windFrom: 135, rain: 0, temperature: 27.5)),
        .command(Command(id: "cmd-8", action: .switchActuator, flightID: nil, actuator: "fan-b2-north", on: true)),
        .command(Command(id: "cmd-9", action: .speak, flightID: nil, text: "请注意：地下车库通风中")),
    ]

    static let readings = SensorReadings(readings: [
        SensorReading(
            id: "gw-1/r-1", sensor: "co-b2-north-03", kind: .co, value: 62.5, unit: "ppm", time: t0,
            location: SensorLocation(building: "car-park", floor: -2, zone: "b2-north")),
        SensorReading(
            id: "gw-1/r-2", sensor: "smoke-t07-1203", kind: .smoke, value: 1, unit: "alarm", time: t0,
            location: SensorLocation(position: LonLat(lon: 114.1301, lat: 22.5652), building: "t07", floor: 12)),
    ])

    static func envelope(_ message: WireMessage, device: String = "drone-1", sequence: UInt64 = 42) -> Envelope {
        Envelope(device: device, sequence: sequence, time: t0, message: message)
    }
}

/// A log handler that keeps every record, for checking what the link logged.
final class LogCapture: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let storage = Mutex<[Record]>([])

    var records: [Record] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "patrol.link.tests") { _ in Handler(capture: self) }
    }

    func append(_ record: Record) { storage.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(
                Record(
                    level: event.level, message: event.message.description,
                    metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}

/// Where a test's server binds.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inproc, tcp

    var endpoint: String {
        switch self {
        case .inproc: "inproc://link-\(UUID().uuidString)"
        case .tcp: "tcp://127.0.0.1:*"
        }
    }

    var testDescription: String { rawValue }
}

/// Waits, polling, until `condition` holds or `seconds` pass.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}

/// Seeded single-byte mutations of a frame body (replace, insert a token, delete), for checking
/// that a fast path agrees with the `Codable` path on input it was not written for.
enum Mutations {
    static let tokens = ["1", "-1", "1.5", "1e3", "null", "\"x\"", "true", "{}", "[]", "\"idle\"", "\"co\"", "1e400"]

    /// Calls `body` with `count` mutations of `bytes`, drawn from `seed`.
    static func each(of bytes: [UInt8], count: Int = 20_000, seed: UInt64, _ body: ([UInt8]) -> Void) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<count {
            var mutated = bytes
            let at = Int(random.next() % UInt64(mutated.count))
            switch random.next() % 3 {
            case 0: mutated[at] = UInt8(truncatingIfNeeded: random.next() % 96 + 32)
            case 1: mutated.insert(contentsOf: Array(tokens[Int(random.next() % UInt64(tokens.count))].utf8), at: at)
            default: mutated.remove(at: at)
            }
            body(mutated)
        }
    }
}

/// Checks that `hostile` is refused with its code, message, device and sequence.
func expectRefused(_ hostile: HostileCase) {
    do {
        let envelope = try WireCodec.decode(hostile.frame)
        Issue.record("decoded \(envelope)")
    } catch {
        #expect(error.code == hostile.code)
        #expect(error.message.hasPrefix(hostile.message), "\(error.message)")
        #expect(error.device == hostile.device)
        #expect(error.sequence == hostile.sequence)
        #expect(error.operation == "decode")
    }
}
