import PatrolGeo
import PatrolModel
import PatrolPlanner
import Testing

/// Days on the Mumianling site: the planned hill patrol, its hive, and what happens when things
/// go wrong.
struct SchedulerScenarioTests {
    let problem: ScheduleProblem

    init() throws { problem = try ScheduleFixtures.mumianling() }

    @Test func theHillIsFlownEveryTwoHoursFrom6To22() {
        let day = Scheduler.schedule(problem)
        #expect(day.sorties.map(\.start) == stride(from: 6.0, through: 22, by: 2).map { $0 * 3600 })
        #expect(day.unscheduled.isEmpty && day.staleness.isEmpty)
        #expect(ScheduleChecker.violations(day, problem).isEmpty)
        let hill = day.sorties[0]
        // ~7.5 km at 8 m/s plus climbs, the sweep following the hill's 60 m of terrain: about 20 minutes
        // and 120 Wh of a 262 Wh battery.
        #expect((7000...9000).contains(hill.lengthMetres))
        #expect((15 * 60...23 * 60).contains(hill.end - hill.start))
        #expect((80...135).contains(hill.energyWh))
    }

    /// A second hive 400 m east of the first, with one drone.
    func twoHives() -> ScheduleProblem {
        var two = problem
        two.fleet.hives.append(FleetHive(id: "hive-2", capacity: 1, charging: ChargingCurve(power: 400)))
        two.fleet.drones = [
            ScheduleFixtures.drone("drone-1", hive: "hive-1"), ScheduleFixtures.drone("drone-3", hive: "hive-2"),
        ]
        two.hivePositions["hive-2"] = two.hivePositions["hive-1"]! + XY(400, 0)
        return two
    }

    @Test func aHiveGoingOfflineAtNoonMovesItsPatrolsToAnotherHive() {
        var two = twoHives()
        let morning = Scheduler.schedule(two)
        #expect(morning.sorties.allSatisfy { $0.hive == "hive-1" })
        let noon = 12 * 3600.0
        two.outages = [Outage(subject: "hive-1", from: noon, reason: "door fault")]
        let day = Scheduler.replan(two, previous: morning, at: noon)
        #expect(day.sorties.count == 9 && day.unscheduled.isEmpty)
        #expect(day.sorties.filter { $0.start < noon }.allSatisfy { $0.hive == "hive-1" })
        let afternoon = day.sorties.filter { $0.start >= noon }
        #expect(afternoon.count == 6 && afternoon.allSatisfy { $0.hive == "hive-2" && $0.drone == "drone-3" })
        #expect(ScheduleChecker.violations(day, two).isEmpty)
        // From the other hive the sortie is longer: transit to and from the hill from 400 m away.
        #expect(afternoon[0].lengthMetres > morning.sorties[0].lengthMetres)
    }

    @Test func withEveryHiveOfflineEachOccurrenceSaysWhy() {
        var down = problem
        down.outages = [Outage(subject: "hive-1", from: 12 * 3600, reason: "offline")]
        let day = Scheduler.schedule(down)
        #expect(day.sorties.count == 3)
        #expect(day.unscheduled.count == 6 && day.unscheduled.allSatisfy { $0.reason.code == "offline" })
        #expect(day.unscheduled[0].reason.message.contains("hive-1 offline from 12:00"))
        // 10:00, then nothing: the hill goes unseen for longer than 3 hours.
        #expect(day.staleness.first?.from == Double?(36_000))
    }

    @Test func reasonsNamePayloadBatteryAndWeather() {
        var thermal = problem
        thermal.patrols[0].schedule.payload = [.thermal, .loudspeaker]
        let noPayload = Scheduler.schedule(thermal).unscheduled
        #expect(noPayload.count == 9 && noPayload[0].reason.code == "payload")
        #expect(noPayload[0].reason.message == "no drone carries loudspeaker + thermal")

        var small = problem
        small.fleet.drones = small.fleet.drones.map {
            var d = $0; d.batteryWh = 100; d.initialChargeWh = 100; return d
        }
        let battery = Scheduler.schedule(small).unscheduled
        #expect(battery.count == 9 && battery.allSatisfy { $0.reason.code == "battery" })

        var windy = problem
        windy.forecast = WeatherForecast(periods: [.init(from: 9 * 3600, to: 15 * 3600, weather: Weather(wind: 14))])
        let day = Scheduler.schedule(windy)
        #expect(day.unscheduled.map(\.due) == [10, 12, 14].map { $0 * 3600.0 })
        #expect(
            day.unscheduled.allSatisfy { $0.reason.code == "weather" && $0.reason.message.contains("wind 14.0 m/s") })
        // The 08:00 sortie lands before the wind rises; the 08:00 one is not pushed into it.
        #expect(ScheduleChecker.violations(day, windy).isEmpty)
    }

    @Test func higherPriorityWinsWhenOneDroneAndOneSkyAreShort() {
        var busy = problem
        busy.fleet.drones = [ScheduleFixtures.drone("drone-1", hive: "hive-1")]
        var urgent = busy.patrols[0]
        urgent.id = "hill-priority"
        urgent.schedule = PatrolSchedule(recurrence: .times([10 * 3600]), window: 600, priority: 9)
        var routine = busy.patrols[0]
        routine.id = "hill-routine"
        routine.schedule = PatrolSchedule(recurrence: .times([10 * 3600]), window: 600, priority: 2)
        busy.patrols = [routine, urgent]
        let day = Scheduler.schedule(busy)
        #expect(day.sorties.map(\.patrol) == ["hill-priority"])
        #expect(day.unscheduled.map(\.patrol) == ["hill-routine"])
        #expect(day.unscheduled.first?.reason.code == "window")
    }

    @Test func twoDronesOverTheSameHillAreKeptApartUnlessAltitudeSeparated() {
        var pair = problem
        var second = pair.patrols[0]
        second.id = "hill-second"
        pair.patrols.append(second)
        let day = Scheduler.schedule(pair)
        #expect(day.unscheduled.isEmpty)
        #expect(ScheduleChecker.violations(day, pair).isEmpty)
        let first = day.sorties.filter { $0.patrol == "hill-fire-patrol" }
        let other = day.sorties.filter { $0.patrol == "hill-second" }
        // One after the other, in either order (the search may swap two of equal cost).
        #expect(zip(first, other).allSatisfy { $1.start >= $0.end || $0.start >= $1.end })

        var stacked = pair
        // Terrain following spreads the hill's band over 60 m: stack the second 120 m higher to clear it.
        stacked.patrols[1].path = stacked.patrols[1].path.map { PathPoint($0.xy, altitude: $0.altitude + 120) }
        let both = Scheduler.schedule(stacked)
        #expect(both.sorties.filter { $0.patrol == "hill-second" }.map(\.start).first == Double?(21_660))
        #expect(ScheduleChecker.violations(both, stacked).isEmpty)
    }
}
