import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// Urgent verification sorties flown by a drone already in the air: simulated drones against
/// the coordinator over real sockets, in lockstep on a virtual clock (`simulators/divert.yaml`:
/// drone-1 flies the 14:00 hill patrol, drone-2 waits ready in hive-1, a smoke alarm on the hill).
@Suite(.serialized)
struct DiversionTests {
    static func logger() -> Logger {
        var logger = Logger(label: "divert")
        logger.logLevel = .error
        return logger
    }

    @Test(.timeLimit(.minutes(5)))
    func anAlarmNearADroneMidRouteDivertsItAndThePatrolCompletesWithoutAGap() async throws {
        let run = try await DayRun(
            scenarioFile: TestKit.file("simulators/divert.yaml"),
            outputDirectory: TestKit.temporaryDirectory("patrol-divert"), logger: Self.logger()
        ).run()
        let urgent = try #require(run.sorties.first { $0.origin == .urgent })
        let choice = try #require(urgent.choice)
        // drone-1, in the air near the alarm, goes; drone-2's way would meet drone-1 where its
        // patrol takes it then, at its height (no look height within the 120 m limit clears it).
        #expect(choice.chosen.drone == "drone-1" && choice.chosen.kind == .airborne)
        let routineID = try #require(choice.chosen.sortie)
        let hive = "drone-2 (docked): its way to the target would share airspace with \(routineID) (drone-1, flying)"
        #expect(choice.excluded.contains { $0.hasPrefix(hive) }, "excluded: \(choice.excluded)")
        // Measured from telemetry: overhead about when the estimate said.
        let overhead = try #require(choice.overheadAfter)
        #expect(
            overhead <= choice.chosen.toOverhead + 5,
            "overhead after \(overhead) s, estimated \(choice.chosen.toOverhead) s")
        #expect(urgent.vehicle == "drone-1" && urgent.state == .landed)
        #expect(urgent.requestToLaunch.map { $0 < 1 } == true, "request to go_to \(urgent.requestToLaunch ?? -1) s")
        #expect(urgent.reason?.hasPrefix("looked; drone-1 resumed") == true)

        // The routine sortie went on from where it left its route and flew it to the end.
        let routine = try #require(run.sorties.first { $0.origin == .scheduled && $0.launchedAt != nil })
        #expect(routine.vehicle == "drone-1")
        #expect(routine.state == .landed && routine.progress == 1 && routine.continuedBy == nil)
        #expect(!run.sorties.contains { $0.state == .cutShort })
        let track = try PatrolStore(path: run.database.path).telemetry(flightID: routine.id)
        let launched = try #require(urgent.launchedAt)
        let before = try #require(track.last { $0.time <= launched })
        let held = track.filter { $0.state == .paused }
        #expect(held.count >= 100, "held \(held.count) s over the target")
        let resumedAt = try #require(held.last).time
        let after = track.filter { $0.time > resumedAt }
        let frame = try SiteFrame(crs: Mission.load(from: TestKit.defaultMission).site.crs)
        let left = try frame.project(before.position)
        let back = try after.map { try frame.project($0.position).distance(to: left) }.min() ?? .infinity
        #expect(back < 6, "the drone came back to within \(back) m of where it left the route")
        // Every waypoint of the route was flown towards, in order, with none skipped.
        var indices: [Int] = []
        for t in track where indices.last != t.waypointIndex { indices.append(t.waypointIndex) }
        #expect(indices == Array(indices.sorted()), "waypoints out of order: \(indices)")
        let count = try #require(track.map(\.waypointIndex).max())
        #expect(Set(1...count).isSubset(of: Set(indices)))

        // The fire under the alarm is an incident.
        #expect(run.lines.contains { $0.hasPrefix("alert-opened") })
    }

    @Test(.timeLimit(.minutes(5)))
    func anAlarmWhenTheAirborneDroneIsLowLaunchesFromTheHiveClearOfWhatIsLeftOfThePatrol() async throws {
        // Both drones hold 190 Wh, just over what the route and its reserve need (121.8 + 65.5 Wh
        // in calm air): drone-1 starts the 14:00 patrol with it, and at 14:16 has about 95 Wh,
        // short of a 10-minute look (50 Wh hovering) and the way home plus its reserve; drone-2
        // waits in the hive with plenty for it. drone-1 sweeps the hill's northern lines then, and
        // the rest of its route home passes the alarm more than 60 m off: judged by where drone-1
        // is and will be (not by its patrol's whole extent), drone-2's way is clear, so drone-2
        // launches at once and drone-1 finishes its patrol (no pre-emption).
        let run = try await Self.variant("patrol-divert-low", alarm: "14:16", look: 600)
        let urgent = try #require(run.sorties.first { $0.origin == .urgent })
        #expect(urgent.vehicle == "drone-2")
        #expect(urgent.state == .landed)
        #expect(urgent.choice?.chosen.kind == .docked)
        #expect(
            urgent.choice?.excluded.contains { $0.hasPrefix("drone-1") } == true,
            "drone-1 is short of battery: \(urgent.choice?.excluded ?? [])")
        #expect(urgent.requestToLaunch.map { $0 < 1 } == true, "request to launch \(urgent.requestToLaunch ?? -1) s")
        let routine = try #require(run.sorties.first { $0.origin == .scheduled && $0.launchedAt != nil })
        #expect(routine.vehicle == "drone-1")
        #expect(routine.state == .landed && routine.progress == 1, "\(routine.state) \(routine.reason ?? "")")
        #expect(!run.sorties.contains { $0.state == .cutShort || $0.state == .paused })
    }

    @Test(.timeLimit(.minutes(5)))
    func aDroneTooLowToGoOnAfterTheLookGoesHomeAndTheRestIsFlownFromWhereItStopped() async throws {
        // The same 190 Wh drones: at 14:06 drone-1 has about 150 Wh, enough for a 10-minute look and
        // home, not for the look and the rest of its route too.
        let run = try await Self.variant("patrol-divert-home", alarm: "14:06", look: 600)
        let urgent = try #require(run.sorties.first { $0.origin == .urgent })
        #expect(urgent.choice?.chosen.kind == .airborne && urgent.vehicle == "drone-1")
        #expect(urgent.state == .landed)
        let routine = try #require(run.sorties.first { $0.state == .cutShort })
        #expect(routine.vehicle == "drone-1")
        #expect(
            routine.reason?.hasPrefix("diverted for urgent sortie \(urgent.id);") == true, "\(routine.reason ?? "")")
        #expect(urgent.reason?.contains("sent home") == true)
        // The rest starts at the last waypoint drone-1 reached, so the leg it was flying is flown
        // again whole: no gap.
        let track = try PatrolStore(path: run.database.path).telemetry(flightID: routine.id)
        let launched = try #require(urgent.launchedAt)
        let towards = try #require(track.last { $0.time <= launched }).waypointIndex
        let rest = try #require(run.sorties.first { $0.id == routine.continuedBy })
        #expect(rest.resumeFrom == towards - 1)
        #expect(rest.vehicle == "drone-2")
        #expect(rest.state == .landed && rest.progress == 1)
        #expect(try #require(rest.launchedAt) > launched)

        // Deterministic: the same scenario gives the same event log.
        let again = try await Self.variant("patrol-divert-home2", alarm: "14:06", look: 600)
        #expect(again.lines == run.lines)
    }

    /// `simulators/divert.yaml` with both drones holding 190 Wh, calm air, the alarm at `alarm`
    /// and a look of `look` seconds, flown in a fresh folder.
    static func variant(_ label: String, alarm: String, look: Double) async throws -> DayRun.Result {
        let folder = TestKit.temporaryDirectory(label)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var fleet = try String(contentsOf: TestKit.file("geo/mumianling/fleet.yaml"), encoding: .utf8)
        fleet = fleet.replacingOccurrences(
            of: "site: site.yaml", with: "site: \(TestKit.file("geo/mumianling/site.yaml").path)")
        let full = "    battery_wh: 262                 # usable energy when full\n"
        #expect(fleet.contains(full))
        fleet = fleet.replacingOccurrences(of: full, with: full + "    charge_wh: 190\n")
        fleet = fleet.replacingOccurrences(
            of: "    battery_wh: 262\n", with: "    battery_wh: 262\n    charge_wh: 190\n")
        try fleet.write(to: folder.appendingPathComponent("fleet.yaml"), atomically: true, encoding: .utf8)
        var scenario = try String(contentsOf: TestKit.file("simulators/divert.yaml"), encoding: .utf8)
        scenario =
            scenario.replacingOccurrences(of: "../geo/mumianling/fleet.yaml", with: "fleet.yaml")
            .replacingOccurrences(
                of: "../missions/hill-fire-patrol.yaml", with: TestKit.file("missions/hill-fire-patrol.yaml").path
            )
            .replacingOccurrences(of: "speed_mps: 3", with: "speed_mps: 0")
            .replacingOccurrences(of: "at: \"14:06\"", with: "at: \"\(alarm)\"") + "look_s: \(look)\n"
        let file = folder.appendingPathComponent("\(label).yaml")
        try scenario.write(to: file, atomically: true, encoding: .utf8)
        return try await DayRun(scenarioFile: file, outputDirectory: folder, logger: logger()).run()
    }
}
