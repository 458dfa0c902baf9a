import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

/// Robot rounds in the day's schedule, with answers worked out by hand: two robots at one station,
/// one narrow corridor that both rounds drive.
struct RobotSchedulerTests {
    static let night = 22 * 3600.0

    static func robot(_ id: String, station: String = "station-1", batteryWh: Double = 1000) -> Robot {
        Robot(
            id: id, station: station, batteryWh: batteryWh, power: 100, speed: 1, sensors: [.camera, .gasCH4],
            voice: false, reserve: 0.2, chargePower: 100, turnaround: 60)
    }

    /// A round of 1,320 m at 1 m/s (1,320 s, 36.7 Wh at 100 W) that enters the 120 m corridor after `before` metres.
    static func round(
        _ id: String, before: Double, priority: Int, due: Double = night, window: Double = 1800, narrow: Bool = true,
        sensors: Set<RobotSensor> = [.camera], station: String = "station-1"
    ) -> RobotRoundTask {
        RobotRoundTask(
            id: id, name: id,
            schedule: PatrolSchedule(recurrence: .times([due]), window: window, priority: priority),
            station: station, sensors: sensors, speed: 1.2,
            steps: [
                .init(edge: "\(id)-out", length: before), .init(edge: "corridor", length: 120, narrow: narrow),
                .init(edge: "\(id)-back", length: 1200 - before),
            ])
    }

    @Test func twoRobotsDoNotShareTheNarrowCorridor() throws {
        // east (priority 7) takes robot-a at 22:00 and is in the corridor 600–720 s in; west would
        // be in it 540–660 s in, so robot-b leaves 180 s late and enters as east leaves.
        let day = RobotScheduler.schedule(
            [Self.round("east", before: 600, priority: 7), Self.round("west", before: 540, priority: 5)],
            robots: [Self.robot("robot-b"), Self.robot("robot-a")])
        #expect(day.unscheduled.isEmpty)
        let east = try #require(day.sorties.first(where: { $0.patrol == "east" }) as RobotSortie?)
        let west = try #require(day.sorties.first(where: { $0.patrol == "west" }) as RobotSortie?)
        #expect(east.robot == "robot-a" && east.start == Self.night && east.end == Self.night + 1320)
        #expect(west.robot == "robot-b" && west.start == Self.night + 180)
        #expect(west.narrowEdges == [EdgeUse(edge: "corridor", from: Self.night + 720, to: Self.night + 840)])
        #expect(abs(east.energyWh - 1320.0 / 36) < 1e-9)
        #expect(day.sorties.map(\.patrol) == ["east", "west"])
    }

    @Test func withoutANarrowEdgeBothLeaveOnTime() {
        let day = RobotScheduler.schedule(
            [
                Self.round("east", before: 600, priority: 7, narrow: false),
                Self.round("west", before: 540, priority: 5, narrow: false),
            ],
            robots: [Self.robot("robot-a"), Self.robot("robot-b")])
        #expect(day.sorties.map(\.start) == [Self.night, Self.night])
        #expect(Set(day.sorties.map(\.robot)) == ["robot-a", "robot-b"])
    }

    @Test func aWindowShorterThanTheWaitSaysWhy() {
        let day = RobotScheduler.schedule(
            [Self.round("east", before: 600, priority: 7), Self.round("west", before: 540, priority: 5, window: 120)],
            robots: [Self.robot("robot-a"), Self.robot("robot-b")])
        #expect(day.sorties.map(\.patrol) == ["east"])
        let reason = day.unscheduled.first?.reason
        #expect(reason?.code == "window")
        #expect(reason?.message.contains("window of 2 min too short") == true, "\(String(describing: reason))")
        #expect(reason?.message.contains("narrow edge `corridor` is taken by `robot-a` (east) 22:10–22:12") == true)
    }

    @Test func aRobotWaitsForItsCharger() {
        // 50 Wh, 10 Wh reserve: after the first round 13.3 Wh are left; docked at 1,320 s, it charges
        // from 1,380 s at 100 W and holds 10 + 36.7 Wh at 2,580 s.
        let small = Self.robot("robot-a", batteryWh: 50)
        let day = RobotScheduler.schedule(
            [
                Self.round("first", before: 600, priority: 7, due: 0),
                Self.round("second", before: 600, priority: 5, due: 1800),
            ],
            robots: [small])
        #expect(day.unscheduled.isEmpty)
        #expect(day.sorties.count == 2)
        #expect(abs(day.sorties[1].start - 2580) < 0.01, "\(day.sorties.map(\.start))")
        #expect(abs(day.sorties[1].chargeAfterWh - 10) < 0.01)
    }

    @Test func unplaceableRoundsSayWhy() {
        let robots = [Self.robot("robot-a"), Self.robot("robot-b", batteryWh: 20)]
        let day = RobotScheduler.schedule(
            [
                Self.round("gas", before: 600, priority: 5, sensors: [.camera, .gasH2S]),
                Self.round("far", before: 600, priority: 5, station: "station-2"),
            ], robots: robots)
        #expect(day.unscheduled.map(\.reason.code) == ["station", "sensor"])
        #expect(day.unscheduled.first { $0.patrol == "gas" }?.reason.message.contains("missing: gas_h2s") == true)
        let weak = RobotScheduler.schedule([Self.round("long", before: 600, priority: 5)], robots: [robots[1]])
        #expect(weak.unscheduled.first?.reason.code == "battery")
        let out = RobotScheduler.schedule(
            [Self.round("east", before: 600, priority: 5)], robots: [robots[0]],
            outages: [Outage(subject: "station-1", from: 0, reason: "flooded")])
        #expect(out.unscheduled.first?.reason.code == "offline")
    }

    @Test func theBasementRoundIsScheduledHourlyAtNight() throws {
        let loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let task = try #require(try RobotRoundTask(mission: loaded.mission, site: loaded.site))
        #expect(task.station == "station-1" && task.sensors == [.camera, .gasCH4, .gasCO])
        #expect(task.steps.contains { $0.edge == "T07-lobby--b1-T07" && $0.narrow && $0.wait == 60 })
        #expect(task.steps.contains { $0.edge == "b1-garage-e--b1-ramp-bottom" && $0.narrow })
        let day = RobotScheduler.schedule([task], robots: fleet.robots)
        #expect(day.unscheduled.isEmpty, "\(day.unscheduled)")
        #expect(day.sorties.map(\.start) == [0, 1, 2, 3, 4, 5, 22, 23].map { $0 * 3600.0 })
        #expect(day.sorties.allSatisfy { $0.robot == "robot-1" && $0.chargeAfterWh >= 1500 * 0.2 })
        #expect(day == RobotScheduler.schedule([task], robots: fleet.robots))
    }
}
