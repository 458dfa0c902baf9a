public import Foundation
public import Logging
import Synchronization

/// A device's end of the link: a ZeroMQ DEALER socket whose routing id is the device identity,
/// connected to the coordinator's ``LinkServer``.
///
/// The connection is made in the background and re-made after a loss; messages sent before it is
/// up wait in the socket. Sending never blocks. See `docs/protocol.md`.
public final class LinkClient: Sendable {
    /// The device id: the socket's `ZMQ_ROUTING_ID` and the `device` of every envelope sent.
    public let identity: String
    private let loop: SocketLoop<Result<Envelope, LinkError>>
    private let sequence = Mutex<UInt64>(0)

    /// Connects a DEALER socket with routing id `identity` to `endpoint` and starts its loop thread.
    ///
    /// - Throws: ``LinkError`` `.invalidIdentity` if `identity` is empty, over 255 UTF-8 bytes or
    ///   starts with a zero byte; `.socket` if the endpoint is malformed; `.closed` if the context
    ///   has been shut down.
    public init(
        context: ZMQContext, endpoint: String, identity: String, logger: Logger, options: LinkOptions = LinkOptions()
    ) throws(LinkError) {
        let id = Array(identity.utf8)
        guard !id.isEmpty, id.count <= WireCodec.maximumDeviceLength, id[0] != 0 else {
            throw LinkError(
                code: .invalidIdentity,
                message: "a device identity must be 1 to \(WireCodec.maximumDeviceLength) UTF-8 bytes, "
                    + "not starting with a zero byte",
                device: identity, endpoint: endpoint, operation: "connect")
        }
        self.identity = identity
        var logger = logger
        logger[metadataKey: "device.id"] = "\(identity)"
        self.loop = try SocketLoop(
            context: context, kind: .dealer, options: options, routingID: id,
            mailbox: Mailbox(capacity: options.maximumQueuedMessages),
            logger: logger,
            attach: { socket throws(LinkError) in try socket.connect(endpoint) },
            transform: { frames, _, mailbox, logger in
                Self.receive(frames, identity: identity, mailbox: mailbox, logger: logger)
            })
    }

    /// The endpoint as resolved by libzmq.
    public var endpoint: String { loop.endpoint }

    /// Every message received from the coordinator, decoded or with the reason it was rejected;
    /// finishes after ``close()`` or context shutdown. One consumer only.
    public var inbound: AsyncStream<Result<Envelope, LinkError>> { loop.inbound }

    /// Counters since the client was opened.
    public var statistics: LinkStatistics { loop.statistics }

    /// Queues `message` with the next sequence number (1, 2, 3, …) and returns that number.
    /// Thread-safe and non-blocking; messages leave in the order of the calls.
    @discardableResult
    public func send(_ message: WireMessage, time: Date) -> UInt64 {
        sequence.withLock { sequence in
            sequence &+= 1
            let envelope = Envelope(device: identity, sequence: sequence, time: time, message: message)
            loop.mailbox.post([WireCodec.encode(envelope)])
            return sequence
        }
    }

    /// Queues `frame` exactly as given, without an envelope or a sequence number: for simulators
    /// of hostile devices (malformed, replayed or oversized frames). Real devices use
    /// ``send(_:time:)``.
    public func send(rawFrame frame: [UInt8]) { loop.mailbox.post([frame]) }

    /// Stops the client: one last attempt to send what is queued, then the socket is closed and
    /// ``inbound`` finishes. Idempotent; returns once the socket is closed.
    public func close() { loop.close() }

    private static func receive(
        _ frames: [[UInt8]], identity: String, mailbox: Mailbox, logger: Logger
    ) -> Result<Envelope, LinkError> {
        let result: Result<Envelope, LinkError>
        if frames.count != 1 {
            result = .failure(
                LinkError(
                    code: .badFrame, message: "frame: expected a message of exactly one frame, found \(frames.count)",
                    operation: "decode"))
        } else {
            do {
                let envelope = try WireCodec.decode(frames[0])
                result =
                    envelope.device == identity
                    ? .success(envelope)
                    : .failure(
                        LinkError(
                            code: .identityMismatch,
                            message: "device: \"\(envelope.device)\" is not this device (\(identity))",
                            device: envelope.device, sequence: envelope.sequence, operation: "decode"))
            } catch {
                result = .failure(error)
            }
        }
        if case .failure(let error) = result {
            mailbox.badFrames.add(1, ordering: .relaxed)
            logger.info("rejected a frame: \(error.message)", metadata: ["link.error": "\(error.code)"])
        }
        return result
    }
}
