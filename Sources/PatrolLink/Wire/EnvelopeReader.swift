import Foundation
import PatrolModel

/// Reads an ``Envelope`` out of a parsed frame: the header field by field, then the body for its
/// `type`. It checks shape, types and finite numbers; what values mean (a battery of 1.5, a
/// checksum that does not match its route) is for the application to judge and answer.
struct EnvelopeReader {
    private let root: JSONNode
    private var device: String?
    private var sequence: UInt64?

    init(root: JSONNode) { self.root = root }

    mutating func read() throws(LinkError) -> Envelope {
        guard case .object(let header) = root else {
            throw fail("frame: expected a JSON object, found \(root.kindDescription)")
        }
        // Read what identifies the sender first, so every later error can name it.
        if case .string(let name) = header["device"], !name.isEmpty, name.utf8.count <= WireCodec.maximumDeviceLength {
            device = name
        }
        if case .number(let number) = header["seq"], let value = number.exactly(UInt64.self), value >= 1 {
            sequence = value
        }

        let version = try integer(header, "v", Int.self)
        guard version == wireProtocolVersion else {
            throw fail(
                "v: unsupported protocol version \(version); this coordinator speaks version \(wireProtocolVersion)",
                code: .unsupportedVersion)
        }
        let type = try string(header, "type")
        guard let bodyReader = Self.bodyReaders[type] else {
            let known = Self.bodyReaders.keys.sorted().joined(separator: ", ")
            throw fail("type: unknown message type \"\(type)\"; known types are \(known)", code: .unknownType)
        }
        let device = try string(header, "device")
        guard !device.isEmpty, device.utf8.count <= WireCodec.maximumDeviceLength else {
            throw fail("device: expected 1 to \(WireCodec.maximumDeviceLength) UTF-8 bytes, found \(device.utf8.count)")
        }
        let sequence = try integer(header, "seq", UInt64.self, expected: "an integer from 1 to \(UInt64.max)")
        guard sequence >= 1 else { throw fail("seq: expected an integer from 1 to \(UInt64.max), found 0") }
        let ms = try integer(header, "time", Int64.self, expected: "integer milliseconds since the Unix epoch")

        let message: WireMessage
        do {
            message = try bodyReader(header["body"], [WireCodingKey(stringValue: "body")])
        } catch let error as DecodingError {
            throw fail(Self.describe(error))
        } catch {
            throw fail("body: \(error)")
        }
        return Envelope(
            version: version, device: device, sequence: sequence, time: WireCodec.date(milliseconds: ms),
            message: message)
    }

    private func fail(_ message: String, code: LinkError.Code = .badFrame) -> LinkError {
        LinkError(code: code, message: message, device: device, sequence: sequence, operation: "decode")
    }

    private func field(_ header: JSONObject, _ key: String) throws(LinkError) -> (JSONNode, [any CodingKey]) {
        guard let node = header[key] else { throw fail("\(key): missing") }
        return (node, [WireCodingKey(stringValue: key)])
    }

    private func string(_ header: JSONObject, _ key: String) throws(LinkError) -> String {
        let (node, path) = try field(header, key)
        do { return try Primitive.string(node, path) } catch { throw fail(Self.describe(error)) }
    }

    private func integer<T: FixedWidthInteger>(
        _ header: JSONObject, _ key: String, _ type: T.Type, expected: String = "an integer"
    ) throws(LinkError) -> T {
        let (node, path) = try field(header, key)
        do { return try Primitive.integer(type, node, path, expected: expected) } catch {
            throw fail(Self.describe(error))
        }
    }

    /// A decoding error as one line: the wire path of the field, then what was wrong with it.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "frame: \(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return WireKeys.path(context.codingPath + [key]) + ": missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return WireKeys.path(context.codingPath) + ": " + context.debugDescription
        @unknown default:
            return "frame: \(error)"
        }
    }

    private typealias BodyReader = @Sendable (JSONNode?, [any CodingKey]) throws -> WireMessage

    private static func body<T: Decodable & Sendable>(_ type: T.Type, _ wrap: @escaping @Sendable (T) -> WireMessage)
        -> BodyReader
    {
        { node, path in
            guard let node else {
                throw DecodingError.keyNotFound(
                    WireCodingKey(stringValue: "body"), .init(codingPath: [], debugDescription: "missing"))
            }
            return wrap(try WireDecoder.decode(T.self, from: node, at: path))
        }
    }

    private static let bodyReaders: [String: BodyReader] = [
        "hello": body(Hello.self, WireMessage.hello),
        "mission_ack": body(MissionAck.self, WireMessage.missionAck),
        "command_ack": body(CommandAck.self, WireMessage.commandAck),
        "telemetry": { node, path in
            if let report = TelemetryFastPath.read(node) { return .telemetry(report) }
            return try body(TelemetryReport.self, WireMessage.telemetry)(node, path)
        },
        "detection": body(DetectionReport.self, WireMessage.detection),
        "event": body(DeviceEvent.self, WireMessage.event),
        "sensor_readings": { node, path in
            if let batch = SensorReadingsFastPath.read(node) { return .sensorReadings(batch) }
            return try body(SensorReadings.self, WireMessage.sensorReadings)(node, path)
        },
        "hive_status": body(HiveStatus.self, WireMessage.hiveStatus),
        "readings_ack": body(ReadingsAck.self, WireMessage.readingsAck),
        "welcome": body(Welcome.self, WireMessage.welcome),
        "mission_upload": body(MissionUpload.self, WireMessage.missionUpload),
        "command": body(Command.self, WireMessage.command),
        "detection_ack": body(DetectionAck.self, WireMessage.detectionAck),
        "event_ack": body(EventAck.self, WireMessage.eventAck),
        "error": body(WireErrorReport.self, WireMessage.error),
        "heartbeat": { node, path in
            // No body, `null`, or an object (whose members are ignored, like unknown members anywhere).
            switch node {
            case nil, .null?, .object?: return .heartbeat
            case let node?: throw Primitive.mismatch([String: Any].self, "an object", node, path)
            }
        },
    ]
}
