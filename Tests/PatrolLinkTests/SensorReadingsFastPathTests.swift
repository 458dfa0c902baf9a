import Foundation
import PatrolModel
import Testing

@testable import PatrolLink

/// The readings fast path must never accept what the `Codable` path refuses, nor read a value
/// differently: checked on the sample and on 20,000 seeded mutations of it.
struct SensorReadingsFastPathTests {
    static func agree(_ bytes: [UInt8]) -> Bool {
        guard let node = try? bytes.withUnsafeBufferPointer({ try JSONReader.parse($0) }) else { return true }
        let slow = try? WireDecoder.decode(SensorReadings.self, from: node, at: [])
        guard let fast = SensorReadingsFastPath.read(node) else { return true }  // the slow path decides alone
        return slow == fast
    }

    @Test func agreesWithTheCodablePath() throws {
        let frame = WireCodec.encode(Samples.envelope(.sensorReadings(Samples.readings)))
        let text = String(decoding: frame, as: UTF8.self)
        let start = try #require(text.range(of: #""body":"#)?.upperBound)
        let bodyBytes = Array(text[start...].dropLast().utf8)
        let node = try bodyBytes.withUnsafeBufferPointer { try JSONReader.parse($0) }
        #expect(SensorReadingsFastPath.read(node) == Samples.readings)

        var accepted = 0
        Mutations.each(of: bodyBytes, seed: 23) { bytes in
            let node = try? bytes.withUnsafeBufferPointer { try JSONReader.parse($0) }
            if let node, SensorReadingsFastPath.read(node) != nil { accepted += 1 }
            #expect(Self.agree(bytes))
        }
        #expect(accepted > 100)
    }
}
