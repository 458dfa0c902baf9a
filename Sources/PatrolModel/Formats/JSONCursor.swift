import Foundation
import PatrolGeo

/// A value inside a parsed JSON document, with its path, for reading files strictly: every
/// error names the file and the path of the value, such as `mission.items[3].params[4]`.
struct JSONCursor {
    let value: JSONValue
    let path: String
    let file: String

    /// Parses `data`; a syntax error gets the line and column where the parser stopped.
    ///
    /// - Throws: ``LoadError`` for text that is not JSON.
    static func parse(_ data: Data, file: String) throws(LoadError) -> JSONCursor {
        do {
            return JSONCursor(value: try JSONDecoder().decode(JSONValue.self, from: data), path: "", file: file)
        } catch {
            var reason = "\(error)"
            if case DecodingError.dataCorrupted(let context) = error {
                reason =
                    (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
                    ?? context.debugDescription
            }
            let (line, column) = position(of: reason, in: data)
            throw LoadError(file: file, line: line, column: column, message: "not valid JSON: \(reason)")
        }
    }

    /// The line and column of the parser's "around character N", or the end of the data.
    private static func position(of reason: String, in data: Data) -> (Int, Int) {
        var offset = data.count
        if let range = reason.range(of: "character "),
            let n = Int(reason[range.upperBound...].prefix { $0.isNumber })
        {
            offset = min(n, data.count)
        }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    func error(_ message: String) -> LoadError {
        LoadError(file: file, field: path.isEmpty ? nil : path, message: message)
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`, or `nil` when it is absent or null.
    func optional(_ key: String) throws(LoadError) -> JSONCursor? {
        guard let object = value.object else { throw error("expected an object") }
        guard let member = object[key], member != .null else { return nil }
        return JSONCursor(value: member, path: child(key), file: file)
    }

    /// The member `key`.
    func required(_ key: String) throws(LoadError) -> JSONCursor {
        guard let member = try optional(key) else {
            throw LoadError(file: file, field: child(key), message: "missing")
        }
        return member
    }

    /// The elements of an array, at most `limit` of them.
    func elements(limit: Int = MissionItem.maximumCount) throws(LoadError) -> [JSONCursor] {
        guard let array = value.array else { throw error("expected an array") }
        guard array.count <= limit else { throw error("\(array.count) elements; at most \(limit) are allowed") }
        return array.enumerated().map { JSONCursor(value: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }

    func number() throws(LoadError) -> Double {
        guard let n = value.number, n.isFinite else { throw error("expected a number") }
        return n
    }

    /// A number, or NaN for null (QGroundControl writes an unset parameter as null).
    func numberOrNull() throws(LoadError) -> Double {
        value == .null ? .nan : try number()
    }

    func integer(in range: ClosedRange<Int>) throws(LoadError) -> Int {
        let n = try number()
        guard n.rounded() == n, n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            throw error("expected a whole number in \(range.lowerBound)...\(range.upperBound), found \(n)")
        }
        return Int(n)
    }

    func bool() throws(LoadError) -> Bool {
        guard case .bool(let b) = value else { throw error("expected true or false") }
        return b
    }

    func string() throws(LoadError) -> String {
        guard let s = value.string else { throw error("expected a string") }
        return s
    }

    /// A `[latitude, longitude]` or `[latitude, longitude, altitude]` array, as QGroundControl writes positions.
    func position(withAltitude: Bool) throws(LoadError) -> (LonLat, Double) {
        let parts = try elements(limit: 3)
        guard parts.count == (withAltitude ? 3 : 2) else {
            throw error(withAltitude ? "expected [latitude, longitude, altitude]" : "expected [latitude, longitude]")
        }
        let position = LonLat(lon: try parts[1].number(), lat: try parts[0].number())
        guard position.isValid else {
            throw error("latitude \(position.lat), longitude \(position.lon) is not a position on Earth")
        }
        return (position, withAltitude ? try parts[2].number() : 0)
    }
}
