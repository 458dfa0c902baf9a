public import Logging

/// One long-running part of `patrol serve`: started in order, stopped in reverse order.
public protocol PatrolService: Sendable {
    /// A short name for logs (`store`, `device-link`, `coordinator`, `operators`, …).
    var name: String { get }
    /// Brings the service up; returns once it serves (its work goes on in its own tasks or threads).
    func start() async throws
    /// Stops the service gracefully: finish or hand over what is in hand, then release resources.
    func stop() async
}

/// A service made of two closures, for parts that need no type of their own.
public struct ClosureService: PatrolService {
    public let name: String
    let onStart: @Sendable () async throws -> Void
    let onStop: @Sendable () async -> Void

    public init(
        _ name: String, start: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable () async -> Void
    ) {
        self.name = name
        self.onStart = start
        self.onStop = stop
    }

    public func start() async throws { try await onStart() }
    public func stop() async { await onStop() }
}

/// Starts services in order and stops them in reverse: a small ServiceLifecycle.
///
/// If a service fails to start, those already started are stopped (in reverse) and the error
/// is thrown. ``stop()`` is idempotent.
public actor ServiceGroup {
    private let services: [any PatrolService]
    private var started: [any PatrolService] = []
    private let logger: Logger

    public init(_ services: [any PatrolService], logger: Logger) {
        self.services = services
        self.logger = logger
    }

    public func start() async throws {
        for service in services {
            do {
                try await service.start()
            } catch {
                logger.critical(
                    "service failed to start", metadata: ["service": "\(service.name)", "error": "\(error)"])
                await stop()
                throw error
            }
            started.append(service)
            logger.info("service started", metadata: ["service": "\(service.name)"])
        }
    }

    public func stop() async {
        while let service = started.popLast() {
            logger.info("stopping service", metadata: ["service": "\(service.name)"])
            await service.stop()
            logger.info("service stopped", metadata: ["service": "\(service.name)"])
        }
    }
}
