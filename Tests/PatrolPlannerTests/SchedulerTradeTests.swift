import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolPlanner

/// Blocker trades: a late occurrence's blocker swaps drones with a sortie of another drone.
struct SchedulerTradeTests {
    /// Two hives 2 km apart with a drone each, the benchmark's model (fast chargers, a 300 s
    /// turnaround, no airspace or pad limits). At 10:00 `near-a` (beside hive-a) and `middle` (as
    /// far from both hives) are due, and the thermal patrol (beside hive-a; only drone `a` carries
    /// the camera) is due when `a` would be back from `near-a`. The greedy pass gives `near-a` to
    /// `b` (both launch at 10:00 and `b` has no payload to spare), so `a` flies `middle` and the
    /// thermal patrol waits for it.
    static func day() -> (problem: ScheduleProblem, thermalDue: Double) {
        let hiveA = XY(0, 0)
        let hiveB = XY(2000, 0)
        let a = ScheduleFixtures.drone("a", hive: "hive-a", payload: [.visual, .thermal])
        let b = ScheduleFixtures.drone("b", hive: "hive-b", payload: [.visual])
        func patrol(_ id: String, start: XY, corner: XY, due: Double, priority: Int, payload: Set<Payload>)
            -> PatrolTask
        {
            PatrolTask(
                id: id, name: id,
                schedule: PatrolSchedule(
                    recurrence: .every(interval: 86_400, from: due, to: due), window: 45 * 60, priority: priority,
                    payload: payload),
                homeHive: "hive-a",
                path: SchedulingBenchmark.lawnmower(
                    hive: start, corner: corner, lines: 2, length: 200, spacing: 50, altitude: 60),
                speed: 8)
        }
        let near = patrol("near-a", start: hiveA, corner: XY(100, 100), due: 36_000, priority: 9, payload: [.visual])
        let middle = patrol(
            "middle", start: XY(1000, 0), corner: XY(900, 100), due: 36_000, priority: 8, payload: [.visual])
        let thermalDue = 36_000 + near.profile(from: hiveA, drone: a).duration + SchedulingBenchmark.turnaround
        let thermal = patrol(
            "thermal", start: hiveA, corner: XY(-300, 100), due: thermalDue, priority: 7, payload: [.thermal])
        let hives = ["hive-a", "hive-b"].map {
            FleetHive(
                id: $0, capacity: 1, charging: ChargingCurve(power: 1e7, taperFrom: 0.99),
                turnaround: SchedulingBenchmark.turnaround)
        }
        let problem = ScheduleProblem(
            fleet: Fleet(siteID: "trade", timeZone: "UTC", hives: hives, drones: [a, b]),
            hivePositions: ["hive-a": hiveA, "hive-b": hiveB], patrols: [near, middle, thermal],
            horizontalBuffer: -1e9, padInterval: 0)
        return (problem, thermalDue)
    }

    static func total(_ state: SchedulerState) -> Double {
        state.occurrences.indices.map { state.cost($0) }.reduce(0, +)
    }

    /// The improvement step (re-placement, ejection, block rebuild) leaves the thermal patrol
    /// late; one trade (`middle` to `b`, `near-a` to `a`) flies all three on time.
    @Test func aTradeRemovesLatenessTheImprovementStepLeaves() throws {
        let (problem, thermalDue) = Self.day()
        var (state, unscheduled) = SchedulerSearchRulesTests.improved(problem)
        #expect(unscheduled.isEmpty)
        let thermal = try #require(state.occurrences.first { problem.patrols[$0.patrol].id == "thermal" })
        #expect(state.isLate(thermal.id))
        #expect(state.drones[Int(state.droneOf[thermal.id])].id == "a")
        #expect(Self.total(state) > 60)

        #expect(state.tradeBlockersOnce() == 1)
        #expect(Self.total(state) < 1e-6)
        #expect(abs(state.startOf[thermal.id] - thermalDue) < 1e-6)
        let flying = Dictionary(
            uniqueKeysWithValues: state.allSorties.map { ($0.patrol, $0.drone) })
        #expect(flying == ["near-a": "a", "middle": "b", "thermal": "a"])
        // A second pass finds nothing more to trade.
        #expect(state.tradeBlockersOnce() == 0)

        let schedule = Scheduler.schedule(problem)
        #expect(schedule.unscheduled.isEmpty)
        #expect(SchedulingBenchmark.cost(schedule) < 1e-6)
        #expect(ScheduleChecker.violations(schedule, problem).isEmpty)
    }

    /// On a held-out benchmark day with late occurrences after the walk, trades lower the cost,
    /// never raise it, drop nothing, and the same state traded twice gives the same day.
    @Test func tradesAreDeterministicAndOnlyLowerTheCost() {
        let problem = SchedulingBenchmark.instance(drones: 20, seed: 7)
        var (start, unscheduled) = SchedulerSearchRulesTests.improved(problem)
        start.walk(unscheduled: &unscheduled, work: 20_000)
        let before = Self.total(start)
        var first = start
        var second = start
        let a = first.tradeBlockers()
        let b = second.tradeBlockers()
        #expect(a == b)
        #expect(a > 0)
        #expect(first.allSorties.map(\.start) == second.allSorties.map(\.start))
        #expect(first.allSorties.map(\.drone) == second.allSorties.map(\.drone))
        #expect(Self.total(first) < before - 1)
        #expect(first.occurrences.indices.allSatisfy { (first.droneOf[$0] < 0) == (unscheduled[$0] != nil) })
        let schedule = DaySchedule(sorties: first.allSorties)
        let broken = ScheduleChecker.violations(schedule, problem).filter { !$0.contains("unscheduled") }
        #expect(broken.isEmpty)
    }

    /// The benchmark's held-out five-drone day v5-s14: one drone carries the thermal camera and
    /// every thermal patrol falls to it. The search leaves occurrences unflown there, and clearing two
    /// hours of the drone's day could not fit them; pushing its later sorties back within their
    /// windows does (as OR-Tools does), and the same state repaired twice gives the same day.
    @Test func aPushInsertionFliesWhatTheSearchLeftOnAFullDrone() {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 14)
        var (start, unscheduled) = SchedulerSearchRulesTests.improved(problem)
        start.walk(unscheduled: &unscheduled, work: nil)
        #expect(!unscheduled.isEmpty)
        let before = Self.total(start)
        let droppedBefore = SchedulerState.drops(unscheduled.keys.map { start.occurrences[$0] })
        var first = start
        var firstUnscheduled = unscheduled
        let flown = first.repairUnflown(unscheduled: &firstUnscheduled)
        var second = start
        var secondUnscheduled = unscheduled
        #expect(second.repairUnflown(unscheduled: &secondUnscheduled) == flown)
        #expect(flown == unscheduled.count)
        #expect(firstUnscheduled.isEmpty)
        #expect(Self.total(first) < before - 1)
        let droppedAfter = SchedulerState.drops(firstUnscheduled.keys.map { first.occurrences[$0] })
        #expect(droppedAfter.lexicographicallyPrecedes(droppedBefore))
        #expect(first.allSorties.map(\.start) == second.allSorties.map(\.start))
        #expect(first.allSorties.map(\.drone) == second.allSorties.map(\.drone))

        let day = Scheduler.schedule(problem)
        #expect(day.unscheduled.isEmpty)
        #expect(ScheduleChecker.violations(day, problem).isEmpty)
    }

    /// On the same day, after the search, its repair and the trades, occurrences of the thermal
    /// drone are still late where launching one earlier and delaying the drone's next sorties within
    /// their windows costs less: pushing each late one on its own drone lowers the cost, drops
    /// nothing, and the same state pushed twice gives the same day.
    @Test func pushingALateOccurrenceEarlierOnItsDroneLowersTheCost() {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 14)
        var (start, unscheduled) = SchedulerSearchRulesTests.improved(problem)
        start.walk(unscheduled: &unscheduled, work: nil)
        _ = start.repairUnflown(unscheduled: &unscheduled)
        start.tradeBlockers()
        #expect(unscheduled.isEmpty)
        let before = Self.total(start)
        var first = start
        var second = start
        let pushed = first.pushLate()
        #expect(second.pushLate() == pushed)
        #expect(pushed > 0)
        #expect(Self.total(first) < before - 1)
        #expect(first.occurrences.indices.allSatisfy { first.droneOf[$0] >= 0 })
        #expect(first.allSorties.map(\.start) == second.allSorties.map(\.start))
        #expect(first.allSorties.map(\.drone) == second.allSorties.map(\.drone))
        let schedule = DaySchedule(sorties: first.allSorties)
        #expect(ScheduleChecker.violations(schedule, problem).isEmpty)
    }
}
