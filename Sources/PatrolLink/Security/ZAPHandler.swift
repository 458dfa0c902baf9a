import Dispatch
import Foundation
public import Logging
import Synchronization

/// The ZeroMQ authentication handler (ZAP, RFC 27) of a context: it decides every CURVE
/// handshake of every server socket in that context against a ``DeviceAllowlist``.
///
/// It serves a REP socket on `inproc://zeromq.zap.01` from its own thread. Start it **before**
/// binding a ``LinkServer`` with ``LinkSecurity/curveServer(_:domain:)``; one per context. A
/// handshake is accepted when its domain is the handler's and its client key is on the list; the
/// reply's user id is the device id, which the server reads back from each message (`User-Id`),
/// so a device's identity always comes from its key. Strangers are refused, logged and counted.
public final class ZAPHandler: Sendable {
    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"

    /// The allowlist consulted on each handshake; change it to revoke or admit devices.
    public let allowlist: DeviceAllowlist
    /// Who decides the handshakes of each ZAP domain: the allowlist for the device domain, plus
    /// the `authorities` given at ``init(context:allowlist:domain:authorities:logger:)``.
    private let authorities: [String: any CurveKeyAuthority]
    private let wakeup: Wakeup
    private let control = Control()
    private let finished = DispatchGroup()

    /// What the handler thread and its owner share.
    private final class Control: Sendable {
        let stopping = Atomic<Bool>(false)
        let counts = Mutex<(accepted: Int, refused: Int)>((0, 0))
    }

    /// Binds the handler and starts its thread; returns once it is ready to answer.
    /// - Parameters:
    ///   - allowlist: decides handshakes in `domain` (the device link).
    ///   - authorities: decide handshakes in other domains, e.g. ``EventPublisher/defaultDomain``
    ///     for the event stream; a handshake in a domain with no authority is refused.
    /// - Throws: ``LinkError`` `.socket` if another handler is bound in `context` (`EADDRINUSE`).
    public init(
        context: ZMQContext, allowlist: DeviceAllowlist, domain: String = LinkSecurity.defaultDomain,
        authorities: [String: any CurveKeyAuthority] = [:], logger: Logger
    ) throws(LinkError) {
        self.allowlist = allowlist
        var authorities = authorities
        authorities[domain] = allowlist
        self.authorities = authorities
        self.wakeup = try Wakeup.make()
        let ready = DispatchSemaphore(value: 0)
        let setupError = Mutex<LinkError?>(nil)
        finished.enter()
        let thread = Thread { [wakeup, control, finished, authorities] in
            defer { finished.leave() }
            let socket: Socket
            switch Self.open(context) {
            case .success(let opened):
                socket = opened
                ready.signal()
            case .failure(let error):
                setupError.withLock { $0 = error }
                ready.signal()
                return
            }
            Self.serve(socket, wakeup: wakeup, control: control, authorities: authorities, allowlist: allowlist) { ok in
                control.counts.withLock { ok ? ($0.accepted += 1) : ($0.refused += 1) }
            } log: { message, metadata in
                logger.warning("\(message)", metadata: metadata)
            }
            socket.close()
        }
        thread.name = "patrol.link.zap"
        thread.start()
        ready.wait()
        if let error = setupError.withLock({ $0 }) {
            finished.wait()
            wakeup.close()
            throw error
        }
    }

    deinit {
        close()
        wakeup.close()
    }

    /// Handshakes accepted and refused so far.
    public var statistics: (accepted: Int, refused: Int) { control.counts.withLock { $0 } }

    /// Stops answering; later handshakes get no answer and are refused. Idempotent.
    public func close() {
        if !control.stopping.exchange(true, ordering: .acquiringAndReleasing) { wakeup.signal() }
        finished.wait()
    }

    private static func open(_ context: ZMQContext) -> Result<Socket, LinkError> {
        let socket: Socket
        do {
            socket = try Socket(context: context, kind: .rep)
        } catch {
            return .failure(error)
        }
        do {
            try socket.bind(endpoint)
        } catch {
            socket.close()
            return .failure(error)
        }
        return .success(socket)
    }

    private static func serve(
        _ socket: Socket, wakeup: Wakeup, control: Control, authorities: [String: any CurveKeyAuthority],
        allowlist: DeviceAllowlist, count: (Bool) -> Void, log: (String, Logger.Metadata) -> Void
    ) {
        while !control.stopping.load(ordering: .acquiring) {
            do {
                let ready = try socket.poll(wantRead: true, wantWrite: false, wakeFD: wakeup.readFD, timeout: -1)
                if ready.woken { wakeup.drain() }
                guard ready.readable, let request = try socket.receive() else { continue }
                let reply = answer(
                    request, authorities: authorities, allowlist: allowlist, count: count, log: log)
                _ = try socket.send(reply)
            } catch {
                return  // the context is shutting down
            }
        }
    }

    /// The reply to one ZAP request: `[version, request id, status, text, user id, metadata]`.
    static func answer(
        _ request: [[UInt8]], domain: String, allowlist: DeviceAllowlist, count: (Bool) -> Void,
        log: (String, Logger.Metadata) -> Void
    ) -> [[UInt8]] {
        answer(request, authorities: [domain: allowlist], allowlist: allowlist, count: count, log: log)
    }

    /// The reply to one ZAP request, decided by the authority of the request's domain; refusals
    /// are counted on `allowlist` too, so its ``DeviceAllowlist/refused`` counts every stranger.
    static func answer(
        _ request: [[UInt8]], authorities: [String: any CurveKeyAuthority], allowlist: DeviceAllowlist,
        count: (Bool) -> Void, log: (String, Logger.Metadata) -> Void
    ) -> [[UInt8]] {
        let requestID = request.count > 1 ? request[1] : []
        func reply(_ status: String, _ text: String, user: String = "") -> [[UInt8]] {
            [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(user.utf8), []]
        }
        guard request.count >= 7, String(decoding: request[0], as: UTF8.self) == "1.0" else {
            count(false)
            return reply("500", "malformed ZAP request")
        }
        let address = String(decoding: request[3], as: UTF8.self)
        let domain = String(decoding: request[2], as: UTF8.self)
        guard let authority = authorities[domain],
            String(decoding: request[5], as: UTF8.self) == "CURVE",
            let key = CurveKeyPair.encode(request[6])
        else {
            count(false)
            allowlist.countRefusal()
            log("refused a handshake: wrong domain or mechanism", ["link.address": "\(address)"])
            return reply("400", "not allowed")
        }
        guard let device = authority.identity(forKey: key) else {
            count(false)
            allowlist.countRefusal()
            log(
                "refused a handshake from an unknown key",
                ["link.address": "\(address)", "link.key": "\(key)", "link.domain": "\(domain)"])
            return reply("400", "unknown key")
        }
        count(true)
        return reply("200", "OK", user: device)
    }
}
