import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/robot-low-night.yaml`: the day simulation's first two hours with robot-1 starting
/// at a fifth of its charge. The 00:00 basement round cannot leave in its 20 minutes, so the
/// coordinator moves it to the time its charging model says robot-1 holds the round and its
/// reserve, and the simulated robot walks it then, every checkpoint reached; the 01:00 round,
/// short again after it, waits within its window for the charge and is walked too. (The
/// simulated robot reports its battery when it connects, and as it charges.)
struct DayRobotReplanTests {
    @Test(.timeLimit(.minutes(3)))
    func aRoundTheRobotCannotChargeForInItsWindowIsWalkedLaterThatHour() async throws {
        let run = try await DayRun(
            scenarioFile: TestKit.file("simulators/robot-low-night.yaml"),
            outputDirectory: TestKit.temporaryDirectory("patrol-day-robot-replan"),
            logger: DaySimulationTests.logger()
        ).run()
        let rounds = run.sorties.filter { $0.missionID == "basement-round" }
        #expect(rounds.count == 2)
        let round = try #require(rounds.first)
        #expect(round.vehicle == "robot-1")
        #expect(round.state == .landed, "\(round.reason ?? "")")
        let launched = try #require(round.launchedAt)
        // Past its window (00:20), before the 01:00 round.
        #expect(launched > run.scenario.start.addingTimeInterval(20 * 60), "\(launched)")
        #expect(launched < run.scenario.start.addingTimeInterval(3600), "\(launched)")
        let store = try PatrolStore(path: run.database.path)
        let record = try #require(try store.robotRound(round.id))
        #expect(record.checkpoints.count == 6 && record.checkpoints.allSatisfy { $0.reachedAt != nil })
        // The event log says when and why it was moved.
        let moved = try #require(run.lines.first { $0.hasPrefix("sortie \(round.id) queued robot-1") })
        #expect(moved.contains(" moved to 00:2"), "\(moved)")
        #expect(moved.contains("on robot-1 (the earliest it is free, charged"), "\(moved)")
        #expect(moved.contains("robot-1 battery"), "\(moved)")
        #expect(try #require(round.requestToLaunch) > 20 * 60)
        // The move did not hold robot-1's charge back for the 01:00 round: that one waits in its
        // own window for the charge, and is walked too.
        let next = try #require(rounds.last)
        #expect(next.state == .landed, "\(next.reason ?? "")")
        let wait = try #require(next.requestToLaunch)
        #expect(wait > 0 && wait < 20 * 60, "\(wait)")
        #expect(run.devices.rounds["robot-1"] == 2)
    }
}
