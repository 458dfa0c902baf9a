import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolSim
import PatrolStore

extension SimRun {
    /// Whether a drone scenario file also brings sensors or cameras (`with_gateways:`, `with_cameras:`).
    static func describesMixed(_ url: URL) -> Bool {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("with_gateways:") || $0.hasPrefix("with_cameras:") }
    }

    /// Runs a mixed scenario: the drone patrol of a drone scenario, and on the same virtual clock
    /// the sensor gateways of its `with_gateways:` file and the NVRs of its `with_cameras:` file
    /// (their own `start` and `duration_min` give way to the drone's: they run from its start
    /// until it has landed). Every device has its own connection to one real coordinator; each
    /// steps once a simulated second in lockstep, after the drone's step.
    func runMixed() async throws -> Result {
        let began = ContinuousClock.now
        let scenario = try Scenario.load(from: scenarioFile)
        var sensors = try scenario.withGateways.map { try SensorScenario.load(from: $0) }
        sensors?.start = scenario.start
        var cameras = try scenario.withCameras.map { try CameraScenario.load(from: $0) }
        cameras?.start = scenario.start
        let loaded = try Mission.load(from: scenario.missionFile)
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        guard let hive = loaded.site.hive(loaded.mission.hive) else {
            throw CLIFailure(description: "no hive \(loaded.mission.hive)")
        }
        let (store, database) = try freshStore()
        let rules = try sensorRules()

        let clock = VirtualClock(start: scenario.start)
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try simServer(context, clock: clock)
        defer { server.close() }
        let coordinator = try simCoordinator(
            store: store, server: server, clock: clock,
            CoordinatorConfiguration(
                reportsDirectory: outputDirectory, telemetryRate: scenario.telemetryRate, sensorRules: rules))
        let service = Task { await coordinator.run() }
        let watcher = EventLog.collect(coordinator)
        let logger = self.logger
        let endpoint = server.endpoint
        var clients: [LinkClient] = []
        defer { for client in clients { client.close() } }
        var built: [SimulatedGateway] = []
        if let sensors {
            for gateway in sensors.gateways {
                let client = try LinkClient(context: context, endpoint: endpoint, identity: gateway.id, logger: logger)
                clients.append(client)
                let device = SimulatedGateway(
                    gateway: gateway, scenario: sensors, clock: clock, link: client, logger: logger)
                try await device.hello()
                built.append(device)
            }
        }
        let gateways = built
        var nvrs: [SimulatedNVR] = []
        if let cameras {
            nvrs = cameras.nvrs.map { id in
                SimulatedNVR(id: id, scenario: cameras, clock: clock, logger: logger) {
                    try LinkClient(context: context, endpoint: endpoint, identity: id, logger: logger)
                }
            }
        }
        defer { for nvr in nvrs { nvr.close() } }
        for nvr in nvrs { try await nvr.start() }
        let stepping = nvrs
        let reportEvery = max(1, Int((sensors?.reportEvery ?? 60).rounded()))
        let others = { () async throws -> Void in
            let t = clock.now().timeIntervalSince(scenario.start)
            guard t == t.rounded() else { return }
            let second = Int(t)
            for gateway in gateways {
                if second % reportEvery == 0 { try await gateway.report() } else { try await gateway.barrier() }
            }
            for nvr in stepping { try await nvr.step() }
        }
        try await others()

        let flightID = try await coordinator.launch(
            plan, mission: loaded.mission, site: loaded.site, siteFile: loaded.siteFile, device: scenario.drone.id)
        let client = try LinkClient(context: context, endpoint: endpoint, identity: scenario.drone.id, logger: logger)
        clients.append(client)
        let drone = try SimulatedDrone(
            scenario: scenario, camera: loaded.mission.camera, hive: hive, crs: loaded.site.crs, clock: clock,
            link: client, logger: logger)
        drone.faults = scenario.faults
        drone.linkCut = scenario.linkCut
        drone.reserve = scenario.drone.reserve
        drone.gpsHoldLimit = scenario.drone.gpsHold
        drone.afterStep = others
        let flown = try await drone.run()
        for client in clients { client.close() }
        for nvr in nvrs { nvr.close() }
        server.close()
        await service.value
        var lines = await watcher.value
        lines.append("telemetry \(try store.telemetryCount(flightID: flightID))")
        lines.append("readings \(try store.readingCount())")
        var detections = 0
        for nvr in cameras?.nvrs ?? [] {
            detections += try store.detections(device: nvr, from: scenario.start, to: clock.now()).count
        }
        lines.append("camera-detections \(detections)")
        for alert in try store.alerts().sorted(by: { $0.id < $1.id }) {
            lines.append(EventLog.line(alert) + " sources=" + alert.sources.keys.sorted().joined(separator: ","))
        }
        return Result(
            lines: lines, simulated: flown.duration, wallSeconds: (ContinuousClock.now - began).seconds,
            database: database, sensors: nil)
    }
}
