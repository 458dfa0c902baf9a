import Foundation

/// Quiet values and units of the simulated sensors, and how scripted events raise them.
enum SensorModel {
    /// A quiet reading of `kind`, with `noise` in [0, 1) spreading it a little.
    static func quiet(_ kind: String, noise: Double) -> Double {
        switch kind {
        case "co": 2 + 6 * noise  // ppm, a car park with some traffic
        case "ch4": 2 + 3 * noise  // ppm
        case "h2s": 0.1 * noise  // ppm
        case "smoke": 0  // alarm 1 / quiet 0
        default: 24 + 2 * noise  // degC
        }
    }

    static func unit(_ kind: String) -> String {
        switch kind {
        case "co", "ch4", "h2s": "ppm"
        case "smoke": "alarm"
        default: "degC"
        }
    }

    /// What `event` adds `elapsed` seconds after the scenario's start: linear over its rise, then held.
    static func raise(_ event: SensorScenario.Event, elapsed: TimeInterval) -> Double {
        guard elapsed >= event.start else { return 0 }
        guard event.rise > 0 else { return event.peak }
        return event.peak * min(1, (elapsed - event.start) / event.rise)
    }
}

/// FNV-1a, 64 bits: a small, documented, stable hash (Swift's `Hasher` is seeded per process).
///
/// Offset basis `0xcbf29ce484222325`, prime `0x100000001b3`, over the bytes in order.
public enum FNV1a64 {
    /// The hash of `text`'s UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 {
        var state = Hasher64()
        state.add(text)
        return state.value
    }

    /// An incremental FNV-1a 64 state.
    public struct Hasher64: Sendable {
        public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        public init() {}

        /// Adds `text`'s UTF-8 bytes.
        public mutating func add(_ text: String) {
            for byte in text.utf8 {
                value ^= UInt64(byte)
                value &*= 0x0000_0100_0000_01b3
            }
        }
    }
}
