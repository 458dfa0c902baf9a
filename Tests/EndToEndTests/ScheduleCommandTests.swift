import Foundation
import PatrolTestKit
import Testing

/// `patrol schedule` run as a real process.
@Suite(.serialized)
struct ScheduleCommandTests {
    /// The runner of ``CommandLineTests``: the built binary, from the repository root.
    let cli = CommandLineTests()

    @Test func schedulesTheDefaultDayAndWritesJSON() async throws {
        let json = TestKit.temporaryDirectory("patrol-schedule").appendingPathComponent("day.json")
        let r = try await cli.patrol("schedule", "--day", "2026-11-26", "--json", json.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("vehicle     hive      start  end    mission"))
        #expect(r.stdout.contains("drone-1     hive-1    06:00  06:21  hill-fire-patrol"))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let sorties = try #require(document?["sorties"] as? [[String: Any]])
        #expect(sorties.filter { $0["mission"] as? String == "hill-fire-patrol" }.count == 9)
        #expect(sorties.first?["start"] as? String == "2026-11-26T00:30:00+08:00")
    }

    @Test func robotRoundsAreScheduledNextToTheDrones() async throws {
        let json = TestKit.temporaryDirectory("patrol-schedule").appendingPathComponent("day.json")
        let r = try await cli.patrol(
            "schedule", "--day", "2026-11-26", "--json", json.path, "missions/hill-fire-patrol.yaml",
            "missions/basement-round.yaml")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("robot       station   start  end    mission"), "\(r.stdout)")
        #expect(r.stdout.contains("robot-1     station-1 22:00  "))
        #expect(r.stdout.contains("T07-lobby--b1-T07 "))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let robots = try #require(document?["robot_sorties"] as? [[String: Any]])
        #expect(robots.count == 8 && robots.allSatisfy { $0["mission"] as? String == "basement-round" })
        #expect((robots.first?["narrow_edges"] as? [[String: Any]])?.isEmpty == false)
        let sorties = try #require(document?["sorties"] as? [[String: Any]])
        #expect(sorties.count == 9)

        let out = try await cli.patrol(
            "schedule", "--day", "2026-11-26", "--outage", "station-1@23:00", "missions/basement-round.yaml")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("23:00  basement-round        6         offline: `station-1`: out of service"))
    }

    @Test func anOutageListsTheOccurrencesThatCannotFlyWithTheirReason() async throws {
        let r = try await cli.patrol(
            "schedule", "--day", "2026-11-26", "--outage", "hive-1@12:00", "missions/hill-fire-patrol.yaml")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 sortie(s), 6 unscheduled"))
        #expect(r.stdout.contains("12:00  hill-fire-patrol      8         offline: hive-1 out of service from 12:00"))
    }

    @Test func badOperatorInputIsRefused() async throws {
        let day = try await cli.patrol("schedule", "--day", "2026-02-30")
        #expect(day.status != 0 && day.stderr.contains("--day `2026-02-30` is not a date"))
        let outage = try await cli.patrol("schedule", "--day", "2026-11-26", "--outage", "hive-1")
        #expect(outage.status != 0 && outage.stderr.contains("ID@HH:MM"))
        let unknown = try await cli.patrol("schedule", "--day", "2026-11-26", "--outage", "hive-7@12:00")
        #expect(
            unknown.status != 0 && unknown.stderr.contains("no hive, drone, robot or station `hive-7`"),
            "\(unknown.stderr)")
        let dir = TestKit.temporaryDirectory("patrol-schedule")
        let fleet = try String(contentsOf: TestKit.file("geo/mumianling/fleet.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "site: site.yaml", with: "site: \(TestKit.file("geo/mumianling/site.yaml").path)")
            .replacingOccurrences(of: "reserve: 0.25", with: "reserve: 2")
        let file = try TestKit.write(fleet, to: "fleet.yaml", in: dir)
        let bad = try await cli.patrol("schedule", "--day", "2026-11-26", "--fleet", file.path)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("fleet.yaml:21:14: drones[0].reserve: 2.0 is out of range"), "\(bad.stderr)")
    }
}
