import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolLink

struct GoToCommandTests {
    @Test(arguments: Command.AltitudeReference.allCases)
    func goToRoundTrips(reference: Command.AltitudeReference) throws {
        let command = Command.goTo(
            id: "cmd-40", flightID: "f-1", position: LonLat(lon: 114.0591337, lat: 22.5439021), altitude: 45.5,
            reference: reference, speed: reference == .agl ? nil : 6)
        let envelope = Envelope(device: "drone-1", sequence: 9, time: t0, message: .command(command))
        let frame = WireCodec.encode(envelope)
        #expect(try WireCodec.decode(frame) == envelope)
        let text = String(decoding: frame, as: UTF8.self)
        #expect(text.contains(#""action":"go_to""#))
        #expect(text.contains(#""altitude_reference":"\#(reference.rawValue)""#))
    }

    @Test func theWrittenExampleDecodes() throws {
        let frame = #"""
            {"v":1,"type":"command","device":"drone-1","seq":18,"time":1764036040000,"body":{"action":"go_to","altitude":45,"altitude_reference":"takeoff","flight_id":"f-20251125-0001","id":"cmd-000019","position":{"lat":22.5439021,"lon":114.0591337},"speed":6}}
            """#
        let envelope = try WireCodec.decode(Array(frame.utf8))
        guard case .command(let command) = envelope.message else {
            Issue.record("not a command")
            return
        }
        #expect(command.action == .goTo)
        #expect(command.altitude == 45)
        #expect(command.altitudeReference == .takeoff)
        #expect(command.position == LonLat(lon: 114.0591337, lat: 22.5439021))
        #expect(command.speed == 6)
    }

    @Test(arguments: [
        (#""altitude":45,"altitude_reference":"takeoff""#, "position"),
        (#""position":{"lon":114,"lat":22},"altitude_reference":"takeoff""#, "altitude"),
        (#""position":{"lon":114,"lat":22},"altitude":45"#, "altitude_reference"),
        (#""position":{"lon":114,"lat":22},"altitude":45,"altitude_reference":"wgs84""#, "altitude_reference"),
    ])
    func anIncompleteGoToIsRefusedNamingTheMember(members: String, missing: String) {
        let frame =
            #"{"v":1,"type":"command","device":"d","seq":3,"time":1,"body":{"id":"c","action":"go_to",\#(members)}}"#
        do {
            _ = try WireCodec.decode(Array(frame.utf8))
            Issue.record("decoded")
        } catch {
            #expect(error.code == .badFrame)
            #expect(error.message.contains("body.\(missing)"), "\(error.message)")
        }
    }
}
