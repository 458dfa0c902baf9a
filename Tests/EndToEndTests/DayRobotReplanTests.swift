import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// The day simulation with robot-1 starting the night at a fifth of its charge: the 00:00
/// basement round cannot leave in its 20 minutes, so the coordinator moves it to the time its
/// charging model says robot-1 holds the round and its reserve, and the simulated robot walks it
/// then, every checkpoint reached. (The simulated robot reports its battery when it connects.)
struct DayRobotReplanTests {
    @Test(.timeLimit(.minutes(3)))
    func aRoundTheRobotCannotChargeForInItsWindowIsWalkedLaterThatHour() async throws {
        let folder = TestKit.temporaryDirectory("patrol-day-robot-replan")
        let root = TestKit.repositoryRoot.path + "/"
        let text =
            try String(contentsOf: TestKit.file("simulators/day-24h.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "../", with: root)
            + "robot_battery:\n  - { robot: robot-1, battery: 0.2 }\n"
        let scenario = try TestKit.write(text, to: "day.yaml", in: folder)
        let run = try await DayRun(
            scenarioFile: scenario, outputDirectory: folder.appendingPathComponent("out"),
            logger: DaySimulationTests.logger(), hours: 1
        ).run()
        let round = try #require(run.sorties.first { $0.missionID == "basement-round" })
        #expect(round.vehicle == "robot-1")
        #expect(round.state == .landed, "\(round.reason ?? "")")
        let launched = try #require(round.launchedAt)
        // Past its window (00:20), before the 01:00 round.
        #expect(launched > run.scenario.start.addingTimeInterval(20 * 60), "\(launched)")
        #expect(launched < run.scenario.start.addingTimeInterval(3600), "\(launched)")
        #expect(run.devices.rounds["robot-1"] == 1)
        let store = try PatrolStore(path: run.database.path)
        let record = try #require(try store.robotRound(round.id))
        #expect(record.checkpoints.count == 6 && record.checkpoints.allSatisfy { $0.reachedAt != nil })
        // The event log says when and why it was moved (robot-1 reports its battery as it charges,
        // so the model starts from its last report).
        let moved = try #require(run.lines.first { $0.hasPrefix("sortie \(round.id) queued robot-1") })
        #expect(moved.contains(" moved to 00:2"), "\(moved)")
        #expect(moved.contains("on robot-1 (the earliest it is free, charged"), "\(moved)")
        #expect(moved.contains("robot-1 battery"), "\(moved)")
        #expect(try #require(round.requestToLaunch) > 20 * 60)
    }
}
