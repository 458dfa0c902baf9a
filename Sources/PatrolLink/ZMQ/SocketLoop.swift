internal import CZeroMQ
import Dispatch
import Foundation
import Logging
import Synchronization

/// A dedicated thread that owns one ZeroMQ socket for its whole life.
///
/// The thread creates the socket, configures and binds or connects it, then loops on `zmq_poll`
/// over the socket and the ``Mailbox`` wakeup descriptor: it turns each inbound multipart message
/// into an `Inbound` with `transform` and hands what one poll round received to the consumer as
/// one array (``batches``, or one by one through ``inbound``), and sends what other threads
/// ``Mailbox/post(_:)``ed, without ever blocking on a slow peer (a message libzmq cannot take yet
/// stays queued and is retried when the socket is writable). ``close()``, or the context's
/// shutdown, makes the thread close the socket and finish ``inbound``.
///
/// Blocking polls run here and never on the Swift cooperative pool.
final class SocketLoop<Inbound: Sendable>: Sendable {
    /// Makes a configured socket reach its peers: `bind` or `connect`.
    typealias Attach = @Sendable (Socket) throws(LinkError) -> Void
    /// Turns one received multipart message into what ``inbound`` delivers (`nil` delivers nothing).
    /// Runs on the loop thread; may post replies to the mailbox.
    typealias Transform =
        @Sendable (
            _ frames: [[UInt8]], _ origin: Origin, _ mailbox: Mailbox, _ logger: Logger
        ) -> Inbound?

    /// Work the loop thread does every `interval` milliseconds, busy or idle (a server's sweep of
    /// revoked devices' connections).
    struct Tick: Sendable {
        var interval: Int
        var action: @Sendable () -> Void
    }

    let mailbox: Mailbox
    private let queue: InboundQueue<Inbound>
    /// Every received item, one at a time. Read this or ``batches``, not both; one consumer only.
    var inbound: AsyncStream<Inbound> { queue.items }
    /// Every received item, in arrays of what one poll round received (in order, none empty).
    var batches: AsyncStream<[Inbound]> { queue.batches }
    /// The endpoint as libzmq resolved it (`ZMQ_LAST_ENDPOINT`).
    let endpoint: String
    private let finished: DispatchGroup

    /// Starts the thread and waits until the socket is bound or connected.
    /// - Parameters:
    ///   - routingID: the DEALER's `ZMQ_ROUTING_ID`, if any.
    /// - Throws: ``LinkError`` if the socket cannot be created, configured or attached, for
    ///   example `.socket` with `EADDRINUSE` from `zmq_bind`.
    init(
        context: ZMQContext, kind: Socket.Kind, options: LinkOptions, routingID: [UInt8]? = nil, mailbox: Mailbox,
        logger: Logger, attach: @escaping Attach, transform: @escaping Transform, tick: Tick? = nil
    ) throws(LinkError) {
        let queue = InboundQueue<Inbound>(capacity: options.maximumBufferedInbound)
        let setup = SetupSlot()
        let finished = DispatchGroup()
        finished.enter()
        let thread = Thread {
            defer { finished.leave() }
            Self.run(
                context: context, kind: kind, options: options, routingID: routingID, mailbox: mailbox, logger: logger,
                attach: attach, transform: transform, queue: queue, setup: setup, tick: tick)
        }
        thread.name = "patrol.link.\(kind)"
        thread.start()
        setup.ready.wait()

        self.mailbox = mailbox
        self.queue = queue
        self.finished = finished
        self.endpoint = try setup.result.withLock { $0! }.get()
    }

    deinit { close() }

    /// Stops the loop: queued messages get one last non-blocking send, the socket is closed on its
    /// own thread, and ``inbound`` finishes. Returns when the thread is done; idempotent.
    func close() {
        mailbox.close()
        finished.wait()
    }

    var statistics: LinkStatistics { mailbox.statistics }

    /// Hands the outcome of the thread's setup back to ``init``.
    private final class SetupSlot: Sendable {
        let result = Mutex<Result<String, LinkError>?>(nil)
        let ready = DispatchSemaphore(value: 0)

        func finish(_ outcome: Result<String, LinkError>) {
            result.withLock { $0 = outcome }
            ready.signal()
        }
    }

    private static func run(
        context: ZMQContext, kind: Socket.Kind, options: LinkOptions, routingID: [UInt8]?, mailbox: Mailbox,
        logger: Logger, attach: Attach, transform: @escaping Transform, queue: InboundQueue<Inbound>, setup: SetupSlot,
        tick: Tick?
    ) {
        let socket: Socket
        do {
            socket = try Socket(context: context, kind: kind)
        } catch {
            mailbox.close()
            queue.finish()
            setup.finish(.failure(error))
            return
        }
        let endpoint: String
        do {
            try configure(socket, options: options, routingID: routingID)
            try attach(socket)
            endpoint = try socket.lastEndpoint()
        } catch {
            socket.close()
            mailbox.close()
            queue.finish()
            setup.finish(.failure(error))
            return
        }
        var logger = logger
        logger[metadataKey: "link.endpoint"] = "\(endpoint)"
        setup.finish(.success(endpoint))

        var pump = Pump(
            socket: socket, mailbox: mailbox, logger: logger, transform: transform, queue: queue)
        pump.tick = tick
        pump.run()
        socket.close()
        queue.finish()
        logger.debug("link closed", metadata: ["link.statistics": "\(mailbox.statistics)"])
    }

    private static func configure(_ socket: Socket, options: LinkOptions, routingID: [UInt8]?) throws(LinkError) {
        try socket.setOption(ZMQ_LINGER, options.linger.zmqMilliseconds)
        try socket.setOption(ZMQ_MAXMSGSIZE, Int64(options.maximumMessageSize))
        try socket.setOption(ZMQ_SNDHWM, Int32(clamping: options.sendHighWaterMark))
        try socket.setOption(ZMQ_RCVHWM, Int32(clamping: options.receiveHighWaterMark))
        if let heartbeat = options.transportHeartbeat {
            try socket.setOption(ZMQ_HEARTBEAT_IVL, heartbeat.interval.zmqMilliseconds)
            try socket.setOption(ZMQ_HEARTBEAT_TIMEOUT, heartbeat.timeout.zmqMilliseconds)
            try socket.setOption(ZMQ_HEARTBEAT_TTL, heartbeat.timeout.zmqMilliseconds)
        }
        try configureSecurity(socket, options.security)
        switch socket.kind {
        case .rep, .pub, .sub:
            break
        case .router:
            // Report unroutable messages instead of dropping them silently, and let a device that
            // reconnects with its id take it over from its stale connection.
            try socket.setOption(ZMQ_ROUTER_MANDATORY, Int32(1))
            try socket.setOption(ZMQ_ROUTER_HANDOVER, Int32(1))
        case .dealer:
            if let routingID { try socket.setOption(ZMQ_ROUTING_ID, bytes: routingID) }
        }
    }
}

/// Where a received message came from, for a ``SocketLoop`` transform.
struct Origin {
    /// The `User-Id` a ZAP handler gave the connection (CURVE servers only).
    let userID: String?
    /// The connection's descriptor (`ZMQ_SRCFD`, CURVE servers only; -1 when unknown), which libzmq owns.
    let sourceFD: Int32
    /// Drops that connection (see ``Socket/disconnectLastSource()``).
    let disconnect: () -> Void
}

/// `ZMQ_ZAP_ENFORCE_DOMAIN` (libzmq ≥ 4.3, declared in the draft part of `zmq.h`): with it, a
/// handshake that no ZAP handler answers is refused instead of let in.
private let zapEnforceDomain: Int32 = 93

/// Applies `security` to a socket before it binds or connects.
func configureSecurity(_ socket: Socket, _ security: LinkSecurity) throws(LinkError) {
    switch security {
    case .plaintext:
        break
    case .curveServer(let keys, let domain):
        try socket.setOption(ZMQ_CURVE_SERVER, Int32(1))
        try socket.setOption(ZMQ_CURVE_SECRETKEY, keys.secretKey)
        try socket.setOption(ZMQ_ZAP_DOMAIN, domain)
        try socket.setOption(zapEnforceDomain, Int32(1))
        socket.readsUserID = true
    case .curveClient(let keys, let serverPublicKey):
        try socket.setOption(ZMQ_CURVE_SERVERKEY, serverPublicKey)
        try socket.setOption(ZMQ_CURVE_PUBLICKEY, keys.publicKey)
        try socket.setOption(ZMQ_CURVE_SECRETKEY, keys.secretKey)
    }
}

/// The loop body: state that only the loop thread touches.
private struct Pump<Inbound: Sendable> {
    /// Messages received per poll, so that a busy peer cannot starve sending.
    static var receiveBatch: Int { 256 }
    /// How long to wait before retrying a ROUTER send that is blocked on one peer while
    /// `ZMQ_POLLOUT` (set when *any* peer can take a message) would spin.
    static var retryInterval: Int { 10 }

    let socket: Socket
    let mailbox: Mailbox
    let logger: Logger
    let transform: SocketLoop<Inbound>.Transform
    let queue: InboundQueue<Inbound>
    /// Messages libzmq has not taken yet, oldest first, from `head` on.
    private var pending: [[[UInt8]]] = []
    private var head = 0
    private var lastFlushProgressed = true
    var tick: SocketLoop<Inbound>.Tick?
    private var lastTick = ContinuousClock.now

    init(
        socket: Socket, mailbox: Mailbox, logger: Logger, transform: @escaping SocketLoop<Inbound>.Transform,
        queue: InboundQueue<Inbound>
    ) {
        self.socket = socket
        self.mailbox = mailbox
        self.logger = logger
        self.transform = transform
        self.queue = queue
    }

    private var hasPending: Bool { head < pending.count }

    mutating func run() {
        defer { shutDown() }
        while true {
            let wantWrite = hasPending && (socket.kind == .dealer || lastFlushProgressed)
            var timeout = hasPending && !wantWrite ? Self.retryInterval : -1
            if let tick { timeout = timeout < 0 ? tick.interval : min(timeout, tick.interval) }
            let ready: Socket.Readiness
            do {
                ready = try socket.poll(
                    wantRead: true, wantWrite: wantWrite, wakeFD: mailbox.wakeup.readFD, timeout: timeout)
            } catch {
                stopped(by: error)
                return
            }
            // Drain the wakeup before taking the queue, so a post after the take wakes us again.
            if ready.woken { mailbox.wakeup.drain() }
            let (messages, isClosed) = mailbox.take()
            pending.append(contentsOf: messages)
            if ready.readable && !isClosed {
                guard receive() else { return }
            }
            if hasPending {
                guard flush() else { return }
            }
            if isClosed { return }
            if let tick, ContinuousClock.now - lastTick >= .milliseconds(tick.interval) {
                lastTick = ContinuousClock.now
                tick.action()
            }
        }
    }

    /// Receives up to a batch of messages and hands them over in one array; `false` if the loop must stop.
    private mutating func receive() -> Bool {
        var batch: [Inbound] = []
        defer { deliver(batch) }
        for _ in 0..<Self.receiveBatch {
            do {
                guard let frames = try socket.receive() else { return true }
                mailbox.received.add(1, ordering: .relaxed)
                let origin = Origin(
                    userID: socket.lastUserID, sourceFD: socket.lastSourceFD, disconnect: socket.disconnectLastSource)
                if let item = transform(frames, origin, mailbox, logger) { batch.append(item) }
            } catch {
                stopped(by: error)
                return false
            }
        }
        return true
    }

    private func deliver(_ batch: [Inbound]) {
        let dropped = queue.deliver(batch)
        if dropped > 0 {
            mailbox.dropped.add(dropped, ordering: .relaxed)
            logger.debug(
                "dropped received messages: the consumer of inbound has fallen behind",
                metadata: ["link.dropped": "\(dropped)"])
        }
    }

    /// Sends what libzmq will take now; `false` if the loop must stop.
    private mutating func flush() -> Bool {
        var progressed = false
        var kept: [[[UInt8]]] = []
        // Peers whose queues are full: later messages to them wait, to keep each peer's order.
        var blocked: Set<[UInt8]> = []
        while head < pending.count {
            let message = pending[head]
            head += 1
            if socket.kind == .router, !blocked.isEmpty, blocked.contains(message[0]) {
                kept.append(message)
                continue
            }
            let outcome: Socket.SendOutcome
            do {
                outcome = try socket.send(message)
            } catch  where error.code == .closed {
                stopped(by: error)
                return false
            } catch {
                mailbox.dropped.add(1, ordering: .relaxed)
                logger.info("dropped an outbound message", metadata: ["link.error": "\(error)"])
                continue
            }
            switch outcome {
            case .sent:
                progressed = true
                mailbox.sent.add(1, ordering: .relaxed)
            case .unreachable:
                progressed = true
                mailbox.unroutable.add(1, ordering: .relaxed)
                logger.info(
                    "dropped a message for a peer that is not connected",
                    metadata: ["link.peer": "\(PeerID(message[0]))"])
            case .wouldBlock:
                kept.append(message)
                if socket.kind == .dealer {
                    // One peer: everything after this waits too.
                    kept.append(contentsOf: pending[head...])
                    head = pending.count
                } else {
                    blocked.insert(message[0])
                }
            }
        }
        pending = kept
        head = 0
        lastFlushProgressed = progressed
        mailbox.backlog.store(pending.count, ordering: .relaxed)
        return true
    }

    private func stopped(by error: LinkError) {
        if error.code == .closed {
            logger.debug("link stopped: the ZeroMQ context was shut down")
        } else {
            logger.info("link stopped by a socket error", metadata: ["link.error": "\(error)"])
        }
    }

    /// Refuses further posts and counts what never left as dropped.
    private mutating func shutDown() {
        mailbox.close()
        let leftovers = pending.count - head + mailbox.take().messages.count
        if leftovers > 0 {
            mailbox.dropped.add(leftovers, ordering: .relaxed)
            logger.debug("link closed with unsent messages", metadata: ["link.unsent": "\(leftovers)"])
        }
        pending = []
        head = 0
        mailbox.backlog.store(0, ordering: .relaxed)
    }
}
