import Foundation

/// Turns envelopes into wire frames and back.
///
/// One frame is one UTF-8 JSON object:
/// `{"v":1,"type":"telemetry","device":"drone-1","seq":42,"time":1764036000000,"body":{…}}`.
/// Header keys come first in that order, body keys are snake_case and sorted, and every date
/// (the header `time` and dates inside bodies) is integer milliseconds since the Unix epoch.
/// Decoding is strict and total: any input yields an ``Envelope`` or a ``LinkError``, never a trap.
public enum WireCodec {
    /// The largest frame ``decode(_:)`` accepts, in bytes (1 MiB).
    public static let maximumFrameSize = 1 << 20

    /// The longest `device` name, in UTF-8 bytes: the limit of a ZeroMQ routing id.
    public static let maximumDeviceLength = 255

    /// Encodes `envelope` as one frame.
    ///
    /// Encoding does not fail. A non-finite `Double` in a body (a bug in the sender) is written as
    /// the string `"NaN"`, `"Infinity"` or `"-Infinity"`, which every strict decoder, this one
    /// included, rejects with an error naming the field.
    public static func encode(_ envelope: Envelope) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out += #"{"v":"#.utf8
        out += String(envelope.version).utf8
        out += #","type":""#.utf8
        out += envelope.message.type.utf8
        out += #"","device":"#.utf8
        appendJSONString(envelope.device, to: &out)
        out += #","seq":"#.utf8
        out += String(envelope.sequence).utf8
        out += #","time":"#.utf8
        out += String(milliseconds(envelope.time)).utf8
        out += #","body":"#.utf8
        if case .sensorReadings(let batch) = envelope.message {
            // Thousands of readings a frame: written by hand, as JSONEncoder would (see SensorReadingsWriter).
            SensorReadingsWriter.append(batch, to: &out)
        } else if let body = envelope.message.body {
            do {
                out += try bodyEncoder.encode(body)
            } catch {
                // Only non-finite floats can fail, and the strategy above writes those as strings.
                preconditionFailure("encoding a \(envelope.message.type) body failed: \(error)")
            }
        } else {
            out += "{}".utf8
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Decodes one frame.
    /// - Throws: ``LinkError`` with ``LinkError/Code-swift.struct/frameTooLarge`` for a frame over
    ///   ``maximumFrameSize``, ``LinkError/Code-swift.struct/unsupportedVersion`` for a `v` other than
    ///   ``wireProtocolVersion``, ``LinkError/Code-swift.struct/unknownType`` for an unknown `type`,
    ///   and ``LinkError/Code-swift.struct/badFrame`` for everything else; the message names the
    ///   field, e.g. `body.telemetry.battery: expected a number, found a string`, and the error
    ///   carries `device` and `seq` when they were readable.
    public static func decode(_ bytes: [UInt8]) throws(LinkError) -> Envelope {
        guard bytes.count <= maximumFrameSize else {
            throw LinkError(
                code: .frameTooLarge,
                message: "frame: \(bytes.count) bytes is over the limit of \(maximumFrameSize) bytes",
                operation: "decode")
        }
        let root: JSONNode
        do {
            root = try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSONReader.parse(buffer) }
        } catch {
            let reason = error.reason == "empty frame" ? "empty frame" : "\(error.reason) at byte \(error.offset)"
            throw LinkError(code: .badFrame, message: "frame: not valid JSON: \(reason)", operation: "decode")
        }
        var reader = EnvelopeReader(root: root)
        return try reader.read()
    }

    /// `date` as integer milliseconds since the Unix epoch, rounded to the nearest; clamped to `Int64`.
    static func milliseconds(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite else { return ms > 0 ? .max : .min }
        return Int64(exactly: ms) ?? (ms > 0 ? .max : .min)
    }

    /// The instant `milliseconds` after the Unix epoch.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static let bodyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .custom { path in
            WireCodingKey(stringValue: WireKeys.snakeCase(path[path.count - 1].stringValue))
        }
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(milliseconds(date))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }()

    static func appendJSONString(_ string: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out += [UInt8(ascii: "\\"), byte]
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0..<0x20:
                out += #"\u00"#.utf8
                out += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension WireMessage {
    /// The body to encode, or `nil` for a message without one.
    fileprivate var body: (any Encodable)? {
        switch self {
        case .hello(let body): body
        case .missionAck(let body): body
        case .commandAck(let body): body
        case .telemetry(let body): body
        case .detection(let body): body
        case .event(let body): body
        case .sensorReadings(let body): body
        case .hiveStatus(let body): body
        case .readingsAck(let body): body
        case .welcome(let body): body
        case .missionUpload(let body): body
        case .command(let body): body
        case .detectionAck(let body): body
        case .eventAck(let body): body
        case .heartbeat: nil
        case .error(let body): body
        }
    }
}
