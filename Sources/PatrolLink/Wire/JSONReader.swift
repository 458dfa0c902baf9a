/// A parsed JSON value, as the strict reader produces it for ``WireDecoder``.
enum JSONNode {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)

    /// How a value is named in an error message: "a number", "an object", …
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// The members of a JSON object in the order they were read; keys are unique.
struct JSONObject {
    var keys: [String] = []
    var values: [JSONNode] = []

    subscript(key: String) -> JSONNode? {
        // Wire objects have a handful of members: a linear scan beats hashing.
        for i in keys.indices where keys[i] == key { return values[i] }
        return nil
    }
}

/// A JSON number, keeping whether it was written as an integer so integer fields can be exact.
struct JSONNumber {
    /// The nearest double; infinite if the literal overflows a double.
    var double: Double
    /// The absolute value of an integer literal that fits 64 bits.
    var magnitude: UInt64?
    var negative: Bool

    /// The value as an integer of type `T`, if it is integral and in range.
    func exactly<T: FixedWidthInteger>(_: T.Type) -> T? {
        if let magnitude {
            if !negative { return T(exactly: magnitude) }
            if magnitude <= UInt64(Int64.max) { return T(exactly: -Int64(magnitude)) }
            return magnitude == UInt64(Int64.max) + 1 ? T(exactly: Int64.min) : nil
        }
        // 1e3 is an integer too, as long as the double holds it exactly.
        guard double.isFinite, double == double.rounded(.towardZero), abs(double) <= 9_007_199_254_740_992 else {
            return nil
        }
        return T(exactly: double)
    }
}

/// A syntax error: where in the frame, and what was expected.
struct JSONSyntaxError: Error {
    var offset: Int
    var reason: String
}

/// A strict RFC 8259 reader: one value, no trailing commas, no comments, no NaN, valid UTF-8,
/// unique object keys, and a nesting limit so hostile input cannot exhaust the stack.
struct JSONReader: ~Copyable {
    static let maximumDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    /// Parses `bytes` as exactly one JSON value.
    /// - Throws: ``JSONSyntaxError`` naming the byte offset of the first problem.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONNode {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        guard reader.index < bytes.count else { throw JSONSyntaxError(offset: 0, reason: "empty frame") }
        let value = try reader.readValue()
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.error("unexpected data after the JSON value") }
        return value
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func error(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, reason: reason) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard current == byte else { throw error("expected \(what)") }
        index += 1
    }

    private mutating func readValue() throws(JSONSyntaxError) -> JSONNode {
        guard let byte = current else { throw error("unexpected end of frame") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try readObject())
        case UInt8(ascii: "["): return .array(try readArray())
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        default: throw error("unexpected character '\(Self.printable(byte))'")
        }
    }

    private mutating func readLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count,
            UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[index..<index + count])
        else { throw error("unexpected character '\(Self.printable(bytes[index]))'") }
        index += count
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        index += 1
        skipWhitespace()
    }

    private mutating func readObject() throws(JSONSyntaxError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        var object = JSONObject()
        // Hostile objects may have thousands of keys: past a few, check duplicates with a set.
        var seen: Set<String>? = nil
        if current == UInt8(ascii: "}") {
            index += 1
            return object
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = index
            let key = try readString()
            let duplicate: Bool
            if seen != nil {
                duplicate = !seen!.insert(key).inserted
            } else {
                duplicate = object.keys.contains(key)
                if object.keys.count == 16 { seen = Set(object.keys + [key]) }
            }
            if duplicate { throw JSONSyntaxError(offset: keyOffset, reason: "duplicate key \"\(key)\"") }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after an object key")
            skipWhitespace()
            object.keys.append(key)
            object.values.append(try readValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return object
        }
    }

    private mutating func readArray() throws(JSONSyntaxError) -> [JSONNode] {
        try enter()
        defer { depth -= 1 }
        var elements: [JSONNode] = []
        if current == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            elements.append(try readValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return elements
        }
    }

    private mutating func readNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = index
        let negative = current == UInt8(ascii: "-")
        if negative { index += 1 }
        var magnitude: UInt64? = 0
        guard let first = current, Self.isDigit(first) else { throw error("expected a digit") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = current, Self.isDigit(next) { throw error("leading zeros are not allowed") }
        } else {
            while let digit = current, Self.isDigit(digit) {
                if let m = magnitude {
                    let (times10, o1) = m.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
                    magnitude = o1 || o2 ? nil : sum
                }
                index += 1
            }
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = current, Self.isDigit(digit) else { throw error("expected a digit after '.'") }
            while let digit = current, Self.isDigit(digit) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw error("expected a digit in the exponent") }
            while let digit = current, Self.isDigit(digit) { index += 1 }
        }
        if isInteger, let m = magnitude, m <= 1 << 53 {
            return JSONNumber(double: negative ? -Double(m) : Double(m), magnitude: m, negative: negative)
        }
        let double: Double
        if let exact = Self.exactDecimal(UnsafeBufferPointer(rebasing: bytes[start..<index])) {
            double = exact
        } else {
            // The grammar is checked, so the text is a plain decimal that `Double` rounds correctly.
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            double = Double(text) ?? .nan
        }
        return JSONNumber(double: double, magnitude: isInteger ? magnitude : nil, negative: negative)
    }

    /// Exact powers of ten as doubles (10^22 is the largest that is exact).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// The double nearest a number literal the grammar has accepted, straight from its bytes, when
    /// that is exact arithmetic (Clinger's fast path): its digits make an integer `m` ≤ 2^53 and its
    /// decimal exponent `e` is within ±22, so `m` and 10^|e| are exact doubles and the one
    /// multiplication or division IEEE rounds correctly gives the nearest double, as `Double(String)`
    /// does. Coordinates, speeds and battery levels on the wire all take this path; `nil` otherwise.
    static func exactDecimal(_ literal: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = literal.first == UInt8(ascii: "-")
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var exponent = 0
        var fraction = false
        while i < literal.count {
            let byte = literal[i]
            if byte == UInt8(ascii: ".") {
                fraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                break
            } else {
                mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                // 2^53 is below 10^16: checking each step keeps the products far from overflow.
                guard mantissa <= 1 << 53 else { return nil }
                if fraction { exponent -= 1 }
            }
            i += 1
        }
        if i < literal.count {
            i += 1  // the 'e'
            var sign = 1
            if literal[i] == UInt8(ascii: "-") || literal[i] == UInt8(ascii: "+") {
                if literal[i] == UInt8(ascii: "-") { sign = -1 }
                i += 1
            }
            var power = 0
            while i < literal.count {
                power = power * 10 + Int(literal[i] &- UInt8(ascii: "0"))
                guard power < 1000 else { return nil }
                i += 1
            }
            exponent += sign * power
        }
        guard (-22...22).contains(exponent) else { return nil }
        let value =
            exponent < 0
            ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
        return negative ? -value : value
    }

    private mutating func readString() throws(JSONSyntaxError) -> String {
        index += 1  // the opening quote
        let start = index
        var ascii = true
        // Fast path: no escapes.
        while let byte = current {
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                // ASCII is valid UTF-8 as it stands: skip the generic validating initialiser, which
                // instantiated generic metadata on every string (about 11% of ingest, see
                // docs/benchmarks.md "Device link").
                let string: String
                if ascii {
                    string = String(decoding: raw, as: UTF8.self)
                } else {
                    guard let valid = String(validating: raw, as: UTF8.self) else {
                        throw JSONSyntaxError(offset: start, reason: "invalid UTF-8 in a string")
                    }
                    string = valid
                }
                index += 1
                return string
            }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw error("unescaped control character in a string") }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw JSONSyntaxError(offset: start, reason: "invalid UTF-8 in a string")
                }
                index += 1
                return string
            case UInt8(ascii: "\\"):
                index += 1
                try readEscape(into: &buffer)
            case 0..<0x20:
                throw error("unescaped control character in a string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func readEscape(into buffer: inout [UInt8]) throws(JSONSyntaxError) {
        guard let byte = current else { throw error("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("unpaired UTF-16 surrogate in a \\u escape") }
                index += 2
                let low = UInt32(try readHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired UTF-16 surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("unpaired UTF-16 surrogate in a \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
            buffer.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw JSONSyntaxError(offset: index - 1, reason: "invalid escape '\\\(Self.printable(byte))'")
        }
    }

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw error("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected a hex digit in a \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func printable(_ byte: UInt8) -> String {
        if (0x21..<0x7F).contains(byte) { return String(UnicodeScalar(byte)) }
        let hex = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "\\x0" + hex : "\\x" + hex
    }
}
