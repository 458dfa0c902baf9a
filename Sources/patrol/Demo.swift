import ArgumentParser
import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolReports
import PatrolSim

extension Patrol {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fly a simulated patrol end to end and write its report.",
            discussion: """
                Plans the scenario's mission, starts the coordinator on a real ZeroMQ socket, connects a simulated \
                hive drone to it, flies the patrol on a virtual clock (faster than real time, deterministic from \
                the scenario's seed), records everything in SQLite and writes the coverage report.
                """)

        @Option(help: "The scenario file (default: simulators/hill-fire.yaml).")
        var scenario: String?

        @Option(help: "Where the database and the report go.")
        var out: String = "patrol-out"

        @Option(help: "The coordinator's ZeroMQ endpoint (tcp://127.0.0.1:* picks a free port; ipc:// works too).")
        var endpoint: String = "tcp://127.0.0.1:*"

        @Flag(help: "Log every message exchange.")
        var verbose = false

        func run() async throws {
            var logger = Logger(label: "patrol")
            logger.logLevel = verbose ? .debug : .warning
            let run = DemoRun(
                scenarioFile: scenario.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.defaultScenario,
                outputDirectory: URL(fileURLWithPath: out), endpoint: endpoint, logger: logger)
            let result: DemoRun.Result
            do {
                result = try await run.run { event in
                    switch event {
                    case .deviceRegistered(let device): print("link     \(device) connected")
                    case .missionAccepted(let id): print("mission  uploaded and acknowledged for flight \(id)")
                    case .missionRefused(let id, let reason): print("mission  refused for flight \(id): \(reason)")
                    case .flightStarted: print("flight   started")
                    case .alertOpened(let a):
                        print(
                            String(
                                format: "alert    %@ %@ at %.6f, %.6f (confidence %.2f)", a.id, a.kind.rawValue,
                                a.position.lon, a.position.lat, a.confidence))
                    case .flightEnded(let f, _): print("flight   \(f.status.rawValue)")
                    case .deviceError(let device, let message): print("device   \(device ?? "?") error: \(message)")
                    case .deviceLost(let device, _, _, let lostAt): print("link     \(device) lost at \(lostAt)")
                    case .deviceResumed(let device, _): print("link     \(device) back")
                    case .actuatorCommanded(let device, let actuator, let on, _):
                        print("actuator \(device)/\(actuator) \(on ? "on" : "off")")
                    case .commandAnswered, .checkpointReached, .speakCommanded, .sortieChanged, .verificationRequested,
                        .overwatchRequested, .partyNotified, .missionUploaded, .alertUpdated, .alertConfirmed,
                        .flightEvent,
                        .telemetry, .dayReplanned:
                        break
                    }
                }
            } catch { throw fail(error) }
            let r = result
            print("")
            print(
                "scenario \(r.scenario.id) (seed \(r.scenario.seed)): \(r.plan.sweepLines.count) sweep lines, \(r.plan.route.waypoints.count) waypoints"
            )
            print(
                String(
                    format:
                        "flown    %.1f min of virtual time in %.1f s of wall time; %d telemetry rows; battery left %.0f%%",
                    r.drone.duration / 60, r.wallSeconds, r.telemetryRows, r.drone.batteryRemaining * 100))
            if let json = r.reportFiles.first(where: { $0.pathExtension == "json" }),
                let data = try? Data(contentsOf: json),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let coverage = (object["coverage"] as? [String: Any])?["percent"] as? Double
            {
                print(String(format: "coverage %.1f %% of the planned area seen by the camera", coverage))
            }
            print(
                "alerts   \(r.alerts.count): "
                    + r.alerts.map { "\($0.id) \($0.kind.rawValue) (\($0.observations) sightings)" }.joined(
                        separator: ", "))
            if let reason = r.drone.launchRefused { print("launch   refused: \(reason)") }
            if let landing = r.drone.landing {
                print(
                    String(
                        format: "hive     %@: %d statuses; landed %.2f m from the pad's centre (%d touch-down%@), %@",
                        r.hive.id, r.hive.statusesSent, landing.offset, landing.attempts,
                        landing.attempts == 1 ? "" : "s", landing.docked ? "docked and charging" : "not docked"))
            }
            for file in r.reportFiles { print("report   \(file.path)") }
            print("database \(r.database.path)   (list alerts: patrol alerts --db \(r.database.path))")
        }
    }
}
