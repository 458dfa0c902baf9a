import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// A drone whose battery fails mid-mission turns back on its own; the coordinator cuts its
/// sortie short where it stopped following the route and another drone flies the rest.
@Suite(.serialized)
struct TurnBackTests {
    @Test(.timeLimit(.minutes(5)))
    func aFailingBatteryCutsTheSortieShortAndTheRestIsFlownByTheOtherDrone() async throws {
        var logger = Logger(label: "turn-back")
        logger.logLevel = .error
        let run = try await DayRun(
            scenarioFile: TestKit.file("simulators/battery-failure-day.yaml"),
            outputDirectory: TestKit.temporaryDirectory("patrol-day-bf"), logger: logger
        ).run()

        let cut = try #require(run.sorties.first { $0.state == .cutShort })
        #expect(cut.vehicle == "drone-1")
        #expect(cut.reason?.hasPrefix("drone-1 turned back on its own (battery") == true, "\(cut.reason ?? "")")
        let reached = try #require(cut.lastWaypoint)
        #expect(reached > 0)
        let rest = try #require(run.sorties.first { $0.id == cut.continuedBy })
        #expect(rest.vehicle == "drone-2")
        #expect(rest.resumeFrom == reached)
        #expect(rest.state == .landed)
        #expect(rest.progress == 1)

        // The failsafe said why, and the drone came home.
        let events = try PatrolStore(path: run.database.path).events(flightID: cut.id)
        #expect(events.contains { $0.kind == "failsafe" && ($0.detail ?? "").contains("returning to hive") })
        #expect(events.contains { $0.kind == "landed" })
    }
}
