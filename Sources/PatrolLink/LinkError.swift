/// An error from the device link: a frame that could not be decoded, or a socket that failed.
///
/// Bad frames from devices are data, not bugs: the codec and the link report them as a
/// ``LinkError`` with ``Code-swift.struct/badFrame`` (or a more specific code), a ``message``
/// naming the offending field, and the ``device`` and ``sequence`` when they were readable.
/// Socket failures carry the raw `zmq_errno()` value and its `zmq_strerror` text.
public struct LinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is; codes may be added, so switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case badFrame, unsupportedVersion, unknownType, frameTooLarge, identityMismatch
            case invalidIdentity, socket, peerUnreachable, closed, timeout, invalidKey, unauthenticated, rateLimited
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The frame is not a well-formed envelope: not JSON, a missing or mistyped field, a bad value.
        public static let badFrame = Code(.badFrame)
        /// The envelope's `v` is a protocol version this build does not speak.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The envelope's `type` names no known message.
        public static let unknownType = Code(.unknownType)
        /// The frame is larger than ``WireCodec/maximumFrameSize``.
        public static let frameTooLarge = Code(.frameTooLarge)
        /// The envelope's `device` is not the device this link is for (a ``LinkClient`` received a
        /// message addressed to another device).
        public static let identityMismatch = Code(.identityMismatch)
        /// A device identity is empty, longer than 255 bytes, or starts with a zero byte.
        public static let invalidIdentity = Code(.invalidIdentity)
        /// A libzmq call failed; see ``LinkError/zmqErrno`` and ``LinkError/zmqDescription``.
        public static let socket = Code(.socket)
        /// The peer a message was addressed to is not connected (`EHOSTUNREACH` on a ROUTER).
        public static let peerUnreachable = Code(.peerUnreachable)
        /// The context or socket has been shut down (`ETERM`), or the link was closed.
        public static let closed = Code(.closed)
        /// Nothing arrived in time.
        public static let timeout = Code(.timeout)
        /// A CURVE key or a keys file is malformed.
        public static let invalidKey = Code(.invalidKey)
        /// A frame came on a connection whose authenticated device (its CURVE key) is not the
        /// device the frame or its routing id claims, or whose key has been revoked.
        public static let unauthenticated = Code(.unauthenticated)
        /// The device sent more frames of one class than its ``LinkLimits`` allow; the frame was not read.
        public static let rateLimited = Code(.rateLimited)

        /// The code as it is written in a wire ``WireErrorReport``, e.g. `bad_frame`.
        public var description: String {
            switch wrapped {
            case .badFrame: "bad_frame"
            case .unsupportedVersion: "unsupported_version"
            case .unknownType: "unknown_type"
            case .frameTooLarge: "frame_too_large"
            case .identityMismatch: "identity_mismatch"
            case .invalidIdentity: "invalid_identity"
            case .socket: "socket"
            case .peerUnreachable: "peer_unreachable"
            case .closed: "closed"
            case .timeout: "timeout"
            case .invalidKey: "invalid_key"
            case .unauthenticated: "unauthenticated"
            case .rateLimited: "rate_limited"
            }
        }
    }

    /// Where in this module the error was raised.
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var description: String { "\(file):\(line)" }
    }

    public var code: Code
    /// What went wrong and, where it helps, what to do about it.
    public var message: String
    /// The device the frame came from or was for, when known.
    public var device: String?
    /// The envelope's `seq`, when it was readable.
    public var sequence: UInt64?
    /// The ZeroMQ endpoint involved, e.g. `tcp://127.0.0.1:5555`.
    public var endpoint: String?
    /// The operation that failed, e.g. `zmq_bind` or `decode`.
    public var operation: String?
    /// The raw `zmq_errno()` value of a failed libzmq call.
    public var zmqErrno: Int32?
    /// `zmq_strerror(zmqErrno)`.
    public var zmqDescription: String?
    public var location: Location

    public init(
        code: Code, message: String, device: String? = nil, sequence: UInt64? = nil, endpoint: String? = nil,
        operation: String? = nil, zmqErrno: Int32? = nil, zmqDescription: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.device = device
        self.sequence = sequence
        self.endpoint = endpoint
        self.operation = operation
        self.zmqErrno = zmqErrno
        self.zmqDescription = zmqDescription
        self.location = Location(file: file, line: line)
    }

    public var description: String {
        var text = "\(code): \(message)"
        var context: [String] = []
        if let device { context.append("device \(device)") }
        if let sequence { context.append("seq \(sequence)") }
        if let operation { context.append(operation) }
        if let endpoint { context.append(endpoint) }
        if let zmqErrno { context.append("errno \(zmqErrno)" + (zmqDescription.map { " (\($0))" } ?? "")) }
        if !context.isEmpty { text += " [" + context.joined(separator: ", ") + "]" }
        return text
    }
}
