import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

/// A smoke alarm on the hill at 14:10, while the 14:00 routine patrol is flying.
struct UrgentSortieTests {
    let problem: ScheduleProblem
    let day: DaySchedule
    let fire: XY
    static let alarm = 14 * 3600 + 10 * 60.0

    init() throws {
        problem = try ScheduleFixtures.mumianling()
        day = Scheduler.schedule(problem)
        // The demo scenario's fire, on the hill (simulators/hill-fire.yaml).
        let site = try Mission.load(from: TestKit.defaultMission).site
        fire = try SiteFrame(crs: site.crs).project(LonLat(lon: 114.1335021, lat: 22.5772222))
    }

    @Test func theDockedDroneGoesAndArrivesAsSoonAsTheGeometryAllows() throws {
        let snapshot = FleetSnapshot.at(Self.alarm, schedule: day, problem: problem)
        #expect(snapshot.drones.first { $0.drone == "drone-1" }?.flying?.patrol == "hill-fire-patrol")
        let request = VerificationRequest(position: fire, time: Self.alarm, altitude: 60, hover: 120)
        let dispatch = try UrgentSortie.dispatch(request, fleet: snapshot, problem: problem).get()
        #expect(dispatch.drone == "drone-2" && dispatch.preempted == nil)
        // Launch delay, the climb and the straight line at 12 m/s: nothing can be faster.
        let hive = problem.fleet.hive("hive-1")!
        let distance = problem.hivePositions["hive-1"]!.distance(to: fire)
        let bound = hive.launchDelay + 60 / 3 + distance / 12
        #expect(dispatch.requestToLaunch == 0)
        #expect(abs(dispatch.requestToOverhead - bound) < 1e-6)
        #expect(dispatch.requestToOverhead < 3 * 60, "a drone over the hill within 3 minutes")
        #expect(dispatch.chargeAfterWh >= problem.fleet.drone("drone-2")!.reserveWh)
    }

    @Test func withOneDroneTheRoutineSortieIsPreemptedAndResumesWhereItStopped() throws {
        var single = problem
        single.fleet.drones = [single.fleet.drones[0]]
        let day = Scheduler.schedule(single)
        let snapshot = FleetSnapshot.at(Self.alarm, schedule: day, problem: single)
        let request = VerificationRequest(position: fire, time: Self.alarm)
        let dispatch = try UrgentSortie.dispatch(request, fleet: snapshot, problem: single).get()
        let preempted = try #require(dispatch.preempted)
        #expect(preempted.start == 14 * 3600 && dispatch.drone == "drone-1")
        #expect(dispatch.requestToLaunch == 0)
        let resume = try #require(dispatch.resumeFrom)
        #expect(resume > 1 && resume < single.patrols[0].path.count)

        // Re-plan: the cut-short sortie ends at the alarm, and the next one starts where it stopped.
        var cut = preempted
        cut.end = dispatch.overhead + request.hover + 600
        var after = single
        after.resume = [preempted.patrol: resume]
        let previous = DaySchedule(
            sorties: day.sorties.filter { $0.start < Self.alarm }.map { $0.start == cut.start ? cut : $0 })
        let replanned = Scheduler.replan(after, previous: previous, at: Self.alarm)
        let next = try #require(replanned.sorties.first { $0.start > Self.alarm })
        #expect(next.due == 16 * 3600 && next.resumeFrom == resume)
        #expect(next.lengthMetres < preempted.lengthMetres)
        #expect(replanned.sorties.filter { $0.start > Self.alarm && $0 != next }.allSatisfy { $0.resumeFrom == 0 })
    }

    @Test func aDroneWithoutChargeOrAHiveInBadWeatherIsNotSent() throws {
        var grounded = problem
        grounded.forecast = WeatherForecast(periods: [.init(from: 14 * 3600, to: 15 * 3600, weather: Weather(rain: 20))]
        )
        grounded.fleet.drones = [grounded.fleet.drones[1]]
        let snapshot = FleetSnapshot.at(Self.alarm, schedule: DaySchedule(), problem: grounded)
        let result = UrgentSortie.dispatch(
            VerificationRequest(position: fire, time: Self.alarm), fleet: snapshot, problem: grounded)
        guard case .failure(let reason) = result else {
            Issue.record("a drone was sent through heavy rain")
            return
        }
        #expect(reason.code == "offline" || reason.code == "weather")
        #expect(reason.message.contains("rain 20.0 mm/h"))
    }

    @Test func aDroneThatMustRechargeLaunchesWhenCharged() throws {
        var low = problem
        low.fleet.drones = [low.fleet.drones[1]]
        low.fleet.drones[0].initialChargeWh = 70
        let snapshot = FleetSnapshot.at(0, schedule: DaySchedule(), problem: low)
        let request = VerificationRequest(position: fire, time: 0)
        let dispatch = try UrgentSortie.dispatch(request, fleet: snapshot, problem: low).get()
        #expect(dispatch.requestToLaunch > 0)
        #expect(abs(dispatch.chargeAfterWh - low.fleet.drones[0].reserveWh) < 1e-6)
    }
}
