import Foundation
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolSim

/// Seeded frames for fuzzing the decoder: valid frames of every type, and mutations of them
/// (byte flips, JSON-aware splices, hostile numbers and strings, truncations, deep nesting),
/// plus a little plain random noise.
struct FrameMutator {
    private var random: SeededRandom
    let seeds: [[UInt8]]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
        seeds = Self.validEnvelopes().map(WireCodec.encode)
    }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    /// The next frame: 10% valid, 85% mutated (1 to 4 mutations), 5% random bytes.
    mutating func frame() -> [UInt8] {
        let roll = below(100)
        var frame = seeds[below(seeds.count)]
        if roll < 10 { return frame }
        if roll < 15 { return (0..<below(300)).map { _ in UInt8(truncatingIfNeeded: next()) } }
        for _ in 0...below(4) { mutate(&frame) }
        return frame
    }

    static let tokens: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00\\ud800", "null", "true", "false",
        "-0", "1e400", "-1e400", "NaN", "Infinity", "1.5", "18446744073709551616", "-1", "0x10", "01",
        "1764036000123.5", "\"\"", "{}", "[]", "\u{00}", "\u{7f}", "é", "\u{1F525}", "\"v\":2", "\"type\":\"takeoff\"",
        "\"seq\":0", "\"battery\":\"0.8\"", "\"state\":\"flying\"", "\"device\":\"\"", " ", "\n", "\t",
    ]

    mutating func mutate(_ f: inout [UInt8]) {
        if f.isEmpty { f = seeds[below(seeds.count)] }
        let at = below(f.count)
        switch below(12) {
        case 0: f[at] ^= UInt8(1 << below(8))  // bit flip
        case 1: f[at] = UInt8(truncatingIfNeeded: next())  // random byte
        case 2: f.insert(contentsOf: Array(Self.tokens[below(Self.tokens.count)].utf8), at: at)  // JSON token
        case 3: f.removeSubrange(at..<min(f.count, at + 1 + below(16)))  // delete a run
        case 4: f.removeSubrange(at...)  // truncate
        case 5:  // duplicate a slice
            let end = min(f.count, at + 1 + below(40))
            f.insert(contentsOf: Array(f[at..<end]), at: below(f.count))
        case 6:  // splice in part of another valid frame
            let other = seeds[below(seeds.count)]
            let from = below(other.count)
            f.replaceSubrange(at..<min(f.count, at + below(30)), with: other[from..<min(other.count, from + below(60))])
        case 7: replaceNumber(&f, at: at)
        case 8:  // deep nesting
            let depth = 20 + below(30)
            f.insert(
                contentsOf: Array(String(repeating: "[", count: depth).utf8)
                    + Array(String(repeating: "]", count: depth).utf8), at: at)
        case 9:  // replace a quote-delimited string with a hostile one
            if let q = f[at...].firstIndex(of: UInt8(ascii: "\"")),
                let e = f[(q + 1)...].firstIndex(of: UInt8(ascii: "\""))
            {
                f.replaceSubrange((q + 1)..<e, with: Array(Self.tokens[below(Self.tokens.count)].utf8))
            }
        case 10: f.swapAt(at, below(f.count))
        default:  // an invalid UTF-8 sequence
            f.insert(contentsOf: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8], [0xE2, 0x82]][below(4)], at: at)
        }
    }

    /// Replaces the number starting at or after `at` with a hostile one.
    mutating func replaceNumber(_ f: inout [UInt8], at: Int) {
        let isNumber = { (b: UInt8) in (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x65 || b == 0x2B }
        guard let start = f[at...].firstIndex(where: isNumber) else { return }
        let end = f[start...].firstIndex(where: { !isNumber($0) }) ?? f.count
        let hostile = [
            "1e400", "-0", "-0.0", "1.7976931348623157e309", "18446744073709551616", "-1", "0.1e-400",
            "9007199254740993", "1e", "-", "00", "1.", ".5", "\"7\"", "true", "null",
        ]
        f.replaceSubrange(start..<end, with: Array(hostile[below(hostile.count)].utf8))
    }

    /// One valid envelope of every message type.
    static func validEnvelopes() -> [Envelope] {
        let t = Date(timeIntervalSince1970: 1_764_036_000.123)
        let p = LonLat(lon: 114.0579123, lat: 22.5431234)
        let route = Route(
            missionID: "hill",
            waypoints: [
                Waypoint(position: p, altitude: 40, kind: .takeoff, speed: 3),
                Waypoint(position: LonLat(lon: 114.0583, lat: 22.5436), altitude: 60, kind: .survey, speed: 8),
                Waypoint(position: p, altitude: 40, kind: .land, speed: 2),
            ], swathWidth: 80, lineSpacing: 60, triggerSpacing: 30, length: 400, estimatedDuration: 90)
        let telemetry = Telemetry(
            time: t, position: p, altitude: 52.4, heading: 48.2, speed: 7.9, battery: 0.86, state: .transit,
            waypointIndex: 1)
        let detection = Detection(
            id: "drone-1/det-1", time: t, kind: .smoke, confidence: 0.87, position: p, positionError: 7.5,
            evidence: "img-1")
        let messages: [WireMessage] = [
            .hello(Hello(kind: .drone, capabilities: ["detect.smoke"], firmware: "1.0", hive: "hive-a")),
            .welcome(Welcome(session: "s-1", heartbeatInterval: 1, telemetryRate: 2)),
            .missionUpload(MissionUpload(flightID: "f-1", route: route)),
            .missionAck(MissionAck(flightID: "f-1", accepted: true, checksum: RouteChecksum.of(route))),
            .command(Command(id: "cmd-1", action: .start, flightID: "f-1")),
            .commandAck(CommandAck(commandID: "cmd-1", accepted: false, reason: "battery low")),
            .telemetry(TelemetryReport(flightID: "f-1", telemetry: telemetry)),
            .detection(DetectionReport(flightID: "f-1", detection: detection)),
            .detectionAck(DetectionAck(detectionID: "drone-1/det-1")),
            .event(DeviceEvent(id: "drone-1/evt-1", kind: .failsafe, flightID: "f-1", detail: "no echo")),
            .eventAck(EventAck(eventID: "drone-1/evt-1")),
            .heartbeat,
            .error(WireErrorReport(code: "bad_frame", message: "body.x: expected a number", refSequence: 7)),
            .sensorReadings(
                SensorReadings(readings: [
                    SensorReading(
                        id: "gw-1/r-1", sensor: "co-1", kind: .co, value: 62.5, unit: "ppm", time: t,
                        location: SensorLocation(building: "car-park", floor: -2, zone: "b2-north"))
                ])),
            .readingsAck(ReadingsAck(readingIDs: ["gw-1/r-1"])),
            .hiveStatus(
                HiveStatus(door: .open, charging: false, windSpeed: 3, windFrom: 90, rain: 0.5, temperature: 21)),
            .command(Command(id: "cmd-2", action: .switchActuator, flightID: nil, actuator: "fan-1", on: true)),
        ]
        return messages.enumerated().map {
            Envelope(device: "drone-1", sequence: UInt64($0.offset + 1), time: t, message: $0.element)
        }
    }
}
