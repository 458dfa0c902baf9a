import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolSim
import PatrolStore

/// One simulated patrol flown end to end over the real parts: the scenario's mission is planned
/// through PROJ and GEOS, the coordinator binds a real ZeroMQ socket, a simulated drone connects
/// to it as a separate peer and flies on a virtual clock, the coordinator records everything in
/// SQLite and writes the coverage report when the drone lands.
struct DemoRun {
    var scenarioFile: URL
    var outputDirectory: URL
    /// Where the coordinator listens; `*` picks a free port.
    var endpoint = "tcp://127.0.0.1:*"
    var logger: Logger
    /// A radio drop to simulate mid-flight (tests of the link-loss failsafe); none by default.
    var linkCut: SimulatedDrone.LinkCut?
    /// Called once the coordinator exists, before the launch: attach an event stream or metrics.
    var observe: (@Sendable (Coordinator, ZMQContext, VirtualClock) async throws -> Void)?

    struct Result {
        var flight: Flight
        var reportFiles: [URL]
        var database: URL
        var alerts: [Alert]
        var telemetryRows: Int
        var drone: SimulatedDrone.Summary
        var scenario: Scenario
        var plan: CoveragePlan
        var wallSeconds: Double
        /// The simulated hive the drone flew from.
        var hive: HiveSummary
    }

    /// What the hive did.
    struct HiveSummary {
        var id: String
        var statusesSent: Int
        var offline: Bool
        var doorStuck: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Flies the scenario; `progress` hears every coordinator event as it happens.
    func run(progress: @escaping @Sendable (CoordinatorEvent) -> Void = { _ in }) async throws -> Result {
        let began = ContinuousClock.now
        let scenario = try Scenario.load(from: scenarioFile)
        let loaded = try Mission.load(from: scenario.missionFile)
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        guard let hive = loaded.site.hive(loaded.mission.hive) else {
            throw Failure(description: "no hive \(loaded.mission.hive)")
        }

        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let database = outputDirectory.appendingPathComponent("patrol.sqlite")
        // Each demo is a fresh record, so its figures are its own.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        let store = try PatrolStore(path: database.path)

        let clock = VirtualClock(start: scenario.start)
        let context = ZMQContext()
        defer { context.shutdown() }
        // Rate limits in the simulation's own time, which runs faster than the wall clock.
        let server = try LinkServer(context: context, endpoint: endpoint, logger: logger, now: { clock.now() })
        defer { server.close() }
        // Incidents escalate by the site's policy files, when the site has them.
        let siteDirectory = ProjectFiles.locate("geo/\(loaded.site.id)")
        var escalation: EscalationEngine?
        if FileManager.default.fileExists(atPath: siteDirectory.appendingPathComponent("responsibility.yaml").path) {
            let rules = try AlertPolicy.load(siteDirectory: siteDirectory)
            escalation = EscalationEngine(store: store, rules: rules, clock: clock, logger: logger)
        }
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(
                reportsDirectory: outputDirectory, telemetryRate: scenario.telemetryRate, escalation: escalation),
            logger: logger)
        try await observe?(coordinator, context, clock)
        let service = Task { await coordinator.run() }
        let watcher = Task { () -> (Flight, [URL])? in
            for await event in coordinator.events {
                progress(event)
                if case .flightEnded(let flight, let report) = event { return (flight, report) }
            }
            return nil
        }
        _ = try await coordinator.launch(
            plan, mission: loaded.mission, site: loaded.site, siteFile: loaded.siteFile, device: scenario.drone.id)

        // The hive the drone lives in: its own device on the link, sending its status from now on.
        let hiveID = scenario.hive.id ?? loaded.mission.hive
        let hiveClient = try LinkClient(context: context, endpoint: server.endpoint, identity: hiveID, logger: logger)
        defer { hiveClient.close() }
        let simulatedHive = SimulatedHive(
            id: hiveID, spec: scenario.hive, weather: scenario.weather, start: scenario.start, seed: scenario.seed,
            clock: clock, link: hiveClient, logger: logger)
        try await simulatedHive.hello()
        simulatedHive.dock(battery: 1)
        simulatedHive.step()
        try await simulatedHive.settle()

        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: scenario.drone.id, logger: logger)
        defer { client.close() }
        let drone = try SimulatedDrone(
            scenario: scenario, camera: loaded.mission.camera, hive: hive, crs: loaded.site.crs, clock: clock,
            link: client, logger: logger)
        drone.linkCut = linkCut ?? scenario.linkCut
        drone.faults = scenario.faults
        drone.reserve = scenario.drone.reserve
        drone.gpsHoldLimit = scenario.drone.gpsHold
        drone.dock = simulatedHive
        let summary = try await drone.run()

        guard let (flight, files) = await watcher.value else {
            throw Failure(description: "the coordinator stopped before the flight ended")
        }
        client.close()
        hiveClient.close()
        server.close()
        await service.value
        return Result(
            flight: flight, reportFiles: files, database: database, alerts: try store.alerts(flightID: flight.id),
            telemetryRows: try store.telemetryCount(flightID: flight.id), drone: summary, scenario: scenario,
            plan: plan,
            wallSeconds: (ContinuousClock.now - began).seconds,
            hive: HiveSummary(
                id: hiveID, statusesSent: simulatedHive.statusesSent, offline: simulatedHive.offline,
                doorStuck: simulatedHive.doorStuck))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
