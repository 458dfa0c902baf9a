import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Synchronization
import Testing

@testable import patrol

/// The link cut mid-mission in a lockstep simulation: the coordinator flags the drone lost within
/// its heartbeat timeout, the drone's failsafe sends it home, and when the link is back the drone
/// says hello, resumes its session and lands, completing the same flight.
@Suite(.serialized)
struct LinkLossTests {
    @Test(.timeLimit(.minutes(3)))
    func cutMidMissionFlagsLostTriggersFailsafeAndResumes() async throws {
        let out = TestKit.temporaryDirectory("patrol-linkloss")
        var logger = Logger(label: "e2e")
        logger.logLevel = .error
        let cut = SimulatedDrone.LinkCut(after: 120, lasting: 12)
        let seen = Mutex<[CoordinatorEvent]>([])
        var run = DemoRun(scenarioFile: TestKit.defaultScenario, outputDirectory: out, logger: logger)
        run.linkCut = cut
        let result = try await run.run { event in seen.withLock { $0.append(event) } }

        // The flight went on after the loss and was completed on the same flight id.
        #expect(result.flight.status == .completed)
        let events = seen.withLock { $0 }
        let lost = events.compactMap { event -> (String, String?, Date, Date)? in
            if case .deviceLost(let device, let flight, let heard, let at) = event {
                (device, flight, heard, at)
            } else {
                nil
            }
        }
        let resumed = events.filter { if case .deviceResumed = $0 { true } else { false } }
        #expect(lost.count == 1)
        #expect(resumed.count == 1)
        let (device, flightID, heard, lostAt) = try #require(lost.first)
        #expect(device == result.scenario.drone.id)
        #expect(flightID == result.flight.id)
        // Lost 3 s after the last frame, and under 5 s after the link went down.
        #expect(abs(lostAt.timeIntervalSince(heard) - 3) < 1e-6)
        // The cut counts from take-off, which comes after the hive's door has opened.
        let takeoff = try #require(
            try PatrolStore(path: result.database.path).events(flightID: result.flight.id).first {
                $0.kind == "took_off"
            }?.time)
        let sinceCut = lostAt.timeIntervalSince(takeoff) - cut.after
        #expect(sinceCut > 0 && sinceCut < 5, "lost \(sinceCut) s after the cut")

        // The drone's failsafe acted after its 5 s, after the coordinator had flagged it.
        let failsafe = try #require(result.drone.failsafeAt)
        #expect(failsafe > lostAt)
        #expect(result.drone.lostInLinkCut > 0)

        // The record: the loss, the failsafe (reported when the link was back), the resumption.
        let kinds = try PatrolStore(path: result.database.path).events(flightID: result.flight.id).map(\.kind)
        for kind in ["took_off", "link_lost", "failsafe", "link_resumed", "landed"] {
            #expect(kinds.contains(kind), "\(kind) missing from \(kinds)")
        }
        #expect(!kinds.contains("mission_complete"), "the failsafe cut the survey short")
    }
}
