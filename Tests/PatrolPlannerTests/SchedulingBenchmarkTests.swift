import Foundation
import PatrolModel
import PatrolPlanner
import Testing

/// The scheduling benchmark's instances and the document `patrol bench schedule` writes for the
/// comparison script: correctness only, no timing (the timed runs are `patrol bench schedule`).
struct SchedulingBenchmarkTests {
    @Test func aSmallInstanceSchedulesWithinEveryRule() throws {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 1)
        #expect(problem.fleet.drones.count == 5)
        #expect(problem.fleet.hives.map(\.capacity) == [3, 2])
        #expect(problem.patrols.count == 15)
        let schedule = Scheduler.schedule(problem)
        #expect(!schedule.sorties.isEmpty)
        #expect(ScheduleChecker.violations(schedule, problem).isEmpty)
        #expect(SchedulingBenchmark.cost(schedule) >= 0)
    }

    @Test func theSameSeedGivesTheSameInstance() {
        let a = SchedulingBenchmark.instance(drones: 7, seed: 42)
        let b = SchedulingBenchmark.instance(drones: 7, seed: 42)
        let c = SchedulingBenchmark.instance(drones: 7, seed: 43)
        #expect(a.fleet == b.fleet && a.patrols == b.patrols && a.hivePositions == b.hivePositions)
        #expect(a.patrols != c.patrols)
    }

    @Test func theDocumentHoldsEveryOccurrenceAndPatrolsAnswer() throws {
        let problem = SchedulingBenchmark.instance(drones: 5, seed: 2)
        let schedule = Scheduler.schedule(problem)
        let document = SchedulingBenchmark.document(problem, schedule: schedule, seconds: 0.5)
        let occurrences = problem.patrols.map(\.schedule.recurrence.dueTimes.count).reduce(0, +)
        #expect(document.nodes.count == occurrences)
        #expect(document.nodes.count == schedule.sorties.count + schedule.unscheduled.count)
        #expect(document.vehicles == problem.fleet.drones.map(\.id))
        #expect(document.patrol.cost == SchedulingBenchmark.cost(schedule))
        // Every sortie is in its drone's route once, in launch order, on a drone that may fly it.
        let routed = document.patrol.routes.values.flatMap { $0 }
        #expect(routed.count == schedule.sorties.count && Set(routed).count == routed.count)
        for sortie in schedule.sorties {
            let route = try #require(document.patrol.routes[sortie.drone])
            let node = try #require(
                route.first { document.nodes[$0].patrol == sortie.patrol && document.nodes[$0].due == sortie.due })
            let service = try #require(document.nodes[node].service[sortie.drone])
            #expect(abs(service - (sortie.end - sortie.start)) < 1e-6)
        }
        let starts = Dictionary(uniqueKeysWithValues: schedule.sorties.map { ("\($0.patrol)@\($0.due)", $0.start) })
        for route in document.patrol.routes.values {
            let times = route.map { starts["\(document.nodes[$0].patrol)@\(document.nodes[$0].due)"] ?? -1 }
            #expect(times == times.sorted() && !times.contains(-1))
        }
        // Payloads travel with the document, so a solver can tell payload from battery limits.
        for drone in problem.fleet.drones {
            #expect(document.payloads[drone.id] == drone.payload.sorted().map(\.rawValue))
        }
        // Only drones carrying the payload are offered a thermal patrol.
        for (patrol, node) in zip(
            problem.patrols.flatMap { p in p.schedule.recurrence.dueTimes.map { _ in p } }, document.nodes)
        {
            #expect(node.payload == patrol.schedule.payload.sorted().map(\.rawValue))
            for drone in node.service.keys {
                #expect(patrol.schedule.payload.isSubset(of: try #require(problem.fleet.drone(drone)).payload))
            }
        }
        let decoded = try JSONDecoder().decode(SchedulingBenchmark.Document.self, from: JSONEncoder().encode(document))
        #expect(decoded.nodes.count == document.nodes.count && decoded.patrol.routes == document.patrol.routes)
    }
}
