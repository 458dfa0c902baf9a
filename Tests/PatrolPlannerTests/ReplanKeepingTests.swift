import PatrolModel
import PatrolPlanner
import Testing

/// A live re-plan starts from the day as planned: what still fits stays where it was.
struct ReplanKeepingTests {
    static let noon = 12.0 * 3600

    /// The sorties from `now` on, as (patrol, due) → (drone, launch).
    static func ahead(_ day: DaySchedule, from now: Double) -> [String: String] {
        Dictionary(
            day.sorties.filter { $0.start >= now }.map { ("\($0.patrol)@\($0.due)", "\($0.drone)@\($0.start)") },
            uniquingKeysWith: { a, _ in a })
    }

    @Test func aReplanWithNothingChangedMovesNothing() {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 2)
        let day = Scheduler.schedule(problem)
        let flown = day.sorties.filter { $0.start < Self.noon }
        let kept = Scheduler.replan(
            problem, flown: flown, unscheduled: day.unscheduled, at: Self.noon, keeping: [day.sorties])
        #expect(Self.ahead(kept, from: Self.noon) == Self.ahead(day, from: Self.noon))
        // From scratch, the search finds another day of the same cost and moves sorties about.
        let afresh = Scheduler.replan(problem, flown: flown, unscheduled: day.unscheduled, at: Self.noon)
        #expect(Self.ahead(afresh, from: Self.noon) != Self.ahead(day, from: Self.noon))
    }

    @Test func aHiveBackInServiceGetsTheAppliedDayBack() throws {
        var problem = SchedulingBenchmark.instance(drones: 5, seed: 2)
        let day = Scheduler.schedule(problem)
        let flown = day.sorties.filter { $0.start < Self.noon }
        let hive = try #require(problem.fleet.hives.first?.id)
        let calm = problem
        problem.outages = [Outage(subject: hive, from: Self.noon, reason: "offline")]
        let out = Scheduler.replan(
            problem, flown: flown, unscheduled: day.unscheduled, at: Self.noon, keeping: [day.sorties])
        #expect(out.sorties.allSatisfy { $0.start < Self.noon || $0.hive != hive })
        let back = Scheduler.replan(
            calm, flown: flown, unscheduled: out.unscheduled, at: Self.noon, keeping: [day.sorties, out.sorties])
        #expect(Self.ahead(back, from: Self.noon) == Self.ahead(day, from: Self.noon))
        #expect(ScheduleChecker.violations(back, calm).isEmpty)
    }
}
