import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel
import Synchronization

/// The event stream and metrics services of `patrol serve` (`endpoints.events`,
/// `endpoints.metrics`), installed through ``PatrolServer/Extensions``.
enum ServeObservability {
    static func extensions(_ configuration: ServeConfiguration) -> PatrolServer.Extensions {
        var extensions = PatrolServer.Extensions()
        extensions.eventStream = { endpoint, parts in
            EventStreamService(endpoint: endpoint, coordinatorKey: configuration.keys.coordinator, parts: parts)
        }
        extensions.metrics = { endpoint, parts in MetricsService(endpoint: endpoint, parts: parts) }
        return extensions
    }
}

/// The event stream over CURVE: a context of its own, whose ZAP handler admits the operators'
/// keys (every role may watch) in the stream's domain and no device.
final class EventStreamService: PatrolService {
    private struct Running: Sendable {
        var context: ZMQContext
        var zap: ZAPHandler
        var publisher: EventPublisher
        var heartbeats: Task<Void, Never>
    }

    let name = "events"
    let endpoint: String
    let coordinatorKey: URL
    let parts: PatrolServer.Parts
    private let running = Mutex<Running?>(nil)

    init(endpoint: String, coordinatorKey: URL, parts: PatrolServer.Parts) {
        self.endpoint = endpoint
        self.coordinatorKey = coordinatorKey
        self.parts = parts
    }

    func start() async throws {
        let pair = try CurveKeyPair.load(from: coordinatorKey)
        let context = ZMQContext()
        do {
            // The handler first: a CURVE server without one refuses every handshake.
            let zap = try ZAPHandler(
                context: context, allowlist: try DeviceAllowlist(devices: [:]),
                authorities: [EventPublisher.defaultDomain: parts.operators], logger: parts.logger)
            var options = LinkOptions()
            options.security = .curveServer(pair, domain: EventPublisher.defaultDomain)
            let publisher = try EventPublisher(
                context: context, endpoint: endpoint, clock: SystemClock(), logger: parts.logger, options: options)
            await parts.coordinator.publishEvents(to: publisher)
            // `parts.operators` is the operator channel's own allowlist, reloaded in place on SIGHUP;
            // reopening cuts off subscribers whose key was revoked (they must shake hands again).
            parts.keyReloads.add { try publisher.reopen() }
            let heartbeats = Task { await publisher.runHeartbeats() }
            running.withLock {
                $0 = Running(context: context, zap: zap, publisher: publisher, heartbeats: heartbeats)
            }
            parts.logger.notice("event stream", metadata: ["events.endpoint": "\(publisher.endpoint)"])
        } catch {
            context.shutdown()
            throw error
        }
    }

    func stop() async {
        guard
            let r = running.withLock({ state in
                defer { state = nil }; return state
            })
        else { return }
        r.heartbeats.cancel()
        r.publisher.close()
        r.zap.close()
        r.context.shutdown()
    }
}

/// `GET /metrics` on `host:port`.
final class MetricsService: PatrolService {
    let name = "metrics"
    let endpoint: String
    let parts: PatrolServer.Parts
    private let server = Mutex<MetricsServer?>(nil)

    init(endpoint: String, parts: PatrolServer.Parts) {
        self.endpoint = endpoint
        self.parts = parts
    }

    func start() async throws {
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else {
            throw CommandFailure("endpoints.metrics: expected HOST:PORT, e.g. 127.0.0.1:9464, found \(endpoint)")
        }
        let host = String(endpoint[..<colon])
        let coordinator = parts.coordinator
        let metrics = try MetricsServer(host: host.isEmpty ? "127.0.0.1" : host, port: port, logger: parts.logger) {
            await coordinator.metricsText()
        }
        server.withLock { $0 = metrics }
        parts.logger.notice("metrics", metadata: ["metrics.address": "http://\(metrics.address)/metrics"])
    }

    func stop() async {
        server.withLock { state in
            defer { state = nil }; return state
        }?.close()
    }
}
