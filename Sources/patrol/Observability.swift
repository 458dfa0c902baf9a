import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel

/// The event stream and the metrics endpoint of a served coordinator, started together and
/// stopped together; `serve-test` (and `serve`, once merged) take `--events` and `--metrics`.
struct Observability {
    var publisher: EventPublisher?
    var heartbeats: Task<Void, Never>?
    var metricsServer: MetricsServer?

    /// Binds what is asked for and prints where: `events   ENDPOINT`, `metrics  http://ADDRESS/metrics`.
    /// - Parameters:
    ///   - events: the PUB endpoint, or `nil` for no stream.
    ///   - metrics: `HOST:PORT`, or `nil` for no endpoint.
    /// - Throws: ``LinkError`` when the stream cannot bind, ``MetricsServer/Failure`` when the endpoint cannot.
    static func start(
        coordinator: Coordinator, context: ZMQContext, events: String?, metrics: String?, options: LinkOptions,
        clock: any PatrolClock, logger: Logger
    ) async throws -> Observability {
        var result = Observability()
        if let events {
            let publisher = try EventPublisher(
                context: context, endpoint: events, clock: clock, logger: logger, options: options)
            await coordinator.publishEvents(to: publisher)
            result.publisher = publisher
            result.heartbeats = Task { await publisher.runHeartbeats() }
            print("events   \(publisher.endpoint)")
        }
        if let metrics {
            guard let colon = metrics.lastIndex(of: ":"), let port = Int(metrics[metrics.index(after: colon)...]) else {
                throw CommandFailure("--metrics: expected HOST:PORT, e.g. 127.0.0.1:9464, found \(metrics)")
            }
            let host = String(metrics[..<colon])
            let server = try MetricsServer(host: host.isEmpty ? "127.0.0.1" : host, port: port, logger: logger) {
                await coordinator.metricsText()
            }
            result.metricsServer = server
            print("metrics  http://\(server.address)/metrics")
        }
        if events != nil || metrics != nil {
            // Whoever started this process may be waiting for these lines on a pipe.
            fflush(nil)
        }
        return result
    }

    func stop() {
        heartbeats?.cancel()
        metricsServer?.close()
        publisher?.close()
    }
}
