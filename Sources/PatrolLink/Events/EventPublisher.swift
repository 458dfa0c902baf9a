public import Foundation
public import Logging
public import PatrolModel
import Synchronization

/// The coordinator's event stream: a ZeroMQ PUB socket that sends one JSON document per event,
/// under a topic that subscribers select by prefix (`incident.`, `sortie.`, `telemetry.`,
/// `device.`, `sys.`). See `docs/events.md`.
///
/// Each message has two frames: the topic, then the document
/// `{"schema":1,"seq":N,"topic":"…","time":"…","data":{…}}`, numbered 1, 2, 3, … in the order
/// of the calls to ``publish(_:_:time:)`` and stamped on the injected clock. Publishing never
/// blocks: the document is queued for the socket's own thread (a ``SocketLoop``), and a
/// subscriber that falls behind loses messages at the socket's high-water mark
/// (``LinkOptions/sendHighWaterMark``) while the publisher goes on. A subscriber sees the gap in
/// `seq`.
public final class EventPublisher: Sendable {
    /// The ZAP domain the event stream's CURVE handshakes are decided in; give the
    /// ``ZAPHandler`` an authority for it.
    public static let defaultDomain = "patrol.events"
    /// The version of the document layout; bumped on an incompatible change.
    public static let schemaVersion = 1
    /// The topic of the heartbeat sent every second, so that subscribers can tell a quiet
    /// coordinator from a lost one.
    public static let heartbeatTopic = "sys.heartbeat"

    private struct Loops {
        var loop: SocketLoop<Never>
        var closed = false
    }
    private let loops: Mutex<Loops>
    private var loop: SocketLoop<Never> { loops.withLock { $0.loop } }
    private let sequence = Mutex<UInt64>(0)
    private let clock: any PatrolClock
    private let context: ZMQContext
    private let options: LinkOptions
    private let logger: Logger

    /// Binds a PUB socket to `endpoint` and starts its loop thread.
    /// - Parameters:
    ///   - endpoint: e.g. `tcp://127.0.0.1:5556`, `tcp://127.0.0.1:*` (a free port; read ``endpoint``).
    ///   - clock: stamps each document's `time`.
    ///   - options: ``LinkOptions/security`` `.curveServer(keys, domain: EventPublisher.defaultDomain)`
    ///     admits only the keys the ``ZAPHandler``'s authority for that domain knows.
    /// - Throws: ``LinkError`` `.socket` if the endpoint is malformed or in use.
    public init(
        context: ZMQContext, endpoint: String, clock: any PatrolClock, logger: Logger,
        options: LinkOptions = LinkOptions()
    ) throws(LinkError) {
        self.clock = clock
        self.context = context
        self.options = options
        var logger = logger
        logger[metadataKey: "link.stream"] = "events"
        self.logger = logger
        let loop = try Self.bind(endpoint, context: context, options: options, logger: logger)
        self.loops = Mutex(Loops(loop: loop))
        if !options.security.isCurveServer {
            logger.warning(
                "PLAINTEXT event stream: anyone who can reach it can subscribe. Use CURVE outside local tests.",
                metadata: ["link.endpoint": "\(loop.endpoint)"])
        }
    }

    deinit { loop.close() }

    /// The bound endpoint as resolved by libzmq, e.g. `tcp://127.0.0.1:40123`.
    public var endpoint: String { loop.endpoint }

    /// Documents handed to libzmq, and those dropped because the publisher's own queue was full
    /// or it was closed, since the last ``reopen()`` (drops at a subscriber's high-water mark
    /// happen inside libzmq, unseen).
    public var statistics: LinkStatistics { loop.statistics }

    /// Documents published so far (the last `seq`).
    public var published: UInt64 { sequence.withLock { $0 } }

    /// Publishes `data` under `topic`. Thread-safe, non-blocking; never fails (an event that
    /// cannot be encoded is published with `data` `null`).
    /// - Parameter time: the event's time; the clock's now by default.
    public func publish(_ topic: String, _ data: some Encodable, time: Date? = nil) {
        let body = (try? Self.encoder.encode(data)).map { [UInt8]($0) } ?? Array("null".utf8)
        let stamp = EventTime.format(time ?? clock.now())
        let topicBytes = Array(topic.utf8)
        let quotedTopic = (try? Self.encoder.encode(topic)).map { [UInt8]($0) } ?? Array("\"\"".utf8)
        sequence.withLock { sequence in
            sequence &+= 1
            var document = Array("{\"schema\":\(Self.schemaVersion),\"seq\":\(sequence),\"topic\":".utf8)
            document += quotedTopic
            document += Array(",\"time\":\"\(stamp)\",\"data\":".utf8)
            document += body
            document.append(UInt8(ascii: "}"))
            loop.mailbox.post([topicBytes, document])
        }
    }

    /// Publishes one ``heartbeatTopic`` document.
    public func heartbeat() { publish(Self.heartbeatTopic, Heartbeat(interval: 1)) }

    /// Publishes a heartbeat every `interval` of real time until the task is cancelled.
    public func runHeartbeats(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            heartbeat()
            try? await Task.sleep(for: interval)
        }
    }

    /// Closes the socket and binds a new one to the same (resolved) endpoint, so that every
    /// subscriber reconnects and shakes hands again: after the ZAP authority changed its keys (an
    /// operator revoked on SIGHUP), a revoked key is cut off and refused from then on. `seq` goes
    /// on where it was; documents published during the switch are lost (subscribers see the gap in
    /// `seq`). The counts of ``statistics`` start again.
    /// Waits up to 20 s for the old socket to let go of a TCP port (libzmq closes it in the
    /// background); on `ipc://` it waits half a second first, so that the old socket's removal of
    /// its file cannot remove the new one's.
    /// - Throws: ``LinkError`` if the endpoint cannot be bound again; the stream is then closed.
    public func reopen() throws(LinkError) {
        guard let old = loops.withLock({ $0.closed ? nil : $0.loop }) else { return }
        let endpoint = old.endpoint
        old.close()
        if endpoint.hasPrefix("ipc://") { Thread.sleep(forTimeInterval: 0.5) }
        var attempt = 0
        while true {
            do {
                let fresh = try Self.bind(endpoint, context: context, options: options, logger: logger)
                let kept = loops.withLock { state in
                    guard !state.closed else { return false }
                    state.loop = fresh
                    return true
                }
                if !kept { fresh.close() }
                break
            } catch {
                // The old listener is closed by libzmq's reaper thread, a moment after `close`.
                attempt += 1
                if attempt >= 200 { throw error }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        logger.notice(
            "event stream reopened: subscribers shake hands again", metadata: ["link.endpoint": "\(endpoint)"])
    }

    private static func bind(_ endpoint: String, context: ZMQContext, options: LinkOptions, logger: Logger)
        throws(LinkError) -> SocketLoop<Never>
    {
        try SocketLoop(
            context: context, kind: .pub, options: options,
            mailbox: Mailbox(capacity: options.maximumQueuedMessages), logger: logger,
            attach: { socket throws(LinkError) in try socket.bind(endpoint) },
            transform: { _, _, _, _ in nil })
    }

    /// Stops the stream: queued documents get one last send, then the socket closes. Idempotent.
    public func close() {
        loops.withLock { state in
            state.closed = true
            return state.loop
        }.close()
    }

    private struct Heartbeat: Encodable {
        var interval: Double
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTime.format(date))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()
}

/// The time format of event documents: ISO 8601, UTC, milliseconds (`2026-11-25T23:50:00.250Z`).
public enum EventTime {
    public static func format(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
