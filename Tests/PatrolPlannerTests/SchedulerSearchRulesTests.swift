import PatrolModel
import Testing

@testable import PatrolPlanner

/// The search's stall stop, its walk through days of equal cost and the final repair of unflown
/// occurrences.
struct SchedulerSearchRulesTests {
    /// Greedy and improvement, as `Scheduler.schedule` runs them before the search.
    static func improved(_ problem: ScheduleProblem) -> (SchedulerState, [Int: Unscheduled.Reason]) {
        var (state, unscheduled) = SchedulerSearchTests.greedy(problem)
        state.improve(unscheduled: &unscheduled)
        return (state, unscheduled)
    }

    static func total(_ state: SchedulerState) -> Double {
        state.occurrences.indices.map { state.cost($0) }.reduce(0, +)
    }

    /// The benchmark's third five-drone day is already as good as the search makes it (OR-Tools
    /// finds the same cost): the search stops at a stall, without spending the rest of its budget.
    @Test func aDayTheSearchCannotImproveStopsAtAStall() {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 3)
        var (state, unscheduled) = Self.improved(problem)
        let before = Self.total(state)
        let outcome = state.search(unscheduled: &unscheduled)
        let slots = state.occurrences.count * state.drones.count
        #expect(outcome.stalled)
        #expect(outcome.improvements == 0)
        #expect(outcome.work < outcome.budget)
        #expect(outcome.work >= SchedulerState.searchStallPerSlot * slots)
        // One iteration's work at most past the stall point.
        #expect(outcome.work <= SchedulerState.searchStallPerSlot * slots + 41 * 41 * state.drones.count)
        #expect(abs(Self.total(state) - before) < 1e-3)
    }

    /// A day the search improves keeps going past stretches without improvement shorter than the
    /// stall, and the same state searched twice gives the same day, sorties, outcome and all.
    @Test func theSearchWithItsSidewaysStepsIsDeterministic() {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 1)
        let (start, unscheduled) = Self.improved(problem)
        var first = start
        var firstUnscheduled = unscheduled
        let a = first.search(unscheduled: &firstUnscheduled)
        var second = start
        var secondUnscheduled = unscheduled
        let b = second.search(unscheduled: &secondUnscheduled)
        #expect(a == b)
        #expect(a.improvements > 0)
        #expect(first.allSorties.map(\.start) == second.allSorties.map(\.start))
        #expect(first.allSorties.map(\.drone) == second.allSorties.map(\.drone))
        #expect(firstUnscheduled.keys.sorted() == secondUnscheduled.keys.sorted())
        #expect(Self.total(first) < Self.total(start))
        let day = Scheduler.schedule(problem)
        #expect(ScheduleChecker.violations(day, problem).isEmpty)
        #expect(day.sorties == Scheduler.schedule(problem).sorties)
    }

    /// A generated day of two drones and 27 occurrences (most of them out of the drones' reach or
    /// weather) where the search leaves 19 unflown: clearing a run of one capable drone's day flies
    /// one more, for less cost, dropping nothing of higher priority, and the scheduler's day keeps
    /// every rule.
    @Test func theRepairFliesAnOccurrenceTheSearchLeftUnflown() {
        let problem = ScheduleFixtures.generated(seed: 118)
        var (state, unscheduled) = Self.improved(problem)
        state.walk(unscheduled: &unscheduled, work: nil)
        let left = unscheduled.count
        let before = Self.total(state)
        let droppedBefore = SchedulerState.drops(unscheduled.keys.map { state.occurrences[$0] })
        #expect(left > 0)
        let flown = state.repairUnflown(unscheduled: &unscheduled)
        #expect(flown >= 1)
        #expect(unscheduled.count < left)
        #expect(Self.total(state) < before - 1)
        let droppedAfter = SchedulerState.drops(unscheduled.keys.map { state.occurrences[$0] })
        #expect(droppedAfter.lexicographicallyPrecedes(droppedBefore))
        #expect(state.occurrences.indices.allSatisfy { (state.droneOf[$0] < 0) == (unscheduled[$0] != nil) })
        let day = Scheduler.schedule(problem)
        #expect(day.unscheduled.count == unscheduled.count)
        #expect(ScheduleChecker.violations(day, problem).isEmpty)
    }
}
