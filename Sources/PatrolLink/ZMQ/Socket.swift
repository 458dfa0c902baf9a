internal import CZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One ZeroMQ socket, owned by one thread at a time (a ``SocketLoop`` thread, or a test).
///
/// The `void *` never leaves this class. All operations are non-blocking; the socket is closed
/// exactly once by ``close()``, on its owning thread. Using a closed socket is a bug and traps.
final class Socket {
    enum Kind: Sendable {
        case router, dealer, rep
        /// The event stream's ends (``EventPublisher``, ``EventSubscriber``).
        case pub, sub

        var zmqType: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .rep: ZMQ_REP
            case .pub: ZMQ_PUB
            case .sub: ZMQ_SUB
            }
        }
    }

    enum SendOutcome: Equatable {
        case sent
        /// The peer's queue is at its high-water mark: try again later.
        case wouldBlock
        /// ROUTER only: no peer with that routing id is connected; the message was not sent.
        case unreachable
    }

    let kind: Kind
    /// Retained so that the context outlives its sockets and is terminated only after them.
    let context: ZMQContext
    private var handle: UnsafeMutableRawPointer?
    /// The endpoint most recently bound or connected, for error messages.
    private(set) var endpoint: String?
    /// Whether ``receive()`` reads the `User-Id` property (set by a ZAP handler) of each message.
    var readsUserID = false
    /// The `User-Id` of the message ``receive()`` returned last, when ``readsUserID`` is set.
    private(set) var lastUserID: String?
    /// The file descriptor of the connection that message came on (`ZMQ_SRCFD`), or -1.
    private(set) var lastSourceFD: Int32 = -1

    /// Creates a socket of `kind` in `context`, with a linger of 100 ms instead of libzmq's
    /// "forever", so that shutting the context down never waits on an unreachable peer.
    /// - Throws: ``LinkError`` `.closed` if the context has been shut down.
    init(context: ZMQContext, kind: Kind) throws(LinkError) {
        self.kind = kind
        self.context = context
        self.handle = try context.makeSocket(type: kind.zmqType)
        do {
            try setOption(ZMQ_LINGER, Int32(100))
        } catch {
            close()
            throw error
        }
    }

    /// A socket its owner forgot to close (an error path, a failed test) is closed here and said
    /// so on standard error, rather than stopping the process: the last reference is gone, so no
    /// other thread can be using it.
    deinit {
        guard let handle else { return }
        let note = Array("patrol: a ZeroMQ socket (\(kind)) was not closed by its owner\n".utf8)
        _ = note.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        zmq_close(handle)
    }

    var isOpen: Bool { handle != nil }

    private var raw: UnsafeMutableRawPointer {
        guard let handle else { preconditionFailure("use of a closed ZeroMQ socket") }
        return handle
    }

    /// Closes the socket; pending outbound messages get up to `ZMQ_LINGER` to leave. Idempotent.
    func close() {
        guard let handle else { return }
        self.handle = nil
        zmq_close(handle)
    }

    // MARK: Options

    func setOption(_ option: Int32, _ value: Int32) throws(LinkError) {
        var value = value
        try check("zmq_setsockopt") { zmq_setsockopt(raw, option, &value, MemoryLayout<Int32>.size) }
    }

    func setOption(_ option: Int32, _ value: Int64) throws(LinkError) {
        var value = value
        try check("zmq_setsockopt") { zmq_setsockopt(raw, option, &value, MemoryLayout<Int64>.size) }
    }

    func setOption(_ option: Int32, _ text: String) throws(LinkError) {
        try setOption(option, bytes: Array(text.utf8))
    }

    func setOption(_ option: Int32, bytes: [UInt8]) throws(LinkError) {
        try check("zmq_setsockopt") { bytes.withUnsafeBytes { zmq_setsockopt(raw, option, $0.baseAddress, $0.count) } }
    }

    func int32Option(_ option: Int32) throws(LinkError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try check("zmq_getsockopt") { zmq_getsockopt(raw, option, &value, &size) }
        return value
    }

    /// The endpoint as libzmq resolved it, e.g. `tcp://127.0.0.1:40123` for `tcp://127.0.0.1:*`.
    func lastEndpoint() throws(LinkError) -> String {
        var buffer = [UInt8](repeating: 0, count: 1024)
        var size = buffer.count
        try check("zmq_getsockopt") { zmq_getsockopt(raw, ZMQ_LAST_ENDPOINT, &buffer, &size) }
        return String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    // MARK: Endpoints

    func bind(_ endpoint: String) throws(LinkError) {
        self.endpoint = endpoint
        try check("zmq_bind") { zmq_bind(raw, endpoint) }
    }

    func connect(_ endpoint: String) throws(LinkError) {
        self.endpoint = endpoint
        try check("zmq_connect") { zmq_connect(raw, endpoint) }
    }

    // MARK: Messages

    /// Sends one multipart message without blocking.
    /// - Throws: ``LinkError`` `.closed` on context shutdown, `.socket` for other failures.
    func send(_ frames: [[UInt8]]) throws(LinkError) -> SendOutcome {
        for (i, frame) in frames.enumerated() {
            let flags = ZMQ_DONTWAIT | (i < frames.count - 1 ? ZMQ_SNDMORE : 0)
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(raw, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                switch ZMQErrno.classify(operation: "zmq_send", endpoint: endpoint) {
                case .interrupted:
                    continue
                case .wouldBlock:
                    // libzmq accepts or refuses a multipart message as a whole, at its first part.
                    precondition(i == 0, "libzmq refused part \(i) of a multipart message")
                    return .wouldBlock
                case .failure(let error) where error.code == .peerUnreachable:
                    precondition(i == 0, "libzmq refused part \(i) of a multipart message")
                    return .unreachable
                case .failure(let error):
                    throw error
                }
            }
        }
        return .sent
    }

    /// Receives one multipart message without blocking; `nil` if none is waiting.
    /// - Throws: ``LinkError`` `.closed` on context shutdown, `.socket` for other failures.
    func receive() throws(LinkError) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        while true {
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            let rc = zmq_msg_recv(&message, raw, ZMQ_DONTWAIT)
            if rc < 0 {
                switch ZMQErrno.classify(operation: "zmq_msg_recv", endpoint: endpoint) {
                case .interrupted:
                    continue
                case .wouldBlock:
                    // The rest of a multipart message is always there once its first part is.
                    if frames.isEmpty { return nil }
                    continue
                case .failure(let error):
                    throw error
                }
            }
            // A ROUTER's routing-id part is made locally and carries no metadata: read the others.
            if readsUserID {
                if frames.isEmpty { (lastUserID, lastSourceFD) = (nil, -1) }
                if let value = zmq_msg_gets(&message, "User-Id") {
                    lastUserID = String(cString: value)
                    lastSourceFD = zmq_msg_get(&message, ZMQ_SRCFD)
                }
            }
            let size = zmq_msg_size(&message)
            if size > 0, let data = zmq_msg_data(&message) {
                frames.append([UInt8](UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    /// Drops the connection the last received message came on: libzmq owns the descriptor, so
    /// it is shut down, not closed, and libzmq then closes the connection as if the peer had.
    /// The peer's next handshake goes through authentication again. Called on the owning thread
    /// right after the receive; if the connection had already closed and its descriptor been
    /// reused meanwhile, another peer is dropped instead and simply reconnects.
    func disconnectLastSource() {
        guard lastSourceFD >= 0 else { return }
        _ = shutdown(lastSourceFD, Int32(SHUT_RDWR))
        lastSourceFD = -1
    }

    /// Waits up to `seconds` for one message, blocking the calling thread: for tests and tools
    /// that drive a raw socket, never for a ``SocketLoop``.
    func receive(within seconds: Double) throws(LinkError) -> [[UInt8]]? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let wakeup = try Wakeup.make()
        defer { wakeup.close() }
        while true {
            if let frames = try receive() { return frames }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            _ = try poll(
                wantRead: true, wantWrite: false, wakeFD: wakeup.readFD, timeout: Int(left.zmqMilliseconds) + 1)
        }
    }

    /// What ``poll(wantRead:wantWrite:wakeFD:timeout:)`` found ready.
    struct Readiness {
        var readable = false
        var writable = false
        var woken = false
    }

    /// Waits until the socket is readable (or writable, if asked) or `wakeFD` is readable.
    /// - Parameter timeout: milliseconds, or -1 to wait indefinitely.
    /// - Throws: ``LinkError`` `.closed` when the context is shut down.
    func poll(wantRead: Bool, wantWrite: Bool, wakeFD: Int32, timeout: Int) throws(LinkError) -> Readiness {
        var events: Int16 = 0
        if wantRead { events |= Int16(ZMQ_POLLIN) }
        if wantWrite { events |= Int16(ZMQ_POLLOUT) }
        var items = [
            zmq_pollitem_t(socket: raw, fd: 0, events: events, revents: 0),
            zmq_pollitem_t(socket: nil, fd: wakeFD, events: Int16(ZMQ_POLLIN), revents: 0),
        ]
        if zmq_poll(&items, 2, timeout) < 0 {
            switch ZMQErrno.classify(operation: "zmq_poll", endpoint: endpoint) {
            case .interrupted, .wouldBlock: return Readiness()
            case .failure(let error): throw error
            }
        }
        return Readiness(
            readable: items[0].revents & Int16(ZMQ_POLLIN) != 0,
            writable: items[0].revents & Int16(ZMQ_POLLOUT) != 0,
            woken: items[1].revents & Int16(ZMQ_POLLIN) != 0)
    }

    private func check(_ operation: String, _ call: () -> Int32) throws(LinkError) {
        while call() != 0 {
            switch ZMQErrno.classify(operation: operation, endpoint: endpoint) {
            case .interrupted: continue
            case .wouldBlock:
                throw LinkError(
                    code: .socket, message: "\(operation) would block", endpoint: endpoint, operation: operation)
            case .failure(let error): throw error
            }
        }
    }
}

/// The libzmq socket options this module sets, by name, for code that does not import `CZeroMQ`.
enum ZMQOption {
    static var routingID: Int32 { ZMQ_ROUTING_ID }
    static var sendHighWaterMark: Int32 { ZMQ_SNDHWM }
    static var receiveHighWaterMark: Int32 { ZMQ_RCVHWM }
    static var linger: Int32 { ZMQ_LINGER }
    static var subscribe: Int32 { ZMQ_SUBSCRIBE }
}
