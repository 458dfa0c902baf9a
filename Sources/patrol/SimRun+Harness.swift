import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolStore

/// What every kind of `patrol sim` run sets up the same way around its devices.
extension SimRun {
    /// A new database in the output folder (one left by an earlier run, and its WAL, removed).
    func freshStore() throws -> (store: PatrolStore, database: URL) {
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let database = outputDirectory.appendingPathComponent("patrol.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        return (try PatrolStore(path: database.path), database)
    }

    /// The site's sensor rules (`thresholds.yaml`).
    func sensorRules() throws -> SensorRules {
        let rulesFile = siteDirectory.appendingPathComponent("thresholds.yaml")
        return try SensorRules(yaml: String(contentsOf: rulesFile, encoding: .utf8), file: rulesFile.path)
    }

    /// The run's coordinator on `server`, with the site's escalation engine (when the site has a
    /// responsibility map) put into `configuration`.
    func simCoordinator(
        store: PatrolStore, server: LinkServer, clock: VirtualClock,
        _ configuration: CoordinatorConfiguration = CoordinatorConfiguration()
    ) throws -> Coordinator {
        var configuration = configuration
        configuration.escalation = try escalationEngine(store: store, clock: clock)
        return try Coordinator(store: store, link: server, clock: clock, configuration: configuration, logger: logger)
    }

    /// The site's escalation engine on the run's clock, when the site has a responsibility map.
    private func escalationEngine(store: PatrolStore, clock: VirtualClock) throws -> EscalationEngine? {
        guard FileManager.default.fileExists(atPath: siteDirectory.appendingPathComponent("responsibility.yaml").path)
        else { return nil }
        let policy = try AlertPolicy.load(siteDirectory: siteDirectory)
        return EscalationEngine(store: store, rules: policy, clock: clock, logger: logger)
    }

    /// The in-process device endpoint of a run: rates are judged on the run's virtual clock.
    func simServer(_ context: ZMQContext, clock: VirtualClock) throws -> LinkServer {
        try LinkServer(
            context: context, endpoint: "inproc://patrol-sim-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
    }
}

extension EventLog {
    /// Collects the canonical log of `coordinator`'s events until they end.
    static func collect(_ coordinator: Coordinator) -> Task<[String], Never> {
        Task {
            var lines: [String] = []
            for await event in coordinator.events { if let line = EventLog.line(event) { lines.append(line) } }
            return lines
        }
    }
}
