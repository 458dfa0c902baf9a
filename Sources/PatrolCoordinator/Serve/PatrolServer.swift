import Foundation
public import Logging
import PatrolAlerts
public import PatrolLink
public import PatrolModel
import PatrolPlanner
public import PatrolStore
import Synchronization

/// `patrol serve` as a whole: the store, the device link, the coordinator, the operator channel
/// and the optional observers, started in that order and stopped in reverse.
///
/// Stopping tells every sortie in the air to hold or return (``ServeConfiguration/onShutdown``)
/// and waits for the answers before the device link closes, then writes buffered telemetry; a
/// restart takes the flights in progress and the open incidents back from the database.
public final class PatrolServer: Sendable {
    /// Services other components build for the optional endpoints of the configuration. An
    /// endpoint that is configured without its builder is logged and left unserved.
    public struct Extensions: Sendable {
        /// Builds the event stream (PUB) service for `endpoints.events`.
        public var eventStream: (@Sendable (_ endpoint: String, _ parts: Parts) throws -> any PatrolService)?
        /// Builds the Prometheus metrics service for `endpoints.metrics` (`host:port`).
        public var metrics: (@Sendable (_ endpoint: String, _ parts: Parts) throws -> any PatrolService)?
        /// Called with every coordinator event (the coordinator has logged it).
        public var onEvent: (@Sendable (CoordinatorEvent) -> Void)?

        public init() {}
    }

    /// What the extensions get to work with, once the core services are up.
    public struct Parts: Sendable {
        public var coordinator: Coordinator
        public var store: PatrolStore
        public var deviceLink: LinkServer
        /// The operator allowlist the operator channel uses, reloaded in place on SIGHUP: give it
        /// to a ZAP handler as the authority of another domain (the event stream) to share it.
        public var operators: OperatorAllowlist
        public var logger: Logger
        /// Hooks run after each ``PatrolServer/reloadKeys()``.
        public var keyReloads: KeyReloadHooks
    }

    private final class State: Sendable {
        struct Values {
            var store: PatrolStore?
            var checkpointer: WALCheckpointer?
            var deviceContext: ZMQContext?
            var deviceZAP: ZAPHandler?
            var link: LinkServer?
            var coordinator: Coordinator?
            var coordinatorTasks: [Task<Void, Never>] = []
            var escalation: EscalationEngine?
            var escalationTask: Task<Void, Never>?
            var operatorContext: ZMQContext?
            var operatorZAP: ZAPHandler?
            var operatorServer: OperatorServer?
            var operatorTask: Task<Void, Never>?
            var resumed: [String] = []
            var deviceAllowlist: DeviceAllowlist?
            var operatorAllowlist: OperatorAllowlist?
        }
        let values = Mutex(Values())
    }

    public let configuration: ServeConfiguration
    public let setup: ServeSetup
    let clock: any PatrolClock
    let logger: Logger
    private let state = State()
    private let group: ServiceGroup
    private let keyReloads = KeyReloadHooks()

    public init(
        configuration: ServeConfiguration, setup: ServeSetup, clock: any PatrolClock = SystemClock(), logger: Logger,
        extensions: Extensions = Extensions()
    ) {
        self.configuration = configuration
        self.setup = setup
        self.clock = clock
        self.logger = logger
        let state = self.state
        let keyReloads = self.keyReloads
        var services: [any PatrolService] = [
            Self.storeService(configuration, state: state),
            Self.deviceLinkService(configuration, state: state, logger: logger),
            Self.coordinatorService(
                configuration, setup: setup, state: state, clock: clock, logger: logger, extensions: extensions),
            Self.escalationService(state: state, logger: logger),
            Self.operatorService(configuration, setup: setup, state: state, clock: clock, logger: logger),
        ]
        @Sendable func parts() throws -> Parts {
            try state.values.withLock { v in
                guard let coordinator = v.coordinator, let store = v.store, let link = v.link,
                    let operators = v.operatorAllowlist
                else {
                    throw CommandFailure("the core services are not up")
                }
                return Parts(
                    coordinator: coordinator, store: store, deviceLink: link, operators: operators, logger: logger,
                    keyReloads: keyReloads)
            }
        }
        for (name, endpoint, builder) in [
            ("events", configuration.endpoints.events, extensions.eventStream),
            ("metrics", configuration.endpoints.metrics, extensions.metrics),
        ] {
            guard let endpoint else { continue }
            guard let builder else {
                logger.warning(
                    "endpoint configured but this build has no service for it; not served",
                    metadata: ["service": "\(name)", "endpoint": "\(endpoint)"])
                continue
            }
            services.append(Deferred(name: name) { try builder(endpoint, try parts()) })
        }
        group = ServiceGroup(services, logger: logger)
    }

    /// Starts every service in order; on a failure, stops those started and throws.
    public func start() async throws { try await group.start() }

    /// Stops every service in reverse order (sorties told per policy, telemetry written). Idempotent.
    public func stop() async { await group.stop() }

    /// Reads the device and operator allowlists again (SIGHUP): revoked keys are refused from now
    /// on, on connections already up too; new keys are admitted at their handshake. A bad file
    /// changes nothing and is reported. The event stream shares the operator allowlist and makes
    /// its subscribers shake hands again (``KeyReloadHooks``).
    public func reloadKeys() throws {
        let (devices, operators) = state.values.withLock { ($0.deviceAllowlist, $0.operatorAllowlist) }
        try devices?.reload(from: configuration.keys.devices)
        try operators?.reload(from: configuration.keys.operators)
        try keyReloads.run()
        logger.notice(
            "keys reloaded",
            metadata: [
                "devices.allowed": "\(devices?.devices.count ?? 0)",
                "operators.allowed": "\(operators?.operators.count ?? 0)",
            ])
    }

    /// The bound device endpoint (with the real port for `tcp://…:*`).
    public var deviceEndpoint: String? { state.values.withLock { $0.link?.endpoint } }
    /// The bound operator endpoint.
    public var operatorEndpoint: String? { state.values.withLock { $0.operatorServer?.endpoint } }
    /// Flights taken back from the database at start.
    public var resumedFlights: [String] { state.values.withLock { $0.resumed } }

    // MARK: Services

    private static func storeService(_ configuration: ServeConfiguration, state: State) -> any PatrolService {
        ClosureService("store") {
            try FileManager.default.createDirectory(
                at: configuration.database.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let reports = configuration.reportsDirectory {
                try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
            }
            let store = try PatrolStore(path: configuration.database.path)
            let checkpointer = configuration.backgroundCheckpoints ? try WALCheckpointer(store: store) : nil
            state.values.withLock {
                $0.store = store
                $0.checkpointer = checkpointer
            }
        } stop: {
            // A last checkpoint, and the writer gets its automatic checkpoints back.
            state.values.withLock { $0.checkpointer }?.stop()
            state.values.withLock {
                $0.checkpointer = nil
                $0.store = nil
            }
        }
    }

    private static func deviceLinkService(_ configuration: ServeConfiguration, state: State, logger: Logger)
        -> any PatrolService
    {
        ClosureService("device-link") {
            let context = ZMQContext()
            do {
                let pair = try CurveKeyPair.load(from: configuration.keys.coordinator)
                let devices = try DeviceAllowlist(contentsOf: configuration.keys.devices)
                let zap = try ZAPHandler(context: context, allowlist: devices, logger: logger)
                var options = LinkOptions()
                options.security = .curveServer(pair, domain: LinkSecurity.defaultDomain)
                let scale = configuration.rateLimitScale
                options.limits = scale > 0 ? LinkLimits.standard.scaled(by: scale) : nil
                let link = try LinkServer(
                    context: context, endpoint: configuration.endpoints.devices, logger: logger, options: options,
                    allowlist: devices)
                state.values.withLock {
                    $0.deviceContext = context
                    $0.deviceZAP = zap
                    $0.link = link
                    $0.deviceAllowlist = devices
                }
                logger.notice(
                    "device link listening",
                    metadata: ["link.endpoint": "\(link.endpoint)", "devices.allowed": "\(devices.devices.count)"])
            } catch {
                context.shutdown()
                throw error
            }
        } stop: {
            let (link, zap, context) = state.values.withLock { ($0.link, $0.deviceZAP, $0.deviceContext) }
            link?.close()
            zap?.close()
            context?.shutdown()
        }
    }

    private static func coordinatorService(
        _ configuration: ServeConfiguration, setup: ServeSetup, state: State, clock: any PatrolClock, logger: Logger,
        extensions: Extensions
    ) -> any PatrolService {
        ClosureService("coordinator") {
            let (store, link) = state.values.withLock { ($0.store!, $0.link!) }
            var settings = CoordinatorConfiguration(reportsDirectory: configuration.reportsDirectory)
            if let directory = configuration.alertsDirectory {
                // Escalation of incidents, and the rules for fixed sensors, from the site's policy files.
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("responsibility.yaml").path)
                {
                    let policy = try AlertPolicy.load(siteDirectory: directory)
                    settings.escalation = EscalationEngine(store: store, rules: policy, clock: clock, logger: logger)
                }
                let rules = directory.appendingPathComponent("thresholds.yaml")
                if FileManager.default.fileExists(atPath: rules.path) {
                    settings.sensorRules = try SensorRules(
                        yaml: String(contentsOf: rules, encoding: .utf8), file: rules.path)
                }
            }
            let coordinator = try Coordinator(
                store: store, link: link, clock: clock, configuration: settings, logger: logger)
            // The sortie queue knows the fleet: batteries, energy models, hives' limits and places.
            let positions = try ScheduleProblem.hivePositions(of: setup.fleet, site: setup.site)
            await coordinator.configureSorties(SortieFleet(fleet: setup.fleet, hivePositions: positions))
            await coordinator.configureDiversion(configuration.diversion)
            // Smoke alarms and confirmed fires fly from the first routine drone patrol's hive, with its camera.
            if let base = setup.missions.values.map(\.mission).filter({
                if case .areaCoverage = $0.kind { return true } else { return false }
            }).min(by: { $0.id < $1.id }) {
                await coordinator.configureVerification(
                    VerificationTemplate(base: base, site: setup.site, siteFile: setup.siteFile))
            }
            let resumed = try await coordinator.resumeFlightsInProgress()
            _ = try await coordinator.resumeQueuedSorties()
            let run = Task { await coordinator.run() }
            // The coordinator logs each event once, where it happens; serve adds no line of its own.
            let events = Task {
                for await event in coordinator.events { extensions.onEvent?(event) }
            }
            state.values.withLock {
                $0.coordinator = coordinator
                $0.escalation = settings.escalation
                $0.coordinatorTasks = [run, events]
                $0.resumed = resumed
            }
            let open = try store.alerts(states: [.new, .dispatched, .acknowledged, .inProgress, .reopened])
            logger.notice(
                "coordinator running",
                metadata: ["flights.resumed": "\(resumed.count)", "incidents.open": "\(open.count)"])
        } stop: {
            let (coordinator, link, tasks) = state.values.withLock { ($0.coordinator, $0.link, $0.coordinatorTasks) }
            if let coordinator {
                _ = await coordinator.shutDown(
                    returning: configuration.onShutdown == .return, timeout: configuration.commandTimeout)
            }
            link?.close()
            for task in tasks { await task.value }
            state.values.withLock { $0.coordinator = nil }
        }
    }

    /// Fires escalation deadlines as they fall due; they live in the store, so a stop loses none.
    private static func escalationService(state: State, logger: Logger) -> any PatrolService {
        ClosureService("escalation") {
            guard let engine = state.values.withLock({ $0.escalation }) else {
                logger.info("no escalation policy configured (alerts:); incidents are recorded, not escalated")
                return
            }
            let task = Task { await EscalationService(engine: engine).run() }
            state.values.withLock { $0.escalationTask = task }
        } stop: {
            let task = state.values.withLock { $0.escalationTask }
            task?.cancel()
            await task?.value
        }
    }

    private static func operatorService(
        _ configuration: ServeConfiguration, setup: ServeSetup, state: State, clock: any PatrolClock, logger: Logger
    ) -> any PatrolService {
        ClosureService("operators") {
            let (coordinator, store) = state.values.withLock { ($0.coordinator!, $0.store!) }
            // Its own context, so its ZAP handler checks operator keys and never device keys.
            let context = ZMQContext()
            do {
                let pair = try CurveKeyPair.load(from: configuration.keys.coordinator)
                let operators = try OperatorAllowlist(contentsOf: configuration.keys.operators)
                let zap = try ZAPHandler(context: context, allowlist: operators.handshakes, logger: logger)
                let server = try OperatorServer(
                    context: context, endpoint: configuration.endpoints.operators, keys: pair, allowlist: operators,
                    logger: logger)
                let service = OperatorService(
                    coordinator: coordinator, server: server, allowlist: operators, store: store, setup: setup,
                    clock: clock, logger: logger, commandTimeout: configuration.commandTimeout)
                let task = Task { await service.run() }
                state.values.withLock {
                    $0.operatorContext = context
                    $0.operatorZAP = zap
                    $0.operatorServer = server
                    $0.operatorTask = task
                    $0.operatorAllowlist = operators
                }
                logger.notice(
                    "operator channel listening",
                    metadata: [
                        "link.endpoint": "\(server.endpoint)", "operators.allowed": "\(operators.operators.count)",
                    ])
            } catch {
                context.shutdown()
                throw error
            }
        } stop: {
            let (server, task, zap, context) = state.values.withLock {
                ($0.operatorServer, $0.operatorTask, $0.operatorZAP, $0.operatorContext)
            }
            server?.close()
            await task?.value
            zap?.close()
            context?.shutdown()
        }
    }
}

/// A service built only when its turn to start comes (its builder needs the services before it).
private final class Deferred: PatrolService {
    let name: String
    private let build: @Sendable () throws -> any PatrolService
    private let built = Mutex<(any PatrolService)?>(nil)

    init(name: String, build: @escaping @Sendable () throws -> any PatrolService) {
        self.name = name
        self.build = build
    }

    func start() async throws {
        let service = try build()
        built.withLock { $0 = service }
        try await service.start()
    }

    func stop() async { await built.withLock { $0 }?.stop() }
}

/// A failure of the server's assembly, in words.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
