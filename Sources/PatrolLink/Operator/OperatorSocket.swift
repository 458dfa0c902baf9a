import Foundation
public import Logging
import Synchronization

/// One request received on the operator channel: who sent it (from the CURVE handshake) and its bytes.
public struct OperatorFrame: Sendable {
    /// The connection to answer on.
    public var peer: PeerID
    /// The operator bound to the key of this connection; `nil` is impossible on a CURVE server
    /// unless the handshake was not authenticated, and such frames are never delivered.
    public var operatorName: String
    /// The request, one frame (JSON, see `docs/operator-api.md`).
    public var body: [UInt8]

    public init(peer: PeerID, operatorName: String, body: [UInt8]) {
        self.peer = peer
        self.operatorName = operatorName
        self.body = body
    }
}

/// The coordinator's end of the operator channel: a ROUTER socket with CURVE, whose ZAP handler
/// (on its own ``ZMQContext``) admits only the keys of an ``OperatorAllowlist``.
///
/// Requests come out of ``inbound`` with the operator name their key is bound to; frames from a
/// connection without an authenticated operator, or of a revoked one, are dropped unanswered,
/// so an unknown key gets nothing at all.
public final class OperatorServer: Sendable {
    private let loop: SocketLoop<OperatorFrame>

    /// Binds `endpoint` with CURVE. Start a ``ZAPHandler`` over `allowlist.handshakes` in
    /// `context` first: without one every handshake is refused.
    /// - Throws: ``LinkError`` `.socket` if the endpoint is malformed or in use.
    public init(
        context: ZMQContext, endpoint: String, keys: CurveKeyPair, allowlist: OperatorAllowlist, logger: Logger,
        domain: String = LinkSecurity.defaultDomain
    ) throws(LinkError) {
        var options = LinkOptions()
        options.security = .curveServer(keys, domain: domain)
        options.maximumMessageSize = 1 << 20
        options.maximumBufferedInbound = 10_000
        loop = try SocketLoop(
            context: context, kind: .router, options: options,
            mailbox: Mailbox(capacity: options.maximumQueuedMessages), logger: logger,
            attach: { socket throws(LinkError) in try socket.bind(endpoint) },
            transform: { frames, origin, _, logger in
                guard frames.count == 2, let name = origin.userID, !name.isEmpty, allowlist.role(of: name) != nil
                else {
                    logger.warning(
                        "dropped an operator frame without an allowed operator",
                        metadata: ["operator.name": "\(origin.userID ?? "none")"])
                    if let name = origin.userID, allowlist.role(of: name) == nil { origin.disconnect() }
                    return nil
                }
                return OperatorFrame(peer: PeerID(frames[0]), operatorName: name, body: frames[1])
            })
    }

    /// The bound endpoint as resolved by libzmq.
    public var endpoint: String { loop.endpoint }

    /// Every authenticated request, in arrival order; finishes after ``close()``. One consumer only.
    public var inbound: AsyncStream<OperatorFrame> { loop.inbound }

    /// Queues a reply for `peer`. Non-blocking.
    public func reply(_ body: [UInt8], to peer: PeerID) { _ = loop.mailbox.post([peer.bytes, body]) }

    /// Sends what is queued, closes the socket and finishes ``inbound``. Idempotent.
    public func close() { loop.close() }
}

/// An operator's end of the channel: a DEALER socket with the operator's CURVE key pair.
public final class OperatorClient: Sendable {
    private let loop: SocketLoop<Never>
    private let replies: ReplyQueue

    /// Connects to `endpoint`, whose CURVE public key is `serverPublicKey`.
    public init(
        context: ZMQContext, endpoint: String, keys: CurveKeyPair, serverPublicKey: String, logger: Logger
    ) throws(LinkError) {
        var options = LinkOptions()
        options.security = .curveClient(keys, serverPublicKey: serverPublicKey)
        options.maximumMessageSize = 1 << 24
        options.linger = .zero
        let replies = ReplyQueue()
        self.replies = replies
        loop = try SocketLoop(
            context: context, kind: .dealer, options: options,
            mailbox: Mailbox(capacity: options.maximumQueuedMessages), logger: logger,
            attach: { socket throws(LinkError) in try socket.connect(endpoint) },
            transform: { frames, _, _, _ in
                if frames.count == 1 { replies.put(frames[0]) }
                return nil
            })
    }

    /// Sends `body` and waits up to `timeout` for the next reply.
    /// - Throws: ``LinkError`` `.timeout` when nothing comes back in time (an unknown key gets nothing).
    public func request(_ body: [UInt8], timeout: Duration) async throws(LinkError) -> [UInt8] {
        _ = loop.mailbox.post([body])
        guard let reply = await replies.next(timeout: timeout) else {
            throw LinkError(
                code: .timeout,
                message: "no answer from the coordinator within \(timeout): is it running, and is this key allowed?")
        }
        return reply
    }

    /// Closes the socket at once (unsent requests are dropped). Idempotent.
    public func close() { loop.close() }
}

/// Replies received on the loop thread, waited for with a real-time timeout.
private final class ReplyQueue: Sendable {
    private struct State {
        var buffer: [[UInt8]] = []
        var waiter: (id: UInt64, continuation: CheckedContinuation<[UInt8]?, Never>)?
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    func put(_ reply: [UInt8]) {
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w.continuation
            }
            s.buffer.append(reply)
            return nil
        }
        waiter?.resume(returning: reply)
    }

    func next(timeout: Duration) async -> [UInt8]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
            let id = state.withLock { s -> UInt64? in
                if !s.buffer.isEmpty {
                    continuation.resume(returning: s.buffer.removeFirst())
                    return nil
                }
                s.nextWaiter += 1
                s.waiter = (s.nextWaiter, continuation)
                return s.nextWaiter
            }
            guard let id else { return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
                    guard let w = s.waiter, w.id == id else { return nil }
                    s.waiter = nil
                    return w.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
