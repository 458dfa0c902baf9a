import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// The day simulation runs the robots' rounds of the day's schedule too: from midnight, the
/// basement round's 00:00 occurrence is sent to the simulated robot-1 at its station, walked,
/// and recorded with every checkpoint reached; the robot charges at its station afterwards.
struct DayRobotTests {
    @Test(.timeLimit(.minutes(3)))
    func theDaysRobotRoundIsSentAtItsTimeAndWalkedToTheEnd() async throws {
        let run = try await DayRun(
            scenarioFile: TestKit.file("simulators/day-24h.yaml"),
            outputDirectory: TestKit.temporaryDirectory("patrol-day-robot"), logger: DaySimulationTests.logger(),
            hours: 0.75
        ).run()
        let round = try #require(run.sorties.first { $0.missionID == "basement-round" })
        #expect(round.vehicle == "robot-1")
        #expect(round.state == .landed, "\(round.reason ?? "")")
        #expect(round.plannedLaunch == run.scenario.start)
        // Launched at the first step of the day (2.9 s: every device docked).
        #expect(try #require(round.requestToLaunch) < 3)
        #expect(run.devices.rounds["robot-1"] == 1)
        let store = try PatrolStore(path: run.database.path)
        let record = try #require(try store.robotRound(round.id))
        #expect(record.checkpoints.count == 6 && record.checkpoints.allSatisfy { $0.reachedAt != nil })
        #expect(run.lines.filter { $0.hasPrefix("checkpoint \(round.id) ") }.count == 6)
    }
}
