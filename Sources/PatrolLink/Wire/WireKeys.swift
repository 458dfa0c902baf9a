import Synchronization

/// The mapping between Swift property names and wire keys: `flightID` ⇄ `flight_id`,
/// `waypointIndex` ⇄ `waypoint_index`. Encoder and decoder both use it, so they agree by
/// construction (Foundation's `.convertFromSnakeCase` would turn `flight_id` into `flightId`).
enum WireKeys {
    private static let cache = Mutex<[String: String]>([:])

    /// The wire key for a Swift property name: words split at case changes, lowercased, joined by `_`.
    static func snakeCase(_ name: String) -> String {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        let snake = convertToSnakeCase(name)
        // Names come from Swift types, so the cache stays small; the cap is a guard, not a limit in use.
        cache.withLock { if $0.count < 1024 { $0[name] = snake } }
        return snake
    }

    private static func convertToSnakeCase(_ name: String) -> String {
        let chars = Array(name.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(chars.count + 4)
        for (i, c) in chars.enumerated() {
            guard isUpper(c) else {
                out.append(c)
                continue
            }
            if i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && isLower(chars[i + 1])
                if isLower(previous) || isDigit(previous) || (isUpper(previous) && nextIsLower) {
                    out.append(UInt8(ascii: "_"))
                }
            }
            out.append(c + 0x20)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The Swift property name for a wire key, or `nil` if the key is not lower snake case.
    /// `id` as a later word becomes `ID`, the way the model spells `flightID`.
    static func camelCase(_ key: String) -> String? {
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        guard words.allSatisfy({ !$0.isEmpty && !$0.utf8.contains(where: isUpper) }) else { return nil }
        var name = String(words[0])
        for word in words.dropFirst() {
            name += word == "id" ? "ID" : word.prefix(1).uppercased() + word.dropFirst()
        }
        return name
    }

    private static func isUpper(_ c: UInt8) -> Bool { c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") }
    private static func isLower(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}

/// A coding key made at run time: a wire key, or an array index.
struct WireCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

extension WireKeys {
    /// A coding path as the wire spells it: `body.route.waypoints[3].position.lon`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += snakeCase(key.stringValue)
            }
        }
        return text.isEmpty ? "frame" : text
    }
}
