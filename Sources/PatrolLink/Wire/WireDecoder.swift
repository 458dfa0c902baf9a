import Foundation

/// A `Decoder` over a strictly parsed ``JSONNode``: snake_case keys, dates as integer
/// milliseconds since the Unix epoch, integers exact, doubles finite. Every failure is a
/// `DecodingError` whose description is already a sentence for a device maker
/// ("expected a number, found a string"), so ``WireCodec`` only has to prefix the path.
struct WireDecoder: Decoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: JSONNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = node else {
            throw Primitive.mismatch([String: Any].self, "an object", node, codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = node else {
            throw Primitive.mismatch([Any].self, "an array", node, codingPath)
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }

    /// Decodes a `T` from `node`, reading a `Date` as integer milliseconds since the Unix epoch.
    static func decode<T: Decodable>(_ type: T.Type, from node: JSONNode, at path: [any CodingKey]) throws -> T {
        if T.self == Date.self {
            let ms = try Primitive.integer(
                Int64.self, node, path, expected: "integer milliseconds since the Unix epoch")
            return WireCodec.date(milliseconds: ms) as! T
        }
        do {
            return try T(from: WireDecoder(node: node, codingPath: path))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.count == path.count {
            // A raw-value enum that did not recognise its string: say which values it knows.
            guard case .string(let value) = node else { throw DecodingError.dataCorrupted(context) }
            var reason = "unknown value \"\(value)\""
            if let known = Self.knownValues(of: T.self) { reason += " (expected one of: \(known))" }
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: reason))
        }
    }

    private static func knownValues<T>(of type: T.Type) -> String? {
        guard let caseIterable = type as? any CaseIterable.Type else { return nil }
        let names = caseIterable.allCases.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }
}

/// Reading one JSON value as a Swift primitive, with wire-friendly messages.
enum Primitive {
    static func mismatch(_ type: Any.Type, _ expected: String, _ node: JSONNode, _ path: [any CodingKey])
        -> DecodingError
    {
        if case .null = node {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "expected \(expected), found null"))
        }
        return .typeMismatch(
            type, .init(codingPath: path, debugDescription: "expected \(expected), found \(node.kindDescription)"))
    }

    static func bool(_ node: JSONNode, _ path: [any CodingKey]) throws -> Bool {
        guard case .bool(let value) = node else { throw mismatch(Bool.self, "a boolean", node, path) }
        return value
    }

    static func string(_ node: JSONNode, _ path: [any CodingKey]) throws -> String {
        guard case .string(let value) = node else { throw mismatch(String.self, "a string", node, path) }
        return value
    }

    static func double(_ node: JSONNode, _ path: [any CodingKey]) throws -> Double {
        guard case .number(let number) = node else { throw mismatch(Double.self, "a number", node, path) }
        guard number.double.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "number out of range"))
        }
        return number.double
    }

    static func float(_ node: JSONNode, _ path: [any CodingKey]) throws -> Float {
        let value = Float(try double(node, path))
        guard value.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "number out of range"))
        }
        return value
    }

    static func integer<T: FixedWidthInteger>(
        _ type: T.Type, _ node: JSONNode, _ path: [any CodingKey], expected: String = "an integer"
    ) throws -> T {
        guard case .number(let number) = node else { throw mismatch(T.self, expected, node, path) }
        if let value = number.exactly(T.self) { return value }
        let isIntegral = number.magnitude != nil || number.double == number.double.rounded(.towardZero)
        let range = expected.contains(" from ") ? "" : " from \(T.min) to \(T.max)"
        let reason =
            isIntegral
            ? "expected \(expected)\(range), found a number out of range"
            : "expected \(expected), found a fractional number"
        throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: reason))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { WireKeys.camelCase($0).flatMap(Key.init(stringValue:)) } }

    func contains(_ key: Key) -> Bool { object[WireKeys.snakeCase(key.stringValue)] != nil }

    private func node(_ key: Key) throws -> JSONNode {
        guard let node = object[WireKeys.snakeCase(key.stringValue)] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try node(key) { return true }
        return false
    }

    func decode(_: Bool.Type, forKey key: Key) throws -> Bool { try Primitive.bool(node(key), codingPath + [key]) }
    func decode(_: String.Type, forKey key: Key) throws -> String {
        try Primitive.string(node(key), codingPath + [key])
    }
    func decode(_: Double.Type, forKey key: Key) throws -> Double {
        try Primitive.double(node(key), codingPath + [key])
    }
    func decode(_: Float.Type, forKey key: Key) throws -> Float { try Primitive.float(node(key), codingPath + [key]) }
    func decode(_ t: Int.Type, forKey key: Key) throws -> Int {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: Int8.Type, forKey key: Key) throws -> Int8 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: Int16.Type, forKey key: Key) throws -> Int16 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: Int32.Type, forKey key: Key) throws -> Int32 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: Int64.Type, forKey key: Key) throws -> Int64 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: UInt.Type, forKey key: Key) throws -> UInt {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }
    func decode(_ t: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try Primitive.integer(t, node(key), codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try WireDecoder.decode(type, from: node(key), at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try WireDecoder(node: node(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try WireDecoder(node: node(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        WireDecoder(node: object["super"] ?? .null, codingPath: codingPath + [WireCodingKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        WireDecoder(node: object[WireKeys.snakeCase(key.stringValue)] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONNode]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONNode], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next<T>(_ type: T.Type) throws -> (JSONNode, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "expected more array elements"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], codingPath + [WireCodingKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ t: Bool.Type) throws -> Bool { let (n, p) = try next(t); return try Primitive.bool(n, p) }
    mutating func decode(_ t: String.Type) throws -> String {
        let (n, p) = try next(t); return try Primitive.string(n, p)
    }
    mutating func decode(_ t: Double.Type) throws -> Double {
        let (n, p) = try next(t); return try Primitive.double(n, p)
    }
    mutating func decode(_ t: Float.Type) throws -> Float { let (n, p) = try next(t); return try Primitive.float(n, p) }
    mutating func decode(_ t: Int.Type) throws -> Int {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: Int8.Type) throws -> Int8 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: Int16.Type) throws -> Int16 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: Int32.Type) throws -> Int32 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: Int64.Type) throws -> Int64 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: UInt.Type) throws -> UInt {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: UInt8.Type) throws -> UInt8 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: UInt16.Type) throws -> UInt16 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: UInt32.Type) throws -> UInt32 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }
    mutating func decode(_ t: UInt64.Type) throws -> UInt64 {
        let (n, p) = try next(t); return try Primitive.integer(t, n, p)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next(type)
        return try WireDecoder.decode(type, from: node, at: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = try next([String: Any].self)
        return try WireDecoder(node: node, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, path) = try next([Any].self)
        return try WireDecoder(node: node, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, path) = try next(Any.self)
        return WireDecoder(node: node, codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }

    func decode(_: Bool.Type) throws -> Bool { try Primitive.bool(node, codingPath) }
    func decode(_: String.Type) throws -> String { try Primitive.string(node, codingPath) }
    func decode(_: Double.Type) throws -> Double { try Primitive.double(node, codingPath) }
    func decode(_: Float.Type) throws -> Float { try Primitive.float(node, codingPath) }
    func decode(_ t: Int.Type) throws -> Int { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: Int8.Type) throws -> Int8 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: Int16.Type) throws -> Int16 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: Int32.Type) throws -> Int32 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: Int64.Type) throws -> Int64 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: UInt.Type) throws -> UInt { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: UInt8.Type) throws -> UInt8 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: UInt16.Type) throws -> UInt16 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: UInt32.Type) throws -> UInt32 { try Primitive.integer(t, node, codingPath) }
    func decode(_ t: UInt64.Type) throws -> UInt64 { try Primitive.integer(t, node, codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try WireDecoder.decode(type, from: node, at: codingPath)
    }
}
