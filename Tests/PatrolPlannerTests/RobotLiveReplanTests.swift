import PatrolModel
import PatrolPlanner
import Testing

/// The robots' live re-plan (``RobotScheduler/later(_:due:robots:placed:charges:outages:from:until:)``
/// and ``RobotScheduler/clearOfNarrowEdges(_:duration:from:others:)``), worked out by hand on
/// ``RobotSchedulerTests``' rounds: 1,320 s, 36.7 Wh at 100 W, a 120 m narrow corridor.
struct RobotLiveReplanTests {
    typealias T = RobotSchedulerTests
    static let two = 2 * 3600.0

    @Test func aRoundRefusedForChargeLeavesWhenTheChargerHasFilledIt() throws {
        // 50 Wh with 10 Wh reserve; docked at 01:50 with 20 Wh, it charges at 100 W from 01:51 and
        // holds 10 + 36.7 Wh after another 26.7 Wh: 960 s later, at 02:07.
        let robot = T.robot("robot-a", batteryWh: 50)
        let round = T.round("basement", before: 600, priority: 6, due: Self.two)
        let result = RobotScheduler.later(
            [round], due: Self.two, robots: [robot], placed: [],
            charges: ["robot-a": RobotCharge(wattHours: 20, docked: Self.two - 600)], from: Self.two + 1200,
            until: 3 * 3600)
        let sortie = try result.get()
        #expect(sortie.robot == "robot-a" && sortie.due == Self.two)
        // Already charged by 02:20 (the round's window has passed): it leaves at once.
        #expect(sortie.start == Self.two + 1200)
        let early = try RobotScheduler.later(
            [round], due: Self.two, robots: [robot], placed: [],
            charges: ["robot-a": RobotCharge(wattHours: 20, docked: Self.two - 600)], from: Self.two,
            until: 3 * 3600
        ).get()
        #expect(abs(early.start - (Self.two + 420)) < 1e-6, "\(early.start)")
    }

    @Test func aMoveDoesNotHoldTheChargeBackForTheRobotsLaterRound() throws {
        // As in the first test, robot-a holds the round from 02:07; its 03:00 round, queued, will
        // be short after it (gated and moved in its own turn), but the move does not wait for it.
        let robot = T.robot("robot-a", batteryWh: 50)
        let round = T.round("basement", before: 600, priority: 6, due: Self.two)
        let later = RobotSortie(
            patrol: "basement", due: 3 * 3600, robot: "robot-a", station: "station-1", start: 3 * 3600,
            end: 3 * 3600 + 1320, lengthMetres: 1320, energyWh: 1320.0 / 36, priority: 6, narrowEdges: [])
        let sortie = try RobotScheduler.later(
            [round], due: Self.two, robots: [robot], placed: [later],
            charges: ["robot-a": RobotCharge(wattHours: 20, docked: Self.two - 600)], from: Self.two,
            until: 3 * 3600 - 1
        ).get()
        #expect(abs(sortie.start - (Self.two + 420)) < 1e-6, "\(sortie.start)")
    }

    @Test func noTimeBeforeTheNextOccurrenceIsARefusalWithEachRobotsReason() {
        let robot = T.robot("robot-a", batteryWh: 50)
        let round = T.round("basement", before: 600, priority: 6, due: Self.two)
        // 2 Wh at 02:00: 44.7 Wh to charge at 100 W is 1,608 s from 02:01, past 02:20.
        let result = RobotScheduler.later(
            [round], due: Self.two, robots: [robot], placed: [],
            charges: ["robot-a": RobotCharge(wattHours: 2, docked: Self.two)], from: Self.two + 60,
            until: Self.two + 1200)
        guard case .failure(let reason) = result else {
            Issue.record("moved: \(result)")
            return
        }
        #expect(reason.code == "window")
        #expect(reason.message.contains("no start from 02:01 to 02:20"), "\(reason.message)")
        #expect(reason.message.contains("`robot-a`"), "\(reason.message)")
        #expect(reason.message.contains("charging"), "\(reason.message)")
    }

    @Test func aLateRoundEntersTheCorridorAsTheOtherLeavesIt() {
        // east holds the corridor 22:10–22:12; west, leaving at 22:01, would be in it 22:10–22:12
        // too (540 s in): it leaves at 22:12 - 540 s = 22:03.
        let east = RobotSortie(
            patrol: "east", due: T.night, robot: "robot-a", station: "station-1", start: T.night, end: T.night + 1320,
            lengthMetres: 1320, energyWh: 36.7, priority: 7,
            narrowEdges: [EdgeUse(edge: "corridor", from: T.night + 600, to: T.night + 720)])
        let west = T.round("west", before: 540, priority: 5)
        let (_, _, uses) = west.timing(for: T.robot("robot-b"))
        let (start, blocker) = RobotScheduler.clearOfNarrowEdges(
            uses, duration: 1320, from: T.night + 60, others: [east])
        #expect(start == T.night + 180)
        #expect(blocker?.sortie.patrol == "east" && blocker?.use.edge == "corridor")
        // Clear already: it leaves when asked.
        let clear = RobotScheduler.clearOfNarrowEdges(uses, duration: 1320, from: T.night + 180, others: [east])
        #expect(clear.start == T.night + 180 && clear.blocker == nil)
    }

    @Test func anotherStationsRobotTakesTheRoundWhenItsOwnIsOutOfService() throws {
        var own = T.robot("robot-a")
        own.state = .maintenance
        let other = T.robot("robot-b", station: "station-2")
        let home = T.round("basement", before: 600, priority: 6, due: Self.two)
        // From station-2 the round is 200 m longer (1,520 s).
        var away = T.round("basement", before: 600, priority: 6, due: Self.two, station: "station-2")
        away.steps[2].length += 200
        let sortie = try RobotScheduler.later(
            [home, away], due: Self.two, robots: [own, other], placed: [], charges: [:], from: Self.two + 1200,
            until: 3 * 3600
        ).get()
        #expect(sortie.robot == "robot-b" && sortie.station == "station-2")
        #expect(sortie.start == Self.two + 1200 && sortie.end == Self.two + 1200 + 1520)
        #expect(sortie.patrol == "basement")
        // Without the other station: every robot's reason.
        let alone = RobotScheduler.later(
            [home], due: Self.two, robots: [own, other], placed: [], charges: [:], from: Self.two + 1200,
            until: 3 * 3600)
        guard case .failure(let reason) = alone else {
            Issue.record("moved: \(alone)")
            return
        }
        #expect(reason.message.contains("`robot-a` is maintenance"), "\(reason.message)")
    }

    @Test func theDaysScheduleGivesTheRoundToAnotherStationOnlyWhenItsOwnCannot() throws {
        var own = T.robot("robot-a")
        let other = T.robot("robot-b", station: "station-2")
        var home = T.round("basement", before: 600, priority: 6, due: Self.two)
        var away = T.round("basement", before: 600, priority: 6, due: Self.two, station: "station-2")
        away.steps[2].length += 200
        home.alternatives = [away]
        // Both free: its own station's robot.
        let both = RobotScheduler.schedule([home], robots: [other, own])
        #expect(both.sorties.map(\.robot) == ["robot-a"] && both.unscheduled.isEmpty)
        // Its own in maintenance: station-2's robot, on the round from there.
        own.state = .maintenance
        let day = RobotScheduler.schedule([home], robots: [other, own])
        let sortie = try #require(day.sorties.first)
        #expect(day.sorties.count == 1 && day.unscheduled.isEmpty)
        #expect(sortie.robot == "robot-b" && sortie.station == "station-2" && sortie.patrol == "basement")
        #expect(sortie.start == Self.two && sortie.end == Self.two + 1520)
        // Without other stations the round does not fit, and says why.
        home.alternatives = []
        let alone = RobotScheduler.schedule([home], robots: [other, own])
        #expect(alone.sorties.isEmpty)
        #expect(alone.unscheduled.first?.reason.code == "offline")
        #expect(alone.unscheduled.first?.reason.message.contains("`robot-a` is maintenance") == true)
    }
}
