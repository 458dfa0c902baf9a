import Foundation
public import Logging

/// One message from the event stream: its topic and its JSON document (see ``EventPublisher``).
public struct ReceivedEvent: Sendable, Hashable {
    public let topic: String
    /// The document's bytes, JSON, as published.
    public let document: [UInt8]
}

/// A subscriber to the coordinator's event stream: a ZeroMQ SUB socket connected to an
/// ``EventPublisher``.
///
/// libzmq connects in the background and reconnects by itself after the publisher goes away
/// and comes back (a coordinator restart); messages published while it was away are not
/// replayed. Heartbeats (``EventPublisher/heartbeatTopic``) tell a live, quiet stream from a
/// dead one.
public final class EventSubscriber: Sendable {
    private let loop: SocketLoop<ReceivedEvent>

    /// Connects to `endpoint`, subscribed to every topic that starts with one of `topics`.
    /// - Parameters:
    ///   - topics: prefixes, e.g. `["incident.", "sys."]`; `[""]` (the default) is everything.
    ///   - options: ``LinkOptions/security`` `.curveClient(keys, serverPublicKey:)` for a CURVE stream.
    /// - Throws: ``LinkError`` `.socket` if the endpoint is malformed.
    public init(
        context: ZMQContext, endpoint: String, topics: [String] = [""], logger: Logger,
        options: LinkOptions = LinkOptions()
    ) throws(LinkError) {
        var options = options
        options.maximumBufferedInbound = min(options.maximumBufferedInbound, 10_000)
        self.loop = try SocketLoop(
            context: context, kind: .sub, options: options,
            mailbox: Mailbox(capacity: options.maximumQueuedMessages), logger: logger,
            attach: { socket throws(LinkError) in
                for topic in topics { try socket.setOption(ZMQOption.subscribe, topic) }
                try socket.connect(endpoint)
            },
            transform: { frames, _, _, logger in
                guard frames.count == 2 else {
                    logger.debug("ignored an event message of \(frames.count) frames")
                    return nil
                }
                return ReceivedEvent(topic: String(decoding: frames[0], as: UTF8.self), document: frames[1])
            })
    }

    deinit { loop.close() }

    /// Every event received, in order; finishes after ``close()``. One consumer only.
    public var events: AsyncStream<ReceivedEvent> { loop.inbound }

    /// Stops the subscription; idempotent.
    public func close() { loop.close() }
}
