import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// Scheduled days flown by simulated drones against the coordinator's sortie layer, in lockstep
/// on a virtual clock: a link loss mid-mission re-planned onto the other drone, and an urgent
/// verification sortie that pre-empts a routine patrol which then resumes where it stopped.
@Suite(.serialized)
struct DaySimulationTests {
    static func logger() -> Logger {
        var logger = Logger(label: "day")
        logger.logLevel = .error
        return logger
    }

    @Test(.timeLimit(.minutes(5)))
    func linkLossMidMissionIsFlaggedAndTheRestFlownByTheOtherDrone() async throws {
        let file = TestKit.file("simulators/link-loss.yaml")
        let first = try await DayRun(
            scenarioFile: file, outputDirectory: TestKit.temporaryDirectory("patrol-day-ll"), logger: Self.logger()
        ).run()

        let cut = try #require(first.sorties.first { $0.state == .cutShort })
        #expect(cut.vehicle == "drone-1")
        #expect(cut.reason?.hasPrefix("link to drone-1 lost") == true)
        let reached = try #require(cut.lastWaypoint)
        #expect(reached > 0)
        let rest = try #require(first.sorties.first { $0.id == cut.continuedBy })
        #expect(rest.vehicle == "drone-2")
        #expect(rest.resumeFrom == reached)
        #expect(rest.state == .landed)
        #expect(rest.progress == 1)

        // Flagged lost under 5 s after the link dropped (300 s after take-off); the failsafe
        // brought the drone home, and its landing was reported once the link was back.
        let events = try PatrolStore(path: first.database.path).events(flightID: cut.id)
        let tookOff = try #require(events.first { $0.kind == "took_off" }).time
        let lost = try #require(events.first { $0.kind == "link_lost" }).time
        let sinceCut = lost.timeIntervalSince(tookOff) - 300
        #expect(sinceCut > 0 && sinceCut < 5, "lost \(sinceCut) s after the cut")
        for kind in ["failsafe", "link_resumed", "landed"] {
            #expect(events.contains { $0.kind == kind }, "\(kind) missing from \(events.map(\.kind))")
        }

        // Deterministic: the same scenario gives the same event log.
        let second = try await DayRun(
            scenarioFile: file, outputDirectory: TestKit.temporaryDirectory("patrol-day-ll2"), logger: Self.logger()
        ).run()
        #expect(second.hash == first.hash)
        #expect(second.lines == first.lines)
    }

    @Test(.timeLimit(.minutes(5)))
    func urgentSortiePreemptsTheRoutinePatrolWhichResumesWhereItStopped() async throws {
        // 05:58 to 06:43 of the day: drone-2 is in maintenance, drone-1 flies the 06:00 hill
        // patrol, and a smoke alarm at 06:10 asks for a verification sortie.
        let run = try await DayRun(
            scenarioFile: TestKit.file("simulators/day-24h.yaml"),
            outputDirectory: TestKit.temporaryDirectory("patrol-day-urgent"), logger: Self.logger(), hours: 0.75,
            from: 5 * 3600 + 58 * 60
        ).run()
        let urgent = try #require(run.sorties.first { $0.origin == .urgent })
        #expect(urgent.state == .landed)
        #expect(urgent.vehicle == "drone-1")
        // Request to launch: the drone's way home, its landing and its hive's 300 s turnaround.
        let wait = try #require(urgent.requestToLaunch)
        #expect(wait > 300 && wait < 900, "request to launch \(wait) s")

        let routine = try #require(run.sorties.first { $0.state == .cutShort })
        #expect(routine.reason?.hasPrefix("pre-empted by urgent sortie \(urgent.id)") == true)
        let stopped = try #require(routine.lastWaypoint)
        let resumed = try #require(run.sorties.first { $0.id == routine.continuedBy })
        #expect(resumed.resumeFrom == stopped)
        #expect(resumed.state == .landed)
        #expect(resumed.progress == 1)
        // It resumed only after the urgent sortie had flown.
        #expect(try #require(resumed.launchedAt) > (try #require(urgent.launchedAt)))

        // The fire under the alarm is an incident.
        #expect(run.lines.contains { $0.hasPrefix("alert-opened") })
    }
}

extension DaySimulationTests {
    @Test(.timeLimit(.minutes(5)))
    func aGustRecallsThePatrolWhichResumesWhenItIsOver() async throws {
        // 17:58 to 18:46: the hill patrol flies into a gust over the hive's 12 m/s limit from
        // 18:08 to 18:25. The scenario's link cut falls on the first sortie after 10:00, here the
        // 18:00 one, whose rest would then wait for the lost drone's airspace and the gust rather
        // than fly into it: this run has no link cut.
        let directory = TestKit.temporaryDirectory("patrol-day-gust")
        let text = try String(contentsOf: TestKit.file("simulators/day-24h.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "../", with: TestKit.repositoryRoot.path + "/")
            .replacingOccurrences(
                of: "  - { drone: drone-1, from: \"10:00\"", with: "  # - { drone: drone-1, from: \"10:00\""
            )
            .replacingOccurrences(of: "link_cuts:", with: "link_cuts: []")
        let file = try TestKit.write(text, to: "day-no-cut.yaml", in: directory)
        let run = try await DayRun(
            scenarioFile: file, outputDirectory: directory, logger: Self.logger(), hours: 0.8, from: 17 * 3600 + 58 * 60
        ).run()
        let recalled = try #require(run.sorties.first { $0.reason?.hasPrefix("recalled:") == true })
        #expect(recalled.state == .cutShort)
        #expect(recalled.reason?.hasPrefix("recalled: hive hive-1: wind 13.0 m/s above 12.0 m/s") == true)
        let stopped = try #require(recalled.lastWaypoint)
        let rest = try #require(run.sorties.first { $0.id == recalled.continuedBy })
        #expect(rest.resumeFrom == stopped)
        #expect(rest.state == .landed)
        // Not before the gust was over (18:25 local).
        let gustOver = run.scenario.start.addingTimeInterval(18 * 3600 + 25 * 60)
        #expect(try #require(rest.launchedAt) >= gustOver)
    }
}

extension DayRun.Result {
    var hash: UInt64 {
        var h = FNV1a64.Hasher64()
        for line in lines { h.add(line + "\n") }
        return h.value
    }
}
