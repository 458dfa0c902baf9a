import ArgumentParser
import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

extension Patrol {
    struct ServeTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve-test",
            abstract: "Serve one flight to one external device, then exit (for testing devices).",
            discussion: """
                Binds the coordinator, plans the mission and uploads it to DEVICE when it says hello, and exits \
                0 once that flight has landed and its report is written (non-zero on a refusal or a timeout). \
                This is how examples/python-device is checked against a live coordinator. With --keys, the link \
                runs CURVE: DIR/coordinator.key is the coordinator's pair, DIR/devices.yaml the allowlist.
                """)

        @Option(help: "Where to listen (tcp://127.0.0.1:5555, ipc:///path, …).")
        var endpoint = "tcp://127.0.0.1:5555"

        @Option(help: "The device to fly the mission.")
        var device = "drone-1"

        @Option(help: "The mission (default: missions/hill-fire-patrol.yaml).")
        var mission: String?

        @Option(help: "Where the database and the report go.")
        var out = "patrol-out/serve-test"

        @Option(help: "A keys directory: run CURVE with DIR/coordinator.key and DIR/devices.yaml.")
        var keys: String?

        @Option(
            help: """
                Scale the per-device rate limits (docs/protocol.md) by N for devices simulated N times faster than \
                real time; 0 (the default here: devices under test are often simulated) turns them off.
                """)
        var rateLimitScale: Double = 0

        @Option(help: "Seconds to wait for the flight to end.")
        var timeout: Double = 60

        @Option(help: "Publish the event stream (docs/events.md) here, e.g. tcp://127.0.0.1:5557.")
        var events: String?

        @Option(
            help: "With --keys: the event stream's subscribers, `name: \"KEY\"` a line (default DIR/subscribers.yaml).")
        var subscribers: String?

        @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0 picks one).")
        var metrics: String?

        @Option(help: "Seconds to keep serving after the flight ends (for watchers and scrapers).")
        var linger: Double = 0

        func run() async throws {
            var logger = Logger(label: "patrol")
            logger.logLevel = .warning
            let loaded = try Mission.load(from: mission.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.defaultMission)
            let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
            let outDirectory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: outDirectory, withIntermediateDirectories: true)
            let database = outDirectory.appendingPathComponent("patrol.sqlite").path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            let store = try PatrolStore(path: database)

            let context = ZMQContext()
            defer { context.shutdown() }
            var options = LinkOptions()
            var zap: ZAPHandler?
            var allowlist: DeviceAllowlist?
            var eventOptions = LinkOptions()
            if let keys {
                let directory = URL(fileURLWithPath: keys)
                let pair = try CurveKeyPair.load(from: directory.appendingPathComponent("coordinator.key"))
                let list = try DeviceAllowlist(contentsOf: directory.appendingPathComponent("devices.yaml"))
                let subscribersFile =
                    subscribers.map { URL(fileURLWithPath: $0) }
                    ?? directory.appendingPathComponent("subscribers.yaml")
                // No subscribers file: a CURVE stream nobody may read, rather than an open one.
                let readers =
                    FileManager.default.fileExists(atPath: subscribersFile.path)
                    ? try DeviceAllowlist.load(from: subscribersFile) : [:]
                // The handler first: a CURVE server without one refuses every handshake.
                zap = try ZAPHandler(
                    context: context, allowlist: list,
                    authorities: [EventPublisher.defaultDomain: StaticKeyAuthority(readers)], logger: logger)
                allowlist = list
                options.security = .curveServer(pair, domain: LinkSecurity.defaultDomain)
                eventOptions.security = .curveServer(pair, domain: EventPublisher.defaultDomain)
            }
            defer { zap?.close() }
            options.limits = rateLimitScale > 0 ? LinkLimits.standard.scaled(by: rateLimitScale) : nil
            let server = try LinkServer(
                context: context, endpoint: endpoint, logger: logger, options: options, allowlist: allowlist)
            defer { server.close() }
            // With an event stream, incidents escalate by the site's policy files, as in `demo`, so
            // that watchers see escalations and state changes too.
            var escalation: EscalationEngine?
            let siteDirectory = ProjectFiles.locate("geo/\(loaded.site.id)")
            if events != nil,
                FileManager.default.fileExists(atPath: siteDirectory.appendingPathComponent("responsibility.yaml").path)
            {
                escalation = EscalationEngine(
                    store: store, rules: try AlertPolicy.load(siteDirectory: siteDirectory), clock: SystemClock(),
                    logger: logger)
            }
            let coordinator = try Coordinator(
                store: store, link: server, clock: SystemClock(),
                configuration: CoordinatorConfiguration(reportsDirectory: outDirectory, escalation: escalation),
                logger: logger)
            let observability = try await Observability.start(
                coordinator: coordinator, context: context, events: events, metrics: metrics, options: eventOptions,
                clock: SystemClock(), logger: logger)
            defer { observability.stop() }
            let service = Task { await coordinator.run() }
            let flightID = try await coordinator.launch(
                plan, mission: loaded.mission, site: loaded.site, device: device)
            print("listening \(server.endpoint) for \(device): flight \(flightID)")

            let outcome = await withTaskGroup(of: String?.self) { group in
                group.addTask {
                    for await event in coordinator.events {
                        switch event {
                        case .deviceRegistered(let d): print("link     \(d) connected")
                        case .missionAccepted: print("mission  acknowledged")
                        case .missionRefused(_, let reason): return "mission refused: \(reason)"
                        case .flightStarted: print("flight   started")
                        case .alertOpened(let a): print("alert    \(a.id) \(a.kind.rawValue)")
                        case .deviceError(let d, let message): print("device   \(d ?? "?") error: \(message)")
                        case .deviceLost(let d, _, _, _): print("link     \(d) lost")
                        case .deviceResumed(let d, _): print("link     \(d) back")
                        case .actuatorCommanded, .commandAnswered, .checkpointReached, .speakCommanded, .sortieChanged,
                            .verificationRequested, .overwatchRequested, .partyNotified, .missionUploaded,
                            .alertUpdated,
                            .alertConfirmed, .flightEvent, .telemetry, .dayReplanned:
                            break
                        case .flightEnded(let flight, let report):
                            print("flight   \(flight.status.rawValue); report \(report.first?.path ?? "none")")
                            return nil
                        }
                    }
                    return "the coordinator stopped"
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(timeout))
                    return "no landing within \(timeout) s"
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            if linger > 0 { try? await Task.sleep(for: .seconds(linger)) }
            server.close()
            await service.value
            let telemetry = try store.telemetryCount(flightID: flightID)
            let detections = try store.detections(flightID: flightID).count
            print("record   \(telemetry) telemetry rows, \(detections) detections in \(database)")
            if let outcome { throw fail(CommandFailure(outcome)) }
        }
    }
}
