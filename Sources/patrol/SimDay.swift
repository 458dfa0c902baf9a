import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolSim
import PatrolStore
import Synchronization

/// A day of scheduled patrols flown by simulated drones against the real coordinator: the day
/// is scheduled as `patrol schedule` does, applied to the coordinator's sortie layer, and flown
/// by the fleet's drones in lockstep on a virtual clock; smoke alarms ask for urgent
/// verification sorties. The canonical event log is the coordinator's events, then every
/// sortie's outcome, then the alerts.
struct DayRun {
    var scenarioFile: URL
    var outputDirectory: URL
    var logger: Logger
    /// Simulated hours, instead of the scenario's `duration_h` (tests fly part of the day).
    var hours: Double?
    /// Seconds after midnight to begin at, instead of the scenario's `begin`.
    var from: Double?

    struct Result {
        var lines: [String]
        var simulated: TimeInterval
        var wallSeconds: Double
        var database: URL
        var sorties: [SortieStatus]
        var devices: DaySimulation.Summary
        var scenario: DayScenario
    }

    func run() async throws -> Result {
        let began = ContinuousClock.now
        var scenario = try DayScenario.load(from: scenarioFile)
        if let hours { scenario.duration = hours * 3600 }
        if let from { scenario.begin = from }
        let fleet = try Fleet.load(from: scenario.fleetFile)
        var missions: [LoadedMission] = []
        var tasks: [PatrolTask] = []
        // Robot rounds (`kind: robot_round`) go to the fleet's robots.
        var rounds: [RobotRoundTask] = []
        var roundFile: URL?
        for file in scenario.missionFiles {
            let loaded = try Mission.load(from: file)
            guard loaded.mission.schedule != nil else {
                throw DemoRun.Failure(description: "\(file.path): mission `\(loaded.mission.id)` has no schedule")
            }
            missions.append(loaded)
            if let round = try RobotRoundTask(mission: loaded.mission, site: loaded.site) {
                rounds.append(round)
                roundFile = roundFile ?? file
                continue
            }
            let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
            tasks.append(PatrolTask(mission: loaded.mission, plan: plan)!)
        }
        guard let flown = missions.first(where: { if case .robotRound = $0.mission.kind { false } else { true } })
        else {
            throw DemoRun.Failure(description: "\(scenarioFile.path): a day needs at least one drone patrol")
        }
        let site = flown.site
        let positions = try ScheduleProblem.hivePositions(of: fleet, site: site)
        let outages = scenario.onlineFrom.sorted(by: { $0.key < $1.key }).map {
            Outage(subject: $0.key, from: 0, to: $0.value, reason: "in maintenance")
        }
        let problem = ScheduleProblem(fleet: fleet, hivePositions: positions, patrols: tasks, outages: outages)
        var schedule = Scheduler.schedule(problem)
        // A run that begins later in the day flies what is due from then on.
        schedule.sorties.removeAll { $0.start < scenario.begin }
        var robotSchedule = RobotScheduler.schedule(rounds, robots: fleet.robots)
        robotSchedule.sorties.removeAll { $0.start < scenario.begin || $0.start >= scenario.begin + scenario.duration }

        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let database = outputDirectory.appendingPathComponent("patrol.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        let store = try PatrolStore(path: database.path)
        let clock = VirtualClock(start: scenario.start.addingTimeInterval(scenario.begin))
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(
            context: context, endpoint: "inproc://patrol-day-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        defer { server.close() }
        // Liveness and launches are driven by the simulation's steps, not by real time.
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(
                telemetryRate: scenario.telemetryRate, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let service = Task { await coordinator.run() }
        let watcher = EventLog.collect(coordinator)
        await coordinator.configureSorties(SortieFleet(fleet: fleet, hivePositions: positions))
        await coordinator.configureDiversion(DiversionPolicy(enabled: scenario.divert, look: scenario.look))
        _ = await coordinator.applyDay(
            schedule, problem: problem, midnight: scenario.start, missions: missions.map(\.mission), site: site,
            siteFile: flown.siteFile)
        _ = await coordinator.apply(
            robotSchedule, midnight: scenario.start, missions: missions.map(\.mission), site: site,
            siteFile: flown.siteFile)

        var alarms = scenario.alarms.filter { $0.time >= scenario.begin }.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        let base = flown.mission
        let simulation = DaySimulation(
            scenario: scenario, fleet: fleet, site: site, camera: base.camera, logger: logger,
            robotMission: rounds.isEmpty ? nil : roundFile)
        let devices = try await simulation.run(
            context: context, endpoint: server.endpoint, clock: clock,
            beforeStep: { now in
                var changed = false
                while let alarm = alarms.first, scenario.start.addingTimeInterval(alarm.time) <= now {
                    alarms.removeFirst()
                    changed = true
                    _ = await coordinator.request(
                        SortieRequest(
                            mission: Self.verification(alarm, base: base), site: site, siteFile: flown.siteFile,
                            priority: 10, origin: .urgent, target: alarm.position))
                }
                return await coordinator.runSorties() || changed
            },
            // A re-plan solved off the coordinator's actor is applied before the clock moves on.
            settle: { await coordinator.settled() })
        // The last step's re-plan, if any.
        await coordinator.settled()
        let sorties = await coordinator.sorties()
        server.close()
        await service.value
        var lines = await watcher.value
        for s in sorties {
            lines.append(
                String(
                    format: "sortie %@ %@ %@ %@ from=%d reached=%d launch=%@ wait=%@%@", s.id, s.origin.rawValue,
                    s.state.rawValue, s.vehicle ?? "-", s.resumeFrom, s.lastWaypoint ?? -1,
                    s.launchedAt.map { "\(EventLog.ms($0))" } ?? "-",
                    s.requestToLaunch.map { String(format: "%.1fs", $0) } ?? "-",
                    s.reason.map { " (\($0))" } ?? "") + (s.choice.map(Self.describe) ?? ""))
        }
        lines.append("telemetry \(try store.telemetryCount())")
        for alert in try store.alerts().sorted(by: { $0.id < $1.id }) { lines.append(EventLog.line(alert)) }
        return Result(
            lines: lines, simulated: devices.simulated, wallSeconds: (ContinuousClock.now - began).seconds,
            database: database, sorties: sorties, devices: devices, scenario: scenario)
    }

    /// How an urgent sortie's drone was chosen, for its line in the log.
    static func describe(_ choice: UrgentChoice) -> String {
        func estimate(_ e: VerificationEstimate) -> String {
            String(format: "%@ %@ %.1fs", e.drone, e.kind.rawValue, e.toOverhead)
        }
        var text = " chose=" + estimate(choice.chosen)
        if let overhead = choice.overheadAfter { text += String(format: " overhead=%.1fs", overhead) }
        if !choice.alternatives.isEmpty {
            text += " others=" + choice.alternatives.map(estimate).joined(separator: ", ")
        }
        if !choice.excluded.isEmpty { text += " excluded=" + choice.excluded.joined(separator: "; ") }
        return text
    }

    /// A verification mission for a smoke alarm: a sweep of the 100 m square around it at 50 m,
    /// from the base mission's hive with its camera.
    static func verification(_ alarm: DayScenario.Alarm, base: Mission) -> Mission {
        VerificationTemplate.sweep(
            id: "verify-\(alarm.id)", name: "Verify alarm \(alarm.id)", around: alarm.position, halfSide: 50, base: base
        )
    }
}
