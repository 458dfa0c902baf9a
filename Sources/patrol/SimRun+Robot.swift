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
    /// Runs a robot scenario: the round is planned on the site's path graph, the coordinator
    /// launches it to a simulated robot connected over a real ZeroMQ socket, and the robot walks
    /// it on the virtual clock, then docks and charges. The round's report is written on docking.
    func runRobot() async throws -> Result {
        let began = ContinuousClock.now
        let scenario = try RobotScenario.load(from: scenarioFile)
        let loaded = try Mission.load(from: scenario.missionFile)
        guard case .robotRound(let spec) = loaded.mission.kind else {
            throw CLIFailure(description: "\(scenario.missionFile.path): not a robot round (kind: robot_round)")
        }
        let plan = try RobotRoundPlanner.plan(loaded.mission, site: loaded.site)
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
        let flightID = try await coordinator.launchRound(
            plan, mission: loaded.mission, site: loaded.site, siteFile: loaded.siteFile, device: scenario.robot.id)
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: scenario.robot.id, logger: logger)
        defer { client.close() }
        let robot = try SimulatedRobot(
            scenario: scenario, site: loaded.site, station: spec.station, clock: clock, link: client, logger: logger)
        let summary = try await robot.run()
        client.close()
        server.close()
        await service.value
        var lines = await watcher.value
        lines.append("telemetry \(try store.telemetryCount(flightID: flightID))")
        lines.append("readings \(try store.readingCount())")
        for spoken in summary.spoken {
            lines.append("spoken \(scenario.robot.id) \(EventLog.ms(spoken.time)) \(spoken.commandID) \(spoken.text)")
        }
        if let round = try store.robotRound(flightID) {
            let reached = round.checkpoints.filter { $0.reachedAt != nil }
            lines.append(
                "round \(flightID) reached \(reached.count)/\(round.checkpoints.count) missed "
                    + round.checkpoints.filter { $0.reachedAt == nil }.map(\.name).joined(separator: ","))
        }
        lines.append(String(format: "battery dock %.4f end %.4f", summary.batteryAtDock, summary.batteryRemaining))
        for alert in try store.alerts().sorted(by: { $0.id < $1.id }) { lines.append(EventLog.line(alert)) }
        var result = Result(
            lines: lines, simulated: clock.now().timeIntervalSince(scenario.start),
            wallSeconds: (ContinuousClock.now - began).seconds, database: database, sensors: nil)
        result.robot = summary
        return result
    }
}

extension Patrol.Sim {
    /// What a simulated robot did, for people.
    static func printRobot(_ robot: SimulatedRobot.Summary) {
        print(
            String(
                format: "robot    %d checkpoints in %.0f s, %d readings, %d detections, battery %.0f%% at dock, "
                    + "%.0f%% after charging", robot.checkpoints.count, robot.duration, robot.readingsSent,
                robot.detectionsSent, robot.batteryAtDock * 100, robot.batteryRemaining * 100))
        if !robot.detours.isEmpty { print("robot    went around blocked \(robot.detours.joined(separator: ", "))") }
        for spoken in robot.spoken { print("spoken   \(spoken.time.formatted(.iso8601)) \(spoken.text)") }
    }
}
