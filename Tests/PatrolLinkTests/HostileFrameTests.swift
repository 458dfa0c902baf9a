import Foundation
import PatrolModel
import Testing

@testable import PatrolLink

/// A frame a device might send, and how it must be refused.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var frame: [UInt8]
    var code: LinkError.Code
    /// The start of the error message (the field path, then the problem).
    var message: String
    var device: String? = nil
    var sequence: UInt64? = nil

    var testDescription: String { name }

    init(
        _ name: String, _ frame: String, _ message: String, code: LinkError.Code = .badFrame, device: String? = nil,
        sequence: UInt64? = nil
    ) {
        self.init(name, Array(frame.utf8), message, code: code, device: device, sequence: sequence)
    }

    init(
        _ name: String, _ frame: [UInt8], _ message: String, code: LinkError.Code = .badFrame, device: String? = nil,
        sequence: UInt64? = nil
    ) {
        self.name = name
        self.frame = frame
        self.code = code
        self.message = message
        self.device = device
        self.sequence = sequence
    }
}

/// A telemetry frame with `body` spliced in, from device `d` with seq 7.
private func telemetry(_ telemetry: String) -> String {
    #"{"v":1,"type":"telemetry","device":"d","seq":7,"time":1,"body":{"flight_id":null,"telemetry":\#(telemetry)}}"#
}

private let goodTelemetry =
    #"{"time":1,"position":{"lon":114,"lat":22},"altitude":60,"heading":0,"speed":1,"battery":0.5,"state":"transit","waypoint_index":0}"#

private func telemetry(replacing old: String, with new: String) -> String {
    telemetry(goodTelemetry.replacingOccurrences(of: old, with: new))
}

struct HostileFrameTests {
    static let cases: [HostileCase] = [
        HostileCase("empty", "", "frame: not valid JSON: empty frame"),
        HostileCase("whitespace", " \n\t", "frame: not valid JSON: empty frame"),
        HostileCase("not JSON", "hello drone", "frame: not valid JSON: unexpected character 'h' at byte 0"),
        HostileCase("array", "[]", "frame: expected a JSON object, found an array"),
        HostileCase("string", #""v""#, "frame: expected a JSON object, found a string"),
        HostileCase("truncated", #"{"v":1,"type":"#, "frame: not valid JSON: unexpected end of frame at byte 14"),
        HostileCase("trailing comma", #"{"v":1,}"#, "frame: not valid JSON: expected a string key at byte 7"),
        HostileCase("trailing data", #"{"v":1} {}"#, "frame: not valid JSON: unexpected data after the JSON value"),
        HostileCase("duplicate key", #"{"v":1,"v":2}"#, #"frame: not valid JSON: duplicate key "v""#),
        HostileCase("bare NaN", #"{"v":NaN}"#, "frame: not valid JSON: unexpected character 'N'"),
        HostileCase("bare Infinity", #"{"v":-Infinity}"#, "frame: not valid JSON: expected a digit"),
        HostileCase("leading zero", #"{"v":01}"#, "frame: not valid JSON: leading zeros are not allowed"),
        HostileCase(
            "invalid UTF-8", [UInt8](#"{"device":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
            "frame: not valid JSON: invalid UTF-8 in a string"),
        HostileCase("lone surrogate", #"{"device":"\ud800"}"#, "frame: not valid JSON: unpaired UTF-16 surrogate"),
        HostileCase(
            "control character", "{\"device\":\"a\u{1}\"}", "frame: not valid JSON: unescaped control character"),
        HostileCase(
            "deep nesting", String(repeating: "[", count: 100_000),
            "frame: not valid JSON: nested deeper than 32 levels"),
        HostileCase(
            "missing v", #"{"type":"heartbeat","device":"d","seq":3,"time":1}"#, "v: missing", device: "d", sequence: 3),
        HostileCase("string v", #"{"v":"1","type":"heartbeat"}"#, "v: expected an integer, found a string"),
        HostileCase(
            "wrong version", #"{"v":2,"type":"heartbeat","device":"d","seq":3,"time":1}"#,
            "v: unsupported protocol version 2", code: .unsupportedVersion, device: "d", sequence: 3),
        HostileCase(
            "missing type", #"{"v":1,"device":"d","seq":3,"time":1}"#, "type: missing", device: "d", sequence: 3),
        HostileCase(
            "numeric type", #"{"v":1,"type":7,"device":"d","seq":3}"#, "type: expected a string, found a number",
            device: "d", sequence: 3),
        HostileCase(
            "unknown type", #"{"v":1,"type":"takeoff","device":"d","seq":3,"time":1}"#,
            #"type: unknown message type "takeoff""#, code: .unknownType, device: "d", sequence: 3),
        HostileCase("missing device", #"{"v":1,"type":"heartbeat","seq":3,"time":1}"#, "device: missing", sequence: 3),
        HostileCase(
            "null device", #"{"v":1,"type":"heartbeat","device":null,"seq":3,"time":1}"#,
            "device: expected a string, found null", sequence: 3),
        HostileCase(
            "empty device", #"{"v":1,"type":"heartbeat","device":"","seq":3,"time":1}"#,
            "device: expected 1 to 255 UTF-8 bytes, found 0", sequence: 3),
        HostileCase(
            "long device",
            #"{"v":1,"type":"heartbeat","device":"\#(String(repeating: "d", count: 256))","seq":3,"time":1}"#,
            "device: expected 1 to 255 UTF-8 bytes, found 256", sequence: 3),
        HostileCase(
            "seq zero", #"{"v":1,"type":"heartbeat","device":"d","seq":0,"time":1}"#, "seq: expected an integer from 1",
            device: "d"),
        HostileCase(
            "negative seq", #"{"v":1,"type":"heartbeat","device":"d","seq":-1,"time":1}"#,
            "seq: expected an integer from 1", device: "d"),
        HostileCase(
            "fractional seq", #"{"v":1,"type":"heartbeat","device":"d","seq":1.5,"time":1}"#,
            "seq: expected an integer from 1 to 18446744073709551615, found a fractional number", device: "d"),
        HostileCase(
            "huge seq", #"{"v":1,"type":"heartbeat","device":"d","seq":123456789012345678901234567890,"time":1}"#,
            "seq: expected an integer from 1 to 18446744073709551615, found a number out of range", device: "d"),
        HostileCase(
            "seq 1e999", #"{"v":1,"type":"heartbeat","device":"d","seq":1e999,"time":1}"#,
            "seq: expected an integer from 1", device: "d"),
        HostileCase(
            "missing time", #"{"v":1,"type":"heartbeat","device":"d","seq":3}"#, "time: missing", device: "d",
            sequence: 3),
        HostileCase(
            "fractional time", #"{"v":1,"type":"heartbeat","device":"d","seq":3,"time":1764036000123.5}"#,
            "time: expected integer milliseconds since the Unix epoch, found a fractional number", device: "d",
            sequence: 3),
        HostileCase(
            "string time", #"{"v":1,"type":"heartbeat","device":"d","seq":3,"time":"2025-11-25T02:00:00Z"}"#,
            "time: expected integer milliseconds since the Unix epoch, found a string", device: "d", sequence: 3),
        HostileCase(
            "missing body", #"{"v":1,"type":"telemetry","device":"d","seq":3,"time":1}"#, "body: missing", device: "d",
            sequence: 3),
        HostileCase(
            "array body", #"{"v":1,"type":"telemetry","device":"d","seq":3,"time":1,"body":[]}"#,
            "body: expected an object, found an array", device: "d", sequence: 3),
        HostileCase(
            "heartbeat with array body", #"{"v":1,"type":"heartbeat","device":"d","seq":3,"time":1,"body":[]}"#,
            "body: expected an object, found an array", device: "d", sequence: 3),
        HostileCase(
            "hello body for telemetry",
            #"{"v":1,"type":"telemetry","device":"d","seq":3,"time":1,"body":{"protocol_version":1,"kind":"drone","capabilities":[]}}"#,
            "body.telemetry: missing", device: "d", sequence: 3),
        HostileCase(
            "string battery", telemetry(replacing: #""battery":0.5"#, with: #""battery":"0.5""#),
            "body.telemetry.battery: expected a number, found a string", device: "d", sequence: 7),
        HostileCase(
            "NaN battery", telemetry(replacing: #""battery":0.5"#, with: #""battery":"NaN""#),
            "body.telemetry.battery: expected a number, found a string", device: "d", sequence: 7),
        HostileCase(
            "Infinity heading", telemetry(replacing: #""heading":0"#, with: #""heading":"Infinity""#),
            "body.telemetry.heading: expected a number, found a string", device: "d", sequence: 7),
        HostileCase(
            "huge altitude", telemetry(replacing: #""altitude":60"#, with: #""altitude":1e400"#),
            "body.telemetry.altitude: number out of range", device: "d", sequence: 7),
        HostileCase(
            "missing latitude", telemetry(replacing: #","lat":22"#, with: ""), "body.telemetry.position.lat: missing",
            device: "d", sequence: 7),
        HostileCase(
            "camelCase key", telemetry(replacing: "waypoint_index", with: "waypointIndex"),
            "body.telemetry.waypoint_index: missing", device: "d", sequence: 7),
        HostileCase(
            "fractional index", telemetry(replacing: #""waypoint_index":0"#, with: #""waypoint_index":2.5"#),
            "body.telemetry.waypoint_index: expected an integer", device: "d", sequence: 7),
        HostileCase(
            "huge index", telemetry(replacing: #""waypoint_index":0"#, with: #""waypoint_index":99999999999999999999"#),
            "body.telemetry.waypoint_index: expected an integer from", device: "d", sequence: 7),
        HostileCase(
            "unknown state", telemetry(replacing: #""state":"transit""#, with: #""state":"flying""#),
            #"body.telemetry.state: unknown value "flying" (expected one of: idle, armed"#, device: "d", sequence: 7),
        HostileCase(
            "object state", telemetry(replacing: #""state":"transit""#, with: #""state":{}"#),
            "body.telemetry.state: expected a string, found an object", device: "d", sequence: 7),
        HostileCase(
            "bad waypoint",
            #"{"v":1,"type":"mission_upload","device":"d","seq":3,"time":1,"body":{"flight_id":"f","checksum":"0","route":{"mission_id":"m","swath_width":1,"line_spacing":1,"trigger_spacing":1,"length":1,"estimated_duration":1,"waypoints":[{"position":{"lon":1,"lat":2},"altitude":1,"kind":"land","speed":1},{"position":{"lon":1,"lat":2},"altitude":true,"kind":"land","speed":1}]}}}"#,
            "body.route.waypoints[1].altitude: expected a number, found a boolean", device: "d", sequence: 3),
        HostileCase(
            "oversized", [UInt8](repeating: 0x20, count: WireCodec.maximumFrameSize + 1),
            "frame: 1048577 bytes is over the limit of 1048576 bytes", code: .frameTooLarge),
    ]

    @Test("hostile frames are refused with a clear error", arguments: cases)
    func refused(_ hostile: HostileCase) { expectRefused(hostile) }

    @Test func meaningIsLeftToTheApplication() throws {
        // Well-typed but impossible values decode: the coordinator answers them (`bad_value`).
        let battery = try WireCodec.decode(Array(telemetry(replacing: #""battery":0.5"#, with: #""battery":5"#).utf8))
        guard case .telemetry(let report) = battery.message else { Issue.record("\(battery.message)"); return }
        #expect(report.telemetry.battery == 5)
        #expect(try WireCodec.decode(Array(telemetry(replacing: #""lat":22"#, with: #""lat":95"#).utf8)).sequence == 7)
    }

    @Test func aFrameAtTheSizeLimitIsRead() throws {
        let frame = #"{"v":1,"type":"heartbeat","device":"d","seq":1,"time":0}"#
        let padded = Array(frame.utf8) + [UInt8](repeating: 0x20, count: WireCodec.maximumFrameSize - frame.utf8.count)
        #expect(try WireCodec.decode(padded).message == .heartbeat)
    }

    @Test func randomBytesAreRefused() {
        var random = SeededRandom(seed: 0x5EED)
        for _ in 0..<400 {
            let count = Int.random(in: 0...300, using: &random)
            let frame = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(throws: LinkError.self) { try WireCodec.decode(frame) }
        }
    }

    @Test func mutatedFramesDecodeOrFailCleanly() {
        var random = SeededRandom(seed: 42)
        let originals = Samples.messages.map { WireCodec.encode(Samples.envelope($0)) }
        var refused = 0
        for i in 0..<600 {
            var frame = originals[i % originals.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<frame.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: frame[at] = UInt8.random(in: 0...255, using: &random)
                case 1: frame.remove(at: at)
                default: frame.insert(Array(#"{}[],:"0-e\"#.utf8).randomElement(using: &random)!, at: at)
                }
            }
            do {
                _ = try WireCodec.decode(frame)
            } catch {
                refused += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(refused > 500)
    }

    @Test func everyTruncationIsRefused() {
        let frame = WireCodec.encode(
            Samples.envelope(.missionUpload(MissionUpload(flightID: "f", route: Samples.route))))
        for length in 0..<frame.count {
            #expect(throws: LinkError.self) { try WireCodec.decode(Array(frame[..<length])) }
        }
    }
}
