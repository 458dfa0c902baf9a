import Foundation
import PatrolModel
import Testing

@testable import PatrolLink

/// The optional telemetry members (absolute altitude, climb rate, attitude) read the same on the
/// fast path and the `Codable` path, round-trip, and a frame without them stays valid.
struct TelemetryExtrasTests {
    static let variants: [String] = [
        TelemetryFastPathTests.body(tail: #","altitude_amsl":131.5,"vertical_speed":-1.25"#),
        TelemetryFastPathTests.body(tail: #","altitude_amsl":null,"vertical_speed":null,"attitude":null"#),
        TelemetryFastPathTests.body(tail: #","attitude":{"roll":1.5,"pitch":-12,"yaw":359.9}"#),
        TelemetryFastPathTests.body(tail: #","attitude":{"roll":1.5,"pitch":-12}"#),
        TelemetryFastPathTests.body(tail: #","attitude":[1,2,3]"#),
        TelemetryFastPathTests.body(tail: #","attitude":{"roll":"level","pitch":0,"yaw":0}"#),
        TelemetryFastPathTests.body(tail: #","vertical_speed":"up""#),
        TelemetryFastPathTests.body(tail: #","altitude_amsl":true"#),
    ]

    @Test func theFastPathAgreesWithTheCodablePath() {
        for text in Self.variants { #expect(TelemetryFastPathTests.agree(Array(text.utf8)), "\(text)") }
        let full = Array(Self.variants[2].utf8)
        let node = try? full.withUnsafeBufferPointer { try JSONReader.parse($0) }
        #expect(TelemetryFastPath.read(node)?.telemetry.attitude == Attitude(roll: 1.5, pitch: -12, yaw: 359.9))
    }

    @Test(arguments: [false, true])
    func theExtrasRoundTrip(_ present: Bool) throws {
        var report = Samples.telemetry()
        if present {
            report.telemetry.altitudeAMSL = 131.5
            report.telemetry.verticalSpeed = -1.25
            report.telemetry.attitude = Attitude(roll: -3.5, pitch: -14.2, yaw: 87.5)
        }
        let frame = WireCodec.encode(Samples.envelope(.telemetry(report)))
        let text = String(decoding: frame, as: UTF8.self)
        #expect(text.contains(#""altitude_amsl":131.5"#) == present)
        #expect(text.contains(#""attitude":{"pitch":-14.2,"roll":-3.5,"yaw":87.5}"#) == present)
        #expect(try WireCodec.decode(frame).message == .telemetry(report))
        let node = try frame.withUnsafeBufferPointer { try JSONReader.parse($0) }
        guard case .object(let header) = node else { Issue.record("not an object"); return }
        let body = try #require(header["body"])
        #expect(TelemetryFastPath.read(body) == report)
    }
}
