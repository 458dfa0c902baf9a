import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// The daily report's day is the site's local day (the fleet file's `time_zone`, Asia/Shanghai),
/// not the UTC day: a patrol at 06:00 local on the 26th flew at 22:00 UTC on the 25th.
@Suite(.serialized)
struct LocalDayTests {
    @Test func theDayIsMidnightToMidnightInTheSiteZone() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let day = try #require(PatrolStore.day("2026-11-26", timeZone: shanghai))
        #expect(day.start.formatted(.iso8601) == "2026-11-25T16:00:00Z")
        #expect(day.duration == 86_400)
        // Across a daylight-saving change the day is 23 hours long.
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(PatrolStore.day("2026-03-29", timeZone: berlin)?.duration == 82_800.0)
        #expect(PatrolStore.day("2026-02-30", timeZone: shanghai) == nil)
    }

    @Test(.timeLimit(.minutes(3)))
    func anEarlyMorningPatrolBelongsToTheLocalDay() async throws {
        let directory = TestKit.temporaryDirectory("patrol-local-day")
        let text = try String(contentsOf: TestKit.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "../missions/hill-fire-patrol.yaml", with: TestKit.defaultMission.path)
            .replacingOccurrences(of: "2026-11-25T10:00:00+08:00", with: "2026-11-26T06:00:00+08:00")
        let scenario = try TestKit.write(text, to: "early.yaml", in: directory)
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let result = try await DemoRun(
            scenarioFile: scenario, outputDirectory: directory.appendingPathComponent("out"), logger: logger
        ).run()
        #expect(result.flight.status == .completed)
        #expect(result.scenario.start.formatted(.iso8601) == "2026-11-25T22:00:00Z")

        let cli = CommandLineTests()
        let out = directory.appendingPathComponent("day")
        let local = try await cli.patrol(
            "report", "--day", "2026-11-26", "--db", result.database.path, "--out", out.path)
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout.contains("2026-11-26 (Asia/Shanghai)"), "\(local.stdout)")
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("day-2026-11-26.json")))
        let summary = try #require(json as? [String: Any])
        #expect((summary["rounds"] as? [Any])?.count == 1)
        #expect(summary["timeZone"] as? String == "Asia/Shanghai")
        #expect(summary["from"] as? String == "2026-11-25T16:00:00Z")

        // The UTC day of the flight is not its local day.
        let previous = try await cli.patrol("report", "--day", "2026-11-25", "--db", result.database.path)
        #expect(previous.status != 0 && previous.stderr.contains("no reportable flights"), "\(previous.stderr)")
        let utc = try await cli.patrol(
            "report", "--day", "2026-11-25", "--time-zone", "UTC", "--db", result.database.path, "--out", out.path)
        #expect(utc.status == 0, "\(utc.stderr)")
        let badZone = try await cli.patrol(
            "report", "--day", "2026-11-26", "--time-zone", "Mars/Olympus", "--db", result.database.path)
        #expect(badZone.status != 0 && badZone.stderr.contains("Mars/Olympus"), "\(badZone.stderr)")
    }
}
