import Foundation
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/robot-link-loss.yaml`: the ground robot's radio drops mid-round. The coordinator
/// flags it lost within 5 s and back when it speaks again; the robot's failsafe stops it and
/// walks it home (or holds it), it says hello again and sends what it kept; the log is the same
/// run after run.
@Suite(.serialized)
struct RobotLinkLossTests {
    static let scenarioFile = TestKit.file("simulators/robot-link-loss.yaml")

    @Test(.timeLimit(.minutes(3)))
    func theCoordinatorFlagsTheRobotLostAndBackAndItsFailsafeSendsItHome() async throws {
        let scenario = try RobotScenario.load(from: Self.scenarioFile)
        let cut = try #require(scenario.faults.first)
        #expect(cut.kind == .linkDrop && scenario.linkLoss.action == .return)
        let result = try await RobotGasLeakTests.simulate(Self.scenarioFile)
        let robot = try #require(result.robot)
        let flightID = try #require(robot.flightID)
        let cutAt = scenario.start.addingTimeInterval(cut.at)

        // Lost under 5 s after the radio dropped (3 s of silence), back once it spoke again.
        let store = try PatrolStore(path: result.database.path)
        let events = try store.events(flightID: flightID)
        let lost = try #require(events.first { $0.kind == "link_lost" })
        let back = try #require(events.first { $0.kind == "link_resumed" })
        #expect(lost.time > cutAt && lost.time.timeIntervalSince(cutAt) < 5, "lost \(lost.time) after \(cutAt)")
        #expect(back.time >= cutAt.addingTimeInterval(cut.duration))
        #expect(result.lines.filter { $0.hasPrefix("lost robot-1 ") }.count == 1, "\(result.lines)")
        #expect(result.lines.filter { $0 == "resumed robot-1" }.count == 1, "\(result.lines)")

        // The failsafe acted after its 5 s without an echo, was reported after the reconnection,
        // and the robot went home: it docked with the round cut short.
        let failsafe = try #require(robot.failsafeAt)
        // Counted from the last echo, up to one tick (0.5 s) before the drop.
        #expect(failsafe.timeIntervalSince(cutAt) >= 4.5 - 1e-6 && failsafe < cutAt.addingTimeInterval(cut.duration))
        #expect(failsafe > lost.time, "the coordinator knew first")
        #expect(robot.reconnects == 1)
        #expect(robot.lostInLinkCut > 0)
        #expect(events.contains { $0.kind == "failsafe" && ($0.detail ?? "").contains("returning to the station") })
        #expect(events.last?.kind == "landed")
        let round = try #require(try store.robotRound(flightID))
        #expect(round.checkpoints.contains { $0.reachedAt == nil }, "the failsafe cut the round short")
        // What was measured during the drop was kept and delivered: nothing unacknowledged at the end.
        #expect(try store.readingCount() > 0)
    }

    @Test(.timeLimit(.minutes(3)))
    func holdingKeepsTheRobotUntilTheLinkIsBackThenTheRoundGoesOn() async throws {
        let text = try String(contentsOf: Self.scenarioFile, encoding: .utf8)
            .replacingOccurrences(
                of: "../missions/basement-round.yaml", with: TestKit.file("missions/basement-round.yaml").path
            )
            .replacingOccurrences(of: "action: return ", with: "action: hold   ")
        let directory = TestKit.temporaryDirectory("robot-hold")
        let file = try TestKit.write(text, to: "hold.yaml", in: directory)
        #expect(try RobotScenario.load(from: file).linkLoss.action == .hold)
        let result = try await RobotGasLeakTests.simulate(file, out: directory)
        let robot = try #require(result.robot)
        #expect(robot.failsafeAt != nil)
        let store = try PatrolStore(path: result.database.path)
        let flightID = try #require(robot.flightID)
        let events = try store.events(flightID: flightID)
        #expect(events.contains { $0.kind == "failsafe" && ($0.detail ?? "").contains("holding") })
        let round = try #require(try store.robotRound(flightID))
        #expect(round.checkpoints.allSatisfy { $0.reachedAt != nil }, "the round went on after the link came back")
    }

    @Test(.timeLimit(.minutes(3)))
    func aDropWhileDockedAndChargingIsWaitedOutWithoutAFailsafe() async throws {
        // The gas-leak round docks at about 2,500 s and charges for 10 minutes: drop the link at 2,700 s.
        let text =
            try String(contentsOf: RobotGasLeakTests.scenarioFile, encoding: .utf8)
            .replacingOccurrences(
                of: "../missions/basement-round.yaml", with: TestKit.file("missions/basement-round.yaml").path)
            + "faults:\n  - {kind: link_drop, device: robot-1, at_s: 2700, for_s: 60}\n"
        let directory = TestKit.temporaryDirectory("robot-docked-drop")
        let file = try TestKit.write(text, to: "docked.yaml", in: directory)
        let result = try await RobotGasLeakTests.simulate(file, out: directory)
        let robot = try #require(result.robot)
        #expect(robot.failsafeAt == nil, "docked, there is nothing to stop")
        #expect(robot.reconnects == 1)
        #expect(result.lines.filter { $0.hasPrefix("lost robot-1 ") }.count == 1, "\(result.lines)")
        #expect(result.lines.contains("resumed robot-1"))
        #expect(result.lines.contains { $0.hasPrefix("round ") && $0.contains("reached 6/6") }, "\(result.lines)")
    }

    @Test(.timeLimit(.minutes(3)))
    func twoRunsGiveTheSameLogHash() async throws {
        let first = try await RobotGasLeakTests.simulate(Self.scenarioFile)
        let second = try await RobotGasLeakTests.simulate(Self.scenarioFile)
        #expect(first.lines == second.lines)
        #expect(first.hash == second.hash)
    }

    @Test func aFaultOfAnotherDeviceOrKindIsRefused() throws {
        let directory = TestKit.temporaryDirectory("robot-bad-fault")
        let text = try String(contentsOf: Self.scenarioFile, encoding: .utf8)
            .replacingOccurrences(of: "kind: link_drop, device: robot-1", with: "kind: gps_loss, device: robot-1")
        let file = try TestKit.write(text, to: "bad.yaml", in: directory)
        #expect(throws: LoadError.self) { try RobotScenario.load(from: file) }
        do { _ = try RobotScenario.load(from: file) } catch {
            #expect("\(error)".contains("faults"), "\(error)")
        }
    }
}
