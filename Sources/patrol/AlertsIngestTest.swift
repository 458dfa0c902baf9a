import ArgumentParser
import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolStore

extension Patrol.Alerts {
    /// The coordinator's ingest of observations, alone in a process, for the crash test: it runs
    /// until it is killed, so a test can kill it with SIGKILL at any moment and check the record.
    struct IngestTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest-test",
            abstract: "Serve devices' observations into a database until killed (for crash tests).",
            discussion: """
                Binds the coordinator on ENDPOINT over DATABASE (kept as it is, so a restart continues it) with \
                escalation by the site's policy, prints `ready ENDPOINT`, and runs until it is killed. Every \
                detection is stored, fused and its incident's first escalation deadline written in one \
                transaction before its `detection_ack` is sent.
                """,
            shouldDisplay: false)

        @Option(help: "The SQLite database (created if missing, continued if present).")
        var db: String

        @Option(help: "Where to listen (ipc:///path, tcp://127.0.0.1:PORT).")
        var endpoint: String

        @Option(help: "The site folder with the policy files (default: geo/mumianling).")
        var site: String?

        @Option(help: "full (fsync each commit, the default) or normal (SQLite synchronous).")
        var durability: String = "full"

        func run() async throws {
            guard let level = Durability(rawValue: durability) else {
                throw ValidationError("--durability: full or normal")
            }
            var logger = Logger(label: "patrol")
            logger.logLevel = .error
            let store: PatrolStore
            let rules: AlertPolicy
            do {
                store = try PatrolStore(path: db, durability: level)
                let directory = site.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.locate("geo/mumianling")
                rules = try AlertPolicy.load(siteDirectory: directory)
            } catch { throw fail(error) }
            let context = ZMQContext()
            defer { context.shutdown() }
            // One connection stands for a site's worth of devices here: no per-device rate limits.
            var options = LinkOptions()
            options.limits = nil
            let server = try LinkServer(context: context, endpoint: endpoint, logger: logger, options: options)
            defer { server.close() }
            let clock = SystemClock()
            let engine = EscalationEngine(store: store, rules: rules, clock: clock, logger: logger)
            let coordinator = try Coordinator(
                store: store, link: server, clock: clock,
                configuration: CoordinatorConfiguration(telemetryBatch: 1, escalation: engine), logger: logger)
            let escalation = Task { await EscalationService(engine: engine).run() }
            defer { escalation.cancel() }
            // Unbuffered: the parent waits for this line.
            FileHandle.standardOutput.write(Data("ready \(server.endpoint)\n".utf8))
            await coordinator.run()
        }
    }
}
