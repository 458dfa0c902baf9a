import Dispatch
import Foundation
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server for Prometheus: `GET /metrics` answers the text `render` returns.
///
/// It serves one connection at a time from a dedicated thread with POSIX sockets (blocking calls
/// never run on Swift's cooperative pool), closes each connection after its answer, and gives a
/// slow or silent client 2 s before dropping it. Anything but `GET /metrics` (or `/`) gets 404 or
/// 405. It binds loopback unless told otherwise: the figures are for the machine's own scraper.
public final class MetricsServer: Sendable {
    /// Makes the body of one answer; may suspend (it runs as a task, the server thread waits).
    public typealias Render = @Sendable () async -> String

    /// The bound address, e.g. `127.0.0.1:9464`.
    public let address: String
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private let finished = DispatchGroup()
    private let closed = Atomic<Bool>(false)

    /// A failure to bind, with what to do about it.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Binds `host:port` (`port` 0 picks a free one; read ``address``) and starts serving.
    /// - Parameter host: an IPv4 address or `localhost`.
    /// - Throws: ``Failure`` if the address is not IPv4 or cannot be bound (`EADDRINUSE`).
    public init(host: String = "127.0.0.1", port: Int, logger: Logger, render: @escaping Render) throws {
        let ip = host == "localhost" ? "127.0.0.1" : host
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        guard (0...65535).contains(port), inet_pton(AF_INET, ip, &addr.sin_addr) == 1 else {
            throw Failure(description: "metrics: expected HOST:PORT with an IPv4 host, found \(host):\(port)")
        }
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "metrics: socket(): \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            closeDescriptor(fd)
            throw Failure(description: "metrics: cannot listen on \(ip):\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            closeDescriptor(fd)
            throw Failure(description: "metrics: pipe(): \(String(cString: strerror(errno)))")
        }
        self.listener = fd
        self.wake = (fds[0], fds[1])
        self.address = "\(ip):\(UInt16(bigEndian: actual.sin_port))"
        var logger = logger
        logger[metadataKey: "metrics.address"] = "\(address)"
        finished.enter()
        let thread = Thread { [listener, wake, finished, logger] in
            defer { finished.leave() }
            Self.serve(listener: listener, wake: wake.read, logger: logger, render: render)
        }
        thread.name = "patrol.metrics"
        thread.start()
    }

    deinit { close() }

    /// Stops serving and closes the socket; returns when the thread is done. Idempotent.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        finished.wait()
        closeDescriptor(listener)
        closeDescriptor(wake.read)
        closeDescriptor(wake.write)
    }

    private static func serve(listener: Int32, wake: Int32, logger: Logger, render: @escaping Render) {
        while true {
            var items = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&items, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error(
                    "metrics server stopped", metadata: ["metrics.error": "\(String(cString: strerror(errno)))"])
                return
            }
            if items[1].revents != 0 { return }
            guard items[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            answer(client, logger: logger, render: render)
            closeDescriptor(client)
        }
    }

    /// Reads one request head (at most 8 KiB, within 2 s) and writes one answer.
    private static func answer(_ client: Int32, logger: Logger, render: @escaping Render) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        let deadline = ContinuousClock.now + .seconds(2)
        while request.count < 8192, !request.containsHeadEnd {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return }
            var item = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            let ms = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&item, 1, max(1, ms)) > 0 else { continue }
            let n = read(client, &buffer, buffer.count)
            guard n > 0 else { return }
            request += buffer[0..<n]
        }
        let line = String(decoding: request.prefix(while: { $0 != 13 && $0 != 10 }), as: UTF8.self)
        let parts = line.split(separator: " ")
        let status: String
        var body: String
        var type = "text/plain; charset=utf-8"
        if parts.count != 3 || !parts[2].hasPrefix("HTTP/1.") {
            (status, body) = ("400 Bad Request", "expected an HTTP/1.1 request line\n")
        } else if parts[0] != "GET" && parts[0] != "HEAD" {
            (status, body) = ("405 Method Not Allowed", "only GET\n")
        } else if parts[1] == "/metrics" {
            status = "200 OK"
            body = runBlocking(render)
            type = "text/plain; version=0.0.4; charset=utf-8"
        } else if parts[1] == "/" {
            (status, body) = ("200 OK", "Patrol coordinator: metrics at /metrics\n")
        } else {
            (status, body) = ("404 Not Found", "no such path; metrics are at /metrics\n")
        }
        let payload = Array(body.utf8)
        var head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\n"
        head += "Connection: close\r\n\r\n"
        let bytes = Array(head.utf8) + (parts.first == "HEAD" ? [] : payload)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                logger.debug(
                    "metrics client went away", metadata: ["metrics.error": "\(String(cString: strerror(errno)))"])
                return
            }
            sent += n
        }
        logger.trace("metrics served", metadata: ["http.status": "\(status)"])
    }

    /// Runs `render` as a task and waits for it on this (dedicated) thread, 10 s at most.
    private static func runBlocking(_ render: @escaping Render) -> String {
        let result = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let text = await render()
            result.withLock { $0 = text }
            done.signal()
        }
        guard done.wait(timeout: .now() + 10) == .success else { return "# metrics timed out\n" }
        return result.withLock { $0 } ?? ""
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}

/// `close(2)`, by a name that the server's own ``MetricsServer/close()`` does not shadow.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
