/// Tuning for a ``LinkServer`` or ``LinkClient``; the defaults suit a coordinator and a few
/// hundred devices on one site.
public struct LinkOptions: Hashable, Sendable {
    /// ZeroMQ's own keep-alive (ZMTP `PING`/`PONG`), below the protocol's `heartbeat` messages.
    public struct TransportHeartbeat: Hashable, Sendable {
        /// How often to ping a quiet connection (`ZMQ_HEARTBEAT_IVL`).
        public var interval: Duration
        /// How long to wait for any traffic after a ping before dropping the connection
        /// (`ZMQ_HEARTBEAT_TIMEOUT`); the peer is told the same (`ZMQ_HEARTBEAT_TTL`).
        public var timeout: Duration

        public init(interval: Duration, timeout: Duration) {
            self.interval = interval
            self.timeout = timeout
        }
    }

    /// How long a closing socket keeps trying to deliver messages already handed to libzmq (`ZMQ_LINGER`).
    public var linger: Duration = .milliseconds(100)
    /// Messages libzmq queues per peer before a send would block (`ZMQ_SNDHWM`); the link then keeps
    /// them in its own queue and retries.
    public var sendHighWaterMark: Int = 1000
    /// Messages libzmq queues per peer before it stops reading from the network (`ZMQ_RCVHWM`).
    public var receiveHighWaterMark: Int = 1000
    /// Messages the link queues when libzmq cannot take them; further sends are dropped and counted
    /// in ``LinkStatistics/dropped``.
    public var maximumQueuedMessages: Int = 100_000
    /// Received messages the link holds for a consumer of `inbound` that has fallen behind; past
    /// this the newest are dropped and counted in ``LinkStatistics/dropped`` (devices resend
    /// what must arrive until it is acknowledged).
    public var maximumBufferedInbound: Int = 100_000
    /// Larger frames make libzmq drop the connection (`ZMQ_MAXMSGSIZE`). Frames between
    /// ``WireCodec/maximumFrameSize`` and this size arrive and are rejected with a readable error.
    public var maximumMessageSize: Int = 2 * WireCodec.maximumFrameSize
    /// ZMTP heartbeats, off by default.
    public var transportHeartbeat: TransportHeartbeat? = nil
    /// Per-device rate limits a ``LinkServer`` applies before decoding, ``LinkLimits/standard`` by
    /// default; `nil` turns them off (benchmarks). Clients ignore them.
    public var limits: LinkLimits? = .standard
    /// Authentication and encryption; ``LinkSecurity/plaintext`` by default (local tests, demos).
    public var security: LinkSecurity = .plaintext

    public init() {}
}

/// Counters of a link since it was opened; read with ``LinkServer/statistics`` or ``LinkClient/statistics``.
public struct LinkStatistics: Hashable, Sendable {
    /// Messages handed to libzmq.
    public var sent = 0
    /// Messages received, good or bad.
    public var received = 0
    /// Received frames that did not decode (each answered by an `error` message on a server).
    public var badFrames = 0
    /// Messages dropped because the peer they were addressed to is not connected.
    public var unroutable = 0
    /// Messages dropped because the link was closed, or an outbound queue or the inbound buffer was full.
    public var dropped = 0
    /// Messages waiting in the link's own outbound queue for libzmq to take them (a gauge).
    public var queued = 0
    /// Frames a server refused, unread, because their device was over its ``LinkLimits``.
    public var rateLimited = 0

    public init() {}
}

extension Duration {
    /// Whole milliseconds, clamped to `Int32` as libzmq's options want them.
    var zmqMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        guard !ms.overflow else { return seconds < 0 ? .min : .max }
        return Int32(clamping: ms.partialValue + attoseconds / 1_000_000_000_000_000)
    }
}
