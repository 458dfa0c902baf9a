import Foundation
import PatrolModel
import Testing

@testable import PatrolLink

/// The telemetry fast path must never accept what the `Codable` path refuses, nor read a value
/// differently: checked on the sample and on 20,000 seeded mutations of it.
struct TelemetryFastPathTests {
    /// A telemetry body with the given flight-id member (`head`), values and extra members (`tail`).
    static func body(
        head: String = #""flight_id":"f","#, time: String = "1", lon: String = "1", state: String = "idle",
        index: String = "0", tail: String = ""
    ) -> String {
        #"{\#(head)"telemetry":{"time":\#(time),"position":{"lon":\#(lon),"lat":2},"altitude":1e2,"#
            + #""heading":0,"speed":0,"battery":1,"state":"\#(state)","waypoint_index":\#(index)\#(tail)}}"#
    }

    static let variants: [String] = [
        body(head: #""flight_id":null,"#, tail: #","extra":[1]"#),
        body(head: "", time: "1e3", lon: "-0.0", index: "3.0"),
        body(head: #""flight_id":7,"#),
        body(time: "1.5"),
        body(state: "flying"),
        body(tail: #","link_quality":0.75"#),
        body(tail: #","link_quality":null"#),
        body(tail: #","link_quality":"good""#),
    ]

    static func agree(_ bytes: [UInt8]) -> Bool {
        guard let node = try? bytes.withUnsafeBufferPointer({ try JSONReader.parse($0) }) else { return true }
        let slow = try? WireDecoder.decode(TelemetryReport.self, from: node, at: [])
        guard let fast = TelemetryFastPath.read(node) else { return true }  // the slow path decides alone
        return slow == fast
    }

    @Test func agreesWithTheCodablePath() throws {
        for text in Self.variants { #expect(Self.agree(Array(text.utf8)), "\(text)") }
        let frame = WireCodec.encode(Samples.envelope(.telemetry(Samples.telemetry())))
        let node = try frame.withUnsafeBufferPointer { try JSONReader.parse($0) }
        guard case .object(let header) = node else { Issue.record("not an object"); return }
        let body = try #require(header["body"])
        #expect(TelemetryFastPath.read(body) == Samples.telemetry())

        let start = try #require(String(decoding: frame, as: UTF8.self).range(of: #""body":"#)?.upperBound)
        let bodyBytes = Array(String(decoding: frame, as: UTF8.self)[start...].dropLast().utf8)
        var accepted = 0
        Mutations.each(of: bodyBytes, seed: 17) { bytes in
            let node = try? bytes.withUnsafeBufferPointer { try JSONReader.parse($0) }
            if let node, TelemetryFastPath.read(node) != nil { accepted += 1 }
            #expect(Self.agree(bytes))
        }
        #expect(accepted > 100)
    }

    @Test(arguments: [nil, 0.0, 0.62, 1.0])
    func linkQualityRoundTrips(_ quality: Double?) throws {
        var report = Samples.telemetry()
        report.telemetry.linkQuality = quality
        let frame = WireCodec.encode(Samples.envelope(.telemetry(report)))
        #expect(String(decoding: frame, as: UTF8.self).contains("link_quality") == (quality != nil))
        #expect(try WireCodec.decode(frame).message == .telemetry(report))
        let node = try frame.withUnsafeBufferPointer { try JSONReader.parse($0) }
        guard case .object(let header) = node else { Issue.record("not an object"); return }
        let body = try #require(header["body"])
        #expect(TelemetryFastPath.read(body) == report)
        // And the slow path reads it the same (a frame without the member stays valid).
        let slow = try WireDecoder.decode(TelemetryReport.self, from: body, at: [])
        #expect(slow == report)
    }
}
