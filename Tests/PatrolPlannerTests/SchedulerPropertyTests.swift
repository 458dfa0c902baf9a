import PatrolModel
import PatrolPlanner
import Testing

/// Properties that hold for every generated fleet and patrol set.
struct SchedulerPropertyTests {
    static let seeds: [UInt64] = Array(1...120)

    @Test(arguments: seeds)
    func generatedDaysBreakNoRule(seed: UInt64) {
        let problem = ScheduleFixtures.generated(seed: seed)
        let schedule = Scheduler.schedule(problem)
        let problems = ScheduleChecker.violations(schedule, problem)
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
    }

    @Test(arguments: seeds.prefix(30))
    func sameInputsGiveTheSameSchedule(seed: UInt64) {
        let a = Scheduler.schedule(ScheduleFixtures.generated(seed: seed))
        let b = Scheduler.schedule(ScheduleFixtures.generated(seed: seed))
        #expect(a == b)
    }

    @Test func generatorCoversTheInterestingCases() {
        let schedules = Self.seeds.map { Scheduler.schedule(ScheduleFixtures.generated(seed: $0)) }
        let codes = Set(schedules.flatMap(\.unscheduled).map(\.reason.code))
        // The generated days exercise full days, and more than one kind of refusal.
        #expect(schedules.map(\.sorties.count).reduce(0, +) > 500)
        #expect(codes.isSuperset(of: ["payload", "window", "weather"]), "\(codes)")
    }

    @Test(arguments: seeds.prefix(40))
    func replanningKeepsThePastAndBreaksNoRule(seed: UInt64) {
        var problem = ScheduleFixtures.generated(seed: seed)
        let morning = Scheduler.schedule(problem)
        let noon = 12 * 3600.0
        problem.outages.append(Outage(subject: problem.fleet.hives[0].id, from: noon, reason: "offline"))
        let replanned = Scheduler.replan(problem, previous: morning, at: noon)
        let kept = morning.sorties.filter { $0.start < noon }
        #expect(
            kept.allSatisfy { k in
                replanned.sorties.contains { $0.patrol == k.patrol && $0.due == k.due && $0.start == k.start }
            })
        // The kept sorties may have been flying when the outage began; judge the rest.
        var later = problem
        later.outages = problem.outages
        let problems = ScheduleChecker.violations(replanned, later).filter { !$0.contains("outage") }
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
        #expect(replanned.sorties.filter { $0.start >= noon }.allSatisfy { $0.hive != problem.fleet.hives[0].id })
    }
}
