import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolLink

struct WireCodecTests {
    @Test("every message type survives a round trip", arguments: Samples.messages)
    func roundTrip(_ message: WireMessage) throws {
        let envelope = Samples.envelope(message)
        let bytes = WireCodec.encode(envelope)
        let decoded = try WireCodec.decode(bytes)
        #expect(decoded == envelope)
        #expect(WireCodec.encode(decoded) == bytes, "encoding is deterministic")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"v":1,"type":"\#(message.type)","device":"drone-1","seq":42,"time":1764036000123,"body":{"#))
    }

    @Test func goldenFrameDecodes() throws {
        let frame = """
            {"v":1,"type":"telemetry","device":"drone-1","seq":42,"time":1764036000000,
             "body":{"flight_id":"f-7","telemetry":{"time":1764035999950,"position":{"lon":114.05791,"lat":22.54312},
             "altitude":60,"heading":87.5,"speed":8.2,"battery":0.73,"state":"surveying","waypoint_index":4}}}
            """
        let envelope = try WireCodec.decode(Array(frame.utf8))
        let expected = Envelope(
            device: "drone-1", sequence: 42, time: instant(ms: 1_764_036_000_000),
            message: .telemetry(
                TelemetryReport(
                    flightID: "f-7",
                    telemetry: Telemetry(
                        time: instant(ms: 1_764_035_999_950), position: LonLat(lon: 114.05791, lat: 22.54312),
                        altitude: 60, heading: 87.5, speed: 8.2, battery: 0.73, state: .surveying, waypointIndex: 4))))
        #expect(envelope == expected)
    }

    @Test func goldenFrameEncodes() {
        let bytes = WireCodec.encode(Samples.envelope(.telemetry(Samples.telemetry())))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"v":1,"type":"telemetry","device":"drone-1","seq":42,"time":1764036000123,"body":{"flight_id":"f-20251125-01","telemetry":{"altitude":60.5,"battery":0.73,"heading":87.5,"position":{"lat":22.5431234,"lon":114.0579123},"speed":8.2,"state":"surveying","time":1764036000123,"waypoint_index":4}}}"#
        )
    }

    @Test(
        "dates inside bodies are integer milliseconds",
        arguments: [WireMessage.telemetry(Samples.telemetry()), .detection(Samples.detection)])
    func bodyDatesAreIntegers(_ message: WireMessage) throws {
        let bytes = WireCodec.encode(Samples.envelope(message))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let body = try #require(object["body"] as? [String: Any])
        let inner = try #require((body["telemetry"] ?? body["detection"]) as? [String: Any])
        #expect(String(describing: inner["time"]!) == "1764036000123")
        #expect(!String(decoding: bytes, as: UTF8.self).contains("1764036000123."))
    }

    @Test func heartbeatHasAnEmptyBodyAndNeedsNone() throws {
        let bytes = WireCodec.encode(Samples.envelope(.heartbeat))
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#","body":{}}"#))
        for frame in [
            #"{"v":1,"type":"heartbeat","device":"d","seq":1,"time":0}"#,
            #"{"v":1,"type":"heartbeat","device":"d","seq":1,"time":0,"body":null}"#,
        ] {
            #expect(try WireCodec.decode(Array(frame.utf8)).message == .heartbeat)
        }
    }

    @Test func unknownMembersAreIgnored() throws {
        let frame =
            #"{"v":1,"type":"event_ack","device":"d","seq":3,"time":5,"extra":[1,{"a":null}],"body":{"event_id":"e","new_field":true}}"#
        let envelope = try WireCodec.decode(Array(frame.utf8))
        #expect(envelope.message == .eventAck(EventAck(eventID: "e")))
    }

    @Test func stringsAreEscapedAndUnescaped() throws {
        let device = "dr\"o\\ne/1\n\u{1}☃🚁"
        let message = WireMessage.error(WireErrorReport(code: "x", message: "tab\there \"quoted\" 🔥"))
        let bytes = WireCodec.encode(Samples.envelope(message, device: device))
        #expect(try WireCodec.decode(bytes) == Samples.envelope(message, device: device))
        let escaped =
            #"{"v":1,"type":"event_ack","device":"\u0064\ud83d\ude81","seq":1,"time":0,"body":{"event_id":"\/e"}}"#
        let envelope = try WireCodec.decode(Array(escaped.utf8))
        #expect(envelope.device == "d🚁")
        #expect(envelope.message == .eventAck(EventAck(eventID: "/e")))
    }

    @Test func nonFiniteNumbersAreWrittenSoThatDecodingRejectsThem() {
        var report = Samples.telemetry()
        report.telemetry.battery = .nan
        let bytes = WireCodec.encode(Samples.envelope(.telemetry(report)))
        #expect(throws: LinkError.self) { try WireCodec.decode(bytes) }
        do {
            _ = try WireCodec.decode(bytes)
        } catch {
            #expect(error.message == "body.telemetry.battery: expected a number, found a string")
            #expect(error.sequence == 42)
            #expect(error.device == "drone-1")
        }
    }

    @Test func anUploadWithAWrongChecksumStillDecodes() throws {
        // The device must see it to answer `mission_ack` with `accepted: false`.
        var upload = MissionUpload(flightID: "f", route: Samples.route)
        upload.checksum = "00000000"
        let decoded = try WireCodec.decode(WireCodec.encode(Samples.envelope(.missionUpload(upload))))
        #expect(decoded.message == .missionUpload(upload))
    }

    @Test func routeChecksumMatchesItsDefinition() {
        // The worked example of docs/protocol.md.
        let route = Route(
            missionID: "m",
            waypoints: [
                Waypoint(position: LonLat(lon: 114.0579123, lat: 22.5431234), altitude: 0, kind: .takeoff, speed: 3),
                Waypoint(position: LonLat(lon: 114.0581, lat: 22.5433), altitude: 60, kind: .survey, speed: 8),
            ],
            swathWidth: 0, lineSpacing: 0, triggerSpacing: 0, length: 0, estimatedDuration: 0)
        let text = "114.0579123,22.5431234,0.00,takeoff,3.00\n114.0581000,22.5433000,60.00,survey,8.00\n"
        #expect(RouteChecksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(RouteChecksum.of(route) == String(RouteChecksum.crc32(Array(text.utf8)), radix: 16).leftPadded(8))
        #expect(RouteChecksum.of(route) == "3165f313")  // zlib.crc32 of `text`
    }

    @Test func routeChecksumWritesZeroWithoutASign() {
        func route(lon: Double, altitude: Double) -> Route {
            Route(
                missionID: "m",
                waypoints: [Waypoint(position: LonLat(lon: lon, lat: 0), altitude: altitude, kind: .land, speed: 0)],
                swathWidth: 0, lineSpacing: 0, triggerSpacing: 0, length: 0, estimatedDuration: 0)
        }
        // JSON `-0` reaches many devices as `0`, so both must give the same checksum.
        #expect(RouteChecksum.of(route(lon: -0.0, altitude: -0.0)) == RouteChecksum.of(route(lon: 0, altitude: 0)))
        // Ties round to even, as C's printf and Python's % do: 60.125 is written 60.12.
        let text = "0.0000000,0.0000000,60.12,land,0.00\n"
        #expect(
            RouteChecksum.of(route(lon: 0, altitude: 60.125))
                == String(format: "%08x", RouteChecksum.crc32(Array(text.utf8))))
    }

    @Test func keysMapBetweenSwiftAndWire() {
        #expect(WireKeys.snakeCase("flightID") == "flight_id")
        #expect(WireKeys.snakeCase("waypointIndex") == "waypoint_index")
        #expect(WireKeys.snakeCase("refSequence") == "ref_sequence")
        #expect(WireKeys.snakeCase("URLValue") == "url_value")
        #expect(WireKeys.snakeCase("id") == "id")
        #expect(WireKeys.camelCase("flight_id") == "flightID")
        #expect(WireKeys.camelCase("position_error") == "positionError")
        #expect(WireKeys.camelCase("flightID") == nil)
        #expect(WireKeys.camelCase("a__b") == nil)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
