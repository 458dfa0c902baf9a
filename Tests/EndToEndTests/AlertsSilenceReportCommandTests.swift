import Foundation
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// `patrol alerts silence …` and `patrol alerts report …` as an operator runs them.
@Suite(.serialized)
struct AlertsSilenceReportCommandTests {
    let db: String

    init() throws {
        db = TestKit.temporaryDirectory("patrol-alerts-cli").appendingPathComponent("patrol.sqlite").path
        _ = try PatrolStore(path: db)
    }

    func patrol(_ arguments: String...) async throws -> CommandLineTests.Outcome {
        try await CommandLineTests.run(arguments)
    }

    @Test func silencesAreAddedListedAndEnded() async throws {
        let added = try await patrol(
            "alerts", "silence", "add", "--db", db, "--class", "garbage", "--place", "T07", "--source", "hive-1",
            "--for", "2h", "--by", "ops-chen", "--reason", "hive 1 under service")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("silence-1: "))
        #expect(added.stdout.contains("garbage in T07 from hive-1; by ops-chen: hive 1 under service"))
        let listed = try await patrol("alerts", "silence", "list", "--db", db)
        #expect(listed.stdout.contains("silence-1        active   cli"), "\(listed.stdout)")
        #expect(listed.stdout.contains("hive-1-service-2026"), "the site's file is listed too")
        #expect(listed.stdout.contains("inhibit: a confirmed fire mutes smoke"))
        let ended = try await patrol("alerts", "silence", "end", "--db", db, "silence-1")
        #expect(ended.status == 0)
        #expect(try await patrol("alerts", "silence", "list", "--db", db).stdout.contains("silence-1        ended"))
        let store = try PatrolStore(path: db)
        #expect(try store.silences(activeAt: Date()).isEmpty)
    }

    @Test func aBadSilenceIsRefusedWithTheReason() async throws {
        let noReason = try await patrol(
            "alerts", "silence", "add", "--db", db, "--for", "30", "--by", "ops", "--reason", " ")
        #expect(noReason.status != 0)
        #expect(noReason.stderr.contains("--reason"))
        let badPlace = try await patrol(
            "alerts", "silence", "add", "--db", db, "--place", "T99", "--for", "30", "--by", "ops", "--reason", "x")
        #expect(badPlace.status != 0)
        #expect(badPlace.stderr.contains("no area or tower `T99`"))
    }

    @Test func aStewardsReportBecomesAnObservationOnce() async throws {
        let first = try await patrol(
            "alerts", "report", "--db", db, "--class", "garbage", "--building", "T7", "--floor", "12", "--by",
            "steward-wang", "bags left by the lift on 12")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("opened alert-1 (garbage T07 floor 12)"), "\(first.stdout)")
        let again = try await patrol(
            "alerts", "report", "--db", db, "--class", "garbage", "--building", "T07", "--floor", "12", "--by",
            "steward-wang", "bags left by the lift on 12")
        #expect(again.stdout.contains("already recorded"), "\(again.stdout)")
        let resident = try await patrol(
            "alerts", "report", "--db", db, "--class", "garbage", "--building", "T07", "--floor", "12", "--by",
            "resident-1203", "rubbish bags at the lift")
        #expect(resident.stdout.contains("joined alert-1, 2 observations, 2 sources"), "\(resident.stdout)")
        let store = try PatrolStore(path: db)
        let alert = try #require(try store.alert("alert-1"))
        #expect(alert.kind == .garbage)
        #expect(alert.confirmed)
        #expect(try store.deadline(alertID: "alert-1") != nil, "it escalates like any incident")
        #expect(try !store.notifications(alertID: "alert-1").isEmpty)
        let unknown = try await patrol(
            "alerts", "report", "--db", db, "--class", "garbage", "--building", "T99", "--by", "x", "y")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no tower `T99`"))
    }
}
