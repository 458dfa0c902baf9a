import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolReports
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `simulators/robot-gas-leak.yaml`: the ground robot on its basement round, over the wire,
/// finds an H2S leak at the B1 pump room. Its readings over threshold must open one gas incident
/// within minutes, the robot must be told to warn people aloud (and say it), every checkpoint
/// must be reached despite a blocked lane, and the round must be in its report and the day's.
@Suite(.serialized)
struct RobotGasLeakTests {
    static let scenarioFile = TestKit.file("simulators/robot-gas-leak.yaml")

    static func simulate(_ scenario: URL = scenarioFile, out: URL = TestKit.temporaryDirectory("robot-sim"))
        async throws
        -> SimRun.Result
    {
        var logger = Logger(label: "sim")
        logger.logLevel = .critical
        let run = SimRun(
            scenarioFile: scenario, outputDirectory: out, siteDirectory: TestKit.file("geo/mumianling"),
            logger: logger)
        return try await run.run()
    }

    @Test(.timeLimit(.minutes(3)))
    func theLeakBecomesAGasIncidentTheRobotWarnsAloudAndEveryCheckpointIsReached() async throws {
        let out = TestKit.temporaryDirectory("robot-sim")
        let result = try await Self.simulate(out: out)
        let scenario = try RobotScenario.load(from: Self.scenarioFile)
        let store = try PatrolStore(path: result.database.path)
        let robot = try #require(result.robot)

        let gas = try store.alerts().filter { $0.kind == .gas }
        #expect(gas.count == 1, "one incident for the whole leak: \(gas.map(\.id))")
        let incident = try #require(gas.first)
        #expect(incident.firstSeen.timeIntervalSince(scenario.start) <= 10 * 60, "within 10 simulated minutes")
        #expect(incident.observations > 1, "later readings over threshold join the same incident")

        // Told to speak, recorded with its text, carried out by the robot.
        let spoken = try #require(robot.spoken.first)
        #expect(spoken.text.contains("hydrogen sulphide"))
        #expect(spoken.time.timeIntervalSince(incident.firstSeen) < 1, "warned as soon as the incident opened")
        #expect(robot.spoken.count == 1, "not repeated for every reading over threshold")
        let flightID = try #require(robot.flightID)
        let warnings = try store.spokenWarnings(
            device: "robot-1", from: scenario.start, to: scenario.start.addingTimeInterval(86_400))
        #expect(warnings.map(\.text) == [spoken.text])
        #expect(warnings.first?.accepted == true)
        #expect(result.lines.contains { $0.hasPrefix("speak robot-1 ") })

        // Every checkpoint, despite the pallet: it went around.
        let round = try #require(try store.robotRound(flightID))
        #expect(round.checkpoints.count == 6)
        #expect(round.checkpoints.allSatisfy { $0.reachedAt != nil }, "\(round.checkpoints)")
        #expect(robot.detours == ["b1-pump-room--b1-garage-e"])
        #expect(try store.flight(flightID)?.status == .completed)

        // The camera's findings are incidents too; the battery went down and charged back up.
        let kinds = Set(try store.alerts().map(\.kind))
        #expect(kinds.isSuperset(of: [.gas, .garbage, .corridorClutter, .personFallen]))
        #expect(robot.batteryAtDock < scenario.robot.batteryStart)
        #expect(robot.batteryRemaining > robot.batteryAtDock)
        #expect(!result.lines.contains { $0.hasPrefix("lost ") || $0.hasPrefix("device-error") })

        // The round's report was written on docking, from the record.
        let html = try String(
            contentsOf: out.appendingPathComponent("round-\(flightID).html"), encoding: .utf8)
        #expect(html.contains("6 of 6"))
        #expect(html.contains("href=\"#alert-\(incident.id)\""), "the gas readings link to their incident")
        #expect(html.contains(spoken.text))
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("round-\(flightID).json"))) as? [String: Any]
        #expect(summary?["checkpointsReached"] as? Int == 6)

        // The same from the record alone, as `patrol report ROUND` rebuilds it.
        let rebuilt = try RoundReport.render(store.roundReportInput(flightID: flightID))
        #expect(rebuilt.html == html)

        // The day's report has the round, next to flights.
        let day = try DailyReport.render(store.dailyReportInput(day: "2026-11-25"))
        let summaryRound = try #require(day.summary.robotRounds.first)
        #expect(summaryRound.checkpointsReached == 6)
        #expect(summaryRound.alerts.contains(incident.id))
        #expect(day.summary.rounds.contains { $0.kind == .robotRound && $0.views > 0 })
        #expect(day.html.contains("Robot rounds"))
    }

    @Test(.timeLimit(.minutes(3)))
    func twoRunsGiveTheSameLogHash() async throws {
        let first = try await Self.simulate()
        let second = try await Self.simulate()
        #expect(first.lines == second.lines)
        #expect(first.hash == second.hash)
    }

    @Test(.timeLimit(.minutes(3)))
    func aRobotThatCannotGetAroundABlockSkipsTheCheckpointAndTheReportSaysItWasMissed() async throws {
        // Both ways into the west garage blocked: its checkpoint cannot be reached.
        let text = try String(contentsOf: Self.scenarioFile, encoding: .utf8)
            .replacingOccurrences(
                of: "../missions/basement-round.yaml", with: TestKit.file("missions/basement-round.yaml").path
            )
            .replacingOccurrences(
                of: "  - edge: b1-pump-room--b1-garage-e",
                with:
                    "  - edge: b1-T07--b1-garage-w\n  - edge: b1-garage-w--b1-pump-room\n  - edge: b1-pump-room--b1-garage-e"
            )
        let directory = TestKit.temporaryDirectory("robot-blocked")
        let file = try TestKit.write(text, to: "blocked.yaml", in: directory)
        let result = try await Self.simulate(file, out: directory)
        let robot = try #require(result.robot)
        let store = try PatrolStore(path: result.database.path)
        let flightID = try #require(robot.flightID)
        let round = try #require(try store.robotRound(flightID))
        #expect(round.checkpoints.filter { $0.reachedAt == nil }.map(\.name) == ["b1-garage-w"])
        #expect(result.lines.contains { $0.hasPrefix("round ") && $0.hasSuffix("missed b1-garage-w") })
        let html = try String(
            contentsOf: directory.appendingPathComponent("round-\(round.flightID).html"), encoding: .utf8)
        #expect(html.contains("5 of 6"))
        #expect(html.contains("missed"))
    }

    @Test func aBadScenarioIsRefusedWithItsLineAndField() throws {
        let directory = TestKit.temporaryDirectory("robot-bad")
        let file = try TestKit.write(
            """
            id: bad
            mission: ../missions/basement-round.yaml
            start: 2026-11-25T22:00:00+08:00
            robot:
              id: robot-1
            gas:
              - {id: leak, kind: chlorine, lon: 114.1, lat: 22.5, start_min: 0, peak_ppm: 10}
            """, to: "bad.yaml", in: directory)
        #expect(throws: LoadError.self) { try RobotScenario.load(from: file) }
        do {
            _ = try RobotScenario.load(from: file)
        } catch {
            #expect(error.description.contains("bad.yaml:7"), "\(error)")
            #expect(error.description.contains("gas[0].kind"), "\(error)")
            #expect(error.description.contains("unknown gas `chlorine`"), "\(error)")
        }
        #expect(RobotScenario.describesRobot(file))
        #expect(!RobotScenario.describesRobot(TestKit.file("simulators/basement-co.yaml")))
    }

    @Test(.timeLimit(.minutes(3)))
    func theReportCommandRebuildsTheRoundAndExportsItsTrack() async throws {
        let out = TestKit.temporaryDirectory("robot-cli")
        let sim = try await CommandLineTests.run(["sim", "simulators/robot-gas-leak.yaml", "--out", out.path])
        #expect(sim.status == 0, "\(sim.stderr)")
        #expect(sim.stdout.contains("spoken "))
        #expect(sim.stdout.contains("hash     fnv1a64:"))
        let db = out.appendingPathComponent("patrol.sqlite").path
        let list = try await CommandLineTests.run(["report", "--list", "--db", db])
        let id = try #require(list.stdout.split(separator: " ").first.map(String.init))
        let report = try await CommandLineTests.run(
            ["report", id, "--db", db, "--out", out.appendingPathComponent("again").path, "--csv", "--track-geojson"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("6 of 6 checkpoints reached"))
        let csv = try String(
            contentsOf: out.appendingPathComponent("again/round-\(id)-track.csv"), encoding: .utf8)
        #expect(csv.hasPrefix(TrackExport.csvHeader))
        #expect(csv.split(separator: "\n").count > 1000)
        let geojson = try Data(contentsOf: out.appendingPathComponent("again/round-\(id).geojson"))
        let features = try GeoJSON.features(from: geojson, file: "round.geojson")
        #expect(features.filter { $0.properties["layer"]?.string == "checkpoint" }.count == 6)
        let day = try await CommandLineTests.run(["report", "--day", "2026-11-25", "--db", db, "--out", out.path])
        #expect(day.status == 0, "\(day.stderr)")
        #expect(day.stdout.contains("robot    \(id): 6 of 6 checkpoints"))
    }
}
