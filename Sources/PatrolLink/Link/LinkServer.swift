public import Foundation
public import Logging
import Synchronization

/// The coordinator's end of the link: a ZeroMQ ROUTER socket that binds one endpoint, receives
/// from every device, and sends to each by its ``PeerID``.
///
/// Every received frame comes out of ``inbound``, decoded or with the reason it was rejected
/// (logged and counted; answering it with an `error` message is the caller's policy). Sending
/// never blocks.
/// A message for a device that is not connected is logged, dropped and counted in
/// ``statistics``. See `docs/protocol.md`.
public final class LinkServer: Sendable {
    private let loop: SocketLoop<InboundFrame>
    private let outbox: ServerOutbox

    /// Binds a ROUTER socket to `endpoint` and starts its loop thread.
    ///
    /// - Parameters:
    ///   - context: the process's context; `inproc://` clients must use the same one.
    ///   - endpoint: e.g. `tcp://0.0.0.0:5555`, `tcp://127.0.0.1:*` (a free port; read ``endpoint``),
    ///     `ipc:///run/patrol/link`, `inproc://link`.
    ///   - logger: used for bad frames and dropped messages, with `link.endpoint` metadata.
    ///   - allowlist: with ``LinkSecurity/curveServer(_:domain:)``, the list the ``ZAPHandler``
    ///     uses: each frame is also checked against it, so a revoked device's frames are refused
    ///     from the moment it is removed, on a connection that is already up.
    ///   - now: the clock the ``LinkOptions/limits`` are measured on and the link's own `error`
    ///     answers are dated by: the wall clock by default, the virtual clock in simulations that run
    ///     faster than real time (so that a device's rates are judged in its own time).
    /// - Throws: ``LinkError`` `.socket` if the endpoint is malformed or in use, `.closed` if the
    ///   context has been shut down.
    public init(
        context: ZMQContext, endpoint: String, logger: Logger, options: LinkOptions = LinkOptions(),
        allowlist: DeviceAllowlist? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(LinkError) {
        let mailbox = try Mailbox(capacity: options.maximumQueuedMessages)
        let authenticated = options.security.isCurveServer
        let outbox = ServerOutbox(
            mailbox: mailbox, authenticated: authenticated, allowlist: allowlist, limits: options.limits, now: now)
        self.outbox = outbox
        self.loop = try SocketLoop(
            context: context, kind: .router, options: options, mailbox: mailbox, logger: logger,
            attach: { socket throws(LinkError) in try socket.bind(endpoint) },
            transform: { frames, origin, _, logger in outbox.receive(frames, origin: origin, logger: logger) },
            tick: authenticated && allowlist != nil
                ? .init(interval: 500, action: { outbox.sweepRevoked(logger: logger) }) : nil)
        if !authenticated {
            logger.warning(
                """
                PLAINTEXT device link: no authentication, no encryption; any peer can claim any device id. \
                Use CURVE outside local tests and demos.
                """,
                metadata: ["link.endpoint": "\(loop.endpoint)"])
        }
    }

    /// The bound endpoint as resolved by libzmq, e.g. `tcp://127.0.0.1:40123`.
    public var endpoint: String { loop.endpoint }

    /// Every frame received, in arrival order; finishes after ``close()`` or context shutdown.
    /// One consumer only, of this or ``inboundBatches``.
    public var inbound: AsyncStream<InboundFrame> { loop.inbound }

    /// The same frames in arrays, each what the link's thread received in one poll round (at most
    /// a few hundred, never empty), so that a busy consumer pays one hand-off per array rather than
    /// one per frame. One consumer only, of this or ``inbound``.
    public var inboundBatches: AsyncStream<[InboundFrame]> { loop.batches }

    /// Counters since the server was opened.
    public var statistics: LinkStatistics { loop.statistics }

    /// Queues `message` for `peer` as an envelope for `device`, with the next sequence number for
    /// that peer (1, 2, 3, …, starting again at 1 after the peer's `hello`).
    ///
    /// An empty `device` (a reply to a frame whose sender is unknown) is replaced by the peer's
    /// routing id as text, so that the envelope stays valid. Thread-safe and non-blocking;
    /// messages to one peer leave in the order of the calls.
    public func send(_ message: WireMessage, to peer: PeerID, device: String, time: Date) {
        outbox.send(message, to: peer, device: device, time: time)
    }

    /// Stops the server: one last attempt to send what is queued, then the socket is closed and
    /// ``inbound`` finishes. Idempotent; returns once the socket is closed.
    public func close() { loop.close() }
}

/// Per-peer sequence numbers and the handling of received frames, shared by callers of
/// ``LinkServer/send(_:to:device:time:)`` and the loop thread.
private final class ServerOutbox: Sendable {
    private let sequences = Mutex<[PeerID: UInt64]>([:])
    private let mailbox: Mailbox
    /// Whether every frame must carry a ZAP `User-Id` (a CURVE server).
    private let authenticated: Bool
    private let allowlist: DeviceAllowlist?
    /// Used on the loop thread only; the lock is never contended.
    private let limiter: LockedRateLimiter?
    private let now: @Sendable () -> Date
    /// The connection (descriptor) each authenticated device last spoke on, and the allowlist
    /// generation last swept; loop thread only.
    private let sources = Mutex<(byDevice: [String: Int32], generation: Int)>(([:], 0))

    init(
        mailbox: Mailbox, authenticated: Bool, allowlist: DeviceAllowlist?, limits: LinkLimits?,
        now: @escaping @Sendable () -> Date
    ) {
        self.mailbox = mailbox
        self.authenticated = authenticated
        self.allowlist = allowlist
        self.limiter = limits.map { LockedRateLimiter(RateLimiter(limits: $0)) }
        self.now = now
    }

    /// Whether `frame` from `peer` is within its device's limits; an over-limit frame is counted,
    /// answered when an answer is due, and logged once per answer.
    private func admit(_ frame: [UInt8], from peer: PeerID, logger: Logger) -> Bool {
        guard let limiter else { return true }
        let kind = LinkLimits.classify(frame)
        let time = now()
        let verdict = limiter.state.withLock { $0.admit(peer, kind, now: time.timeIntervalSinceReferenceDate) }
        guard case .refused(let answer) = verdict else { return true }
        mailbox.rateLimited.add(1, ordering: .relaxed)
        if let answer {
            let bucket = limiter.limits[kind]
            let message =
                "rate limit: over \(Self.number(bucket.rate)) \(kind) frames a second (bursts of "
                + "\(Self.number(bucket.burst))); \(answer) refused unread since the last such error"
            logger.warning(
                "refused frames over a device's rate limit",
                metadata: ["link.peer": "\(peer)", "link.class": "\(kind)", "link.refused": "\(answer)"])
            send(.error(WireErrorReport(code: "rate_limited", message: message)), to: peer, device: "", time: time)
        }
        return false
    }

    func send(_ message: WireMessage, to peer: PeerID, device: String, time: Date) {
        // Number and queue under one lock so that sequence order is queue order.
        sequences.withLock { sequences in
            let sequence = sequences[peer, default: 0] &+ 1
            sequences[peer] = sequence
            let device = device.isEmpty ? peer.description : device
            let envelope = Envelope(device: device, sequence: sequence, time: time, message: message)
            mailbox.post([peer.bytes, WireCodec.encode(envelope)])
        }
    }

    private static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Drops the connections of devices revoked since the last sweep, so that a revoked device
    /// loses its session within a sweep interval even when it sends nothing; its reconnection
    /// is refused by the ZAP handler. Runs on the loop thread.
    func sweepRevoked(logger: Logger) {
        guard let allowlist else { return }
        let generation = allowlist.generation.load(ordering: .acquiring)
        let revoked = sources.withLock { state -> [(String, Int32)] in
            guard state.generation != generation else { return [] }
            state.generation = generation
            let allowed = allowlist.allowedDevices
            let gone = state.byDevice.filter { !allowed.contains($0.key) }
            for device in gone.keys { state.byDevice[device] = nil }
            return gone.map { ($0.key, $0.value) }
        }
        for (device, fd) in revoked {
            // libzmq owns the descriptor: shut it down and libzmq closes the connection as if the
            // peer had (see Socket.disconnectLastSource for the reuse caveat).
            _ = shutdown(fd, Int32(SHUT_RDWR))
            logger.warning("closed the connection of a revoked device", metadata: ["device.id": "\(device)"])
        }
    }

    /// Decodes one ROUTER message (`[routing id, frame]`); a bad frame is logged and counted.
    func receive(_ frames: [[UInt8]], origin: Origin, logger: Logger) -> InboundFrame? {
        guard let id = frames.first else { return nil }
        let peer = PeerID(id)
        let userID = origin.userID
        let result: Result<Envelope, LinkError>
        if authenticated, let userID, origin.sourceFD >= 0 {
            sources.withLock { $0.byDevice[userID] = origin.sourceFD }
        }
        if authenticated, let refusal = Self.refusal(peer: peer, userID: userID, allowlist: allowlist) {
            result = .failure(refusal)
            if let userID, allowlist?.allows(device: userID) == false {
                // Revoked: end the session now; its reconnection meets the allowlist again.
                origin.disconnect()
                sources.withLock { _ = $0.byDevice.removeValue(forKey: userID) }
                logger.warning("closed the connection of a revoked device", metadata: ["device.id": "\(userID)"])
            }
        } else if !admit(frames.count > 1 ? frames[1] : [], from: peer, logger: logger) {
            return nil
        } else if frames.count != 2 {
            result = .failure(
                LinkError(
                    code: .badFrame,
                    message: "frame: expected a message of exactly one frame, found \(frames.count - 1) frames",
                    operation: "decode"))
        } else {
            // Whether `device` may speak on this connection is the coordinator's policy (it knows
            // which device said hello on which peer), so the frame is delivered as decoded.
            do {
                let envelope = try WireCodec.decode(frames[1])
                if authenticated, let userID, envelope.device != userID {
                    result = .failure(
                        LinkError(
                            code: .unauthenticated,
                            message: "device: \"\(envelope.device)\" is not the device of this key (\(userID))",
                            device: userID, sequence: envelope.sequence, operation: "authenticate"))
                } else {
                    result = .success(envelope)
                }
            } catch {
                result = .failure(error)
            }
        }
        switch result {
        case .success(let envelope):
            if case .hello = envelope.message {
                // A hello opens a new session: our numbering towards this device restarts.
                sequences.withLock { _ = $0.removeValue(forKey: peer) }
            }
        case .failure(let error):
            mailbox.badFrames.add(1, ordering: .relaxed)
            var metadata: Logger.Metadata = ["link.peer": "\(peer)", "link.error": "\(error.code)"]
            if let device = error.device { metadata["device.id"] = "\(device)" }
            if let sequence = error.sequence { metadata["link.seq"] = "\(sequence)" }
            logger.info("rejected a frame: \(error.message)", metadata: metadata)
        }
        return InboundFrame(peer: peer, result: result, authenticatedDevice: authenticated ? userID : nil)
    }

    /// Why a frame on an authenticated connection is refused before decoding, if it is: no
    /// `User-Id`, a routing id that is not the key's device, or a key revoked since the handshake.
    private static func refusal(peer: PeerID, userID: String?, allowlist: DeviceAllowlist?) -> LinkError? {
        guard let userID, !userID.isEmpty else {
            return LinkError(code: .unauthenticated, message: "no authenticated device on this connection")
        }
        guard peer.bytes == Array(userID.utf8) else {
            return LinkError(
                code: .unauthenticated,
                message: "routing id \"\(peer)\" is not the device of this key (\(userID)); set it to the device id",
                device: userID, operation: "authenticate")
        }
        if let allowlist, !allowlist.allows(device: userID) {
            return LinkError(
                code: .unauthenticated, message: "the key of \(userID) has been revoked", device: userID,
                operation: "authenticate")
        }
        return nil
    }
}

/// A ``RateLimiter`` behind a lock, for the loop thread (the lock is never contended).
private final class LockedRateLimiter: Sendable {
    let state: Mutex<RateLimiter>
    let limits: LinkLimits

    init(_ limiter: RateLimiter) {
        limits = limiter.limits
        state = Mutex(limiter)
    }
}
