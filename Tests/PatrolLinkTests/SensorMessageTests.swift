import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolLink

/// A `sensor_readings` frame from gateway `gw` with seq 9, holding `reading` as its only reading.
private func readings(_ reading: String) -> String {
    #"{"v":1,"type":"sensor_readings","device":"gw","seq":9,"time":1,"body":{"readings":[\#(reading)]}}"#
}

private let goodReading =
    #"{"id":"gw/r-1","sensor":"co-1","kind":"co","value":62.5,"unit":"ppm","time":1,"location":{"building":"car-park","floor":-2,"zone":"b2-north"}}"#

private func reading(replacing old: String, with new: String) -> String {
    readings(goodReading.replacingOccurrences(of: old, with: new))
}

private func command(_ body: String) -> String {
    #"{"v":1,"type":"command","device":"gw","seq":4,"time":1,"body":\#(body)}"#
}

struct SensorMessageTests {
    static let cases: [HostileCase] = [
        HostileCase(
            "unknown sensor kind", reading(replacing: #""kind":"co""#, with: #""kind":"co2""#),
            #"body.readings[0].kind: unknown value "co2" (expected one of: co, ch4, h2s, smoke, temperature)"#,
            device: "gw", sequence: 9),
        HostileCase(
            "string value", reading(replacing: #""value":62.5"#, with: #""value":"62.5""#),
            "body.readings[0].value: expected a number, found a string", device: "gw", sequence: 9),
        HostileCase(
            "missing reading id", reading(replacing: #""id":"gw/r-1","#, with: ""),
            "body.readings[0].id: missing", device: "gw", sequence: 9),
        HostileCase(
            "location without place",
            reading(replacing: #"{"building":"car-park","floor":-2,"zone":"b2-north"}"#, with: #"{"zone":"b2"}"#),
            "body.readings[0].location: expected `position` or `building`, found neither", device: "gw", sequence: 9),
        HostileCase(
            "fractional floor", reading(replacing: #""floor":-2"#, with: #""floor":-2.5"#),
            "body.readings[0].location.floor: expected an integer, found a fractional number", device: "gw",
            sequence: 9),
        HostileCase(
            "fractional time", reading(replacing: #""time":1,"#, with: #""time":1.5,"#),
            "body.readings[0].time: expected integer milliseconds since the Unix epoch", device: "gw", sequence: 9),
        HostileCase(
            "readings not an array",
            #"{"v":1,"type":"sensor_readings","device":"gw","seq":9,"time":1,"body":{"readings":{}}}"#,
            "body.readings: expected an array, found an object", device: "gw", sequence: 9),
        HostileCase(
            "switch without actuator", command(#"{"id":"c1","action":"switch_actuator","on":true}"#),
            "body.actuator: missing", device: "gw", sequence: 4),
        HostileCase(
            "switch with null state", command(#"{"id":"c1","action":"switch_actuator","actuator":"fan","on":null}"#),
            "body.on: expected a boolean, found null", device: "gw", sequence: 4),
        HostileCase(
            "speak without text", command(#"{"id":"c1","action":"speak"}"#), "body.text: missing", device: "gw",
            sequence: 4),
        HostileCase(
            "stuck door spelt wrong",
            #"{"v":1,"type":"hive_status","device":"h","seq":2,"time":1,"body":{"door":"jammed","charging":false,"wind_speed":1,"wind_from":0,"rain":0,"temperature":20}}"#,
            #"body.door: unknown value "jammed" (expected one of: open, closed, moving, stuck)"#, device: "h",
            sequence: 2),
        HostileCase(
            "hive without wind",
            #"{"v":1,"type":"hive_status","device":"h","seq":2,"time":1,"body":{"door":"open","charging":false,"wind_from":0,"rain":0,"temperature":20}}"#,
            "body.wind_speed: missing", device: "h", sequence: 2),
    ]

    @Test("hostile sensor, hive and actuator frames are refused naming the field", arguments: cases)
    func refused(_ hostile: HostileCase) { expectRefused(hostile) }

    @Test func goldenReadingDecodes() throws {
        let envelope = try WireCodec.decode(Array(readings(goodReading).utf8))
        let expected = SensorReadings(readings: [
            SensorReading(
                id: "gw/r-1", sensor: "co-1", kind: .co, value: 62.5, unit: "ppm", time: instant(ms: 1),
                location: SensorLocation(building: "car-park", floor: -2, zone: "b2-north"))
        ])
        #expect(envelope.message == .sensorReadings(expected))
    }

    @Test func aSwitchCommandEncodesOnlyItsMembers() {
        let bytes = WireCodec.encode(
            Samples.envelope(
                .command(Command(id: "cmd-8", action: .switchActuator, flightID: nil, actuator: "fan-1", on: true))))
        #expect(
            String(decoding: bytes, as: UTF8.self).hasSuffix(
                #""body":{"action":"switch_actuator","actuator":"fan-1","id":"cmd-8","on":true}}"#))
    }

    @Test func oldCommandsStillDecodeWithoutTheNewMembers() throws {
        let frame = command(#"{"id":"c1","action":"start","flight_id":"f"}"#)
        #expect(
            try WireCodec.decode(Array(frame.utf8)).message
                == .command(Command(id: "c1", action: .start, flightID: "f")))
    }
}

extension SensorMessageTests {
    @Test func readingsAckSpellsItsKeyPlainly() throws {
        let bytes = WireCodec.encode(Samples.envelope(.readingsAck(ReadingsAck(readingIDs: ["a"]))))
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#""body":{"reading_ids":["a"]}}"#))
        #expect(try WireCodec.decode(bytes).message == .readingsAck(ReadingsAck(readingIDs: ["a"])))
    }
}

extension SensorMessageTests {
    @Test(
        "the hand-written readings body is byte for byte JSONEncoder's",
        arguments: [62.5, 1, 0, 1e-5, 123_456.789, 1e300, -3, 0.1 + 0.2, 4.2e16])
    func handWrittenBodyMatchesTheEncoder(_ value: Double) throws {
        var batch = Samples.readings
        batch.readings[0].value = value
        batch.readings[1].id = "q\"uo\\te/☃\n"
        let bytes = WireCodec.encode(Samples.envelope(.sensorReadings(batch)))
        #expect(try WireCodec.decode(bytes).message == .sensorReadings(batch))
        let text = String(decoding: bytes, as: UTF8.self)
        let body = text[try #require(text.range(of: #","body":"#)).upperBound...].dropLast()
        let reference = String(decoding: try WireCodec.bodyEncoder.encode(batch), as: UTF8.self)
        #expect(String(body) == reference)
    }

    @Test func aNonFiniteReadingIsWrittenSoThatDecodingRefusesIt() {
        var batch = Samples.readings
        batch.readings[0].value = .infinity
        let bytes = WireCodec.encode(Samples.envelope(.sensorReadings(batch)))
        #expect(throws: LinkError.self) { try WireCodec.decode(bytes) }
    }
}
