import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import Testing

/// Writes the scheduling benchmark's instances, with Patrol's schedule, cost and solve time, for
/// `scripts/bench-schedule.py` to solve again with OR-Tools. Runs only when `PATROL_BENCH_OUT`
/// names a directory (see docs/benchmarks.md, section Scheduling).
struct SchedulerBenchmarkExport {
    static let output = ProcessInfo.processInfo.environment["PATROL_BENCH_OUT"]

    /// An instance both solvers model the same way: chargers fast enough that a turnaround
    /// recharges the battery, no forecast, no outages, airspace and pads not shared.
    static func instance(vehicles: Int, seed: UInt64) -> ScheduleProblem {
        var draw = SeededRandom(seed: seed)
        var hives: [FleetHive] = []
        var positions: [String: XY] = [:]
        var drones: [Drone] = []
        while drones.count < vehicles {
            let id = "hive-\(hives.count + 1)"
            let capacity = min(3, vehicles - drones.count)
            hives.append(
                FleetHive(
                    id: id, capacity: capacity, charging: ChargingCurve(power: 1e7, taperFrom: 0.99), turnaround: 300))
            positions[id] = XY(draw.uniform(0...3000), draw.uniform(0...3000))
            for d in 0..<capacity {
                var payload: Set<Payload> = [.visual]
                if draw.int(0...2) == 0 { payload.insert(.thermal) }
                drones.append(ScheduleFixtures.drone("\(id)-d\(d + 1)", hive: id, battery: 262, payload: payload))
            }
        }
        var patrols: [PatrolTask] = []
        for p in 0..<(vehicles * 3) {
            let home = hives[draw.int(0...(hives.count - 1))].id
            let path = ScheduleFixtures.lawnmower(
                hive: positions[home]!, corner: XY(draw.uniform(0...3000), draw.uniform(0...3000)),
                lines: draw.int(2...8),
                length: draw.uniform(200...600), spacing: 50, altitude: 60)
            patrols.append(
                PatrolTask(
                    id: "p\(p + 1)", name: "p\(p + 1)",
                    schedule: PatrolSchedule(
                        recurrence: .every(
                            interval: Double(draw.int(2...6)) * 1800, from: Double(draw.int(12...20)) * 1800,
                            to: Double(draw.int(36...44)) * 1800),
                        window: Double(draw.int(10...45)) * 60, priority: draw.int(1...10),
                        payload: draw.int(0...4) == 0 ? [.thermal] : [.visual]),
                    homeHive: home, path: path, speed: 8))
        }
        return ScheduleProblem(
            fleet: Fleet(siteID: "bench", timeZone: "UTC", hives: hives, drones: drones), hivePositions: positions,
            patrols: patrols, horizontalBuffer: -1e9, padInterval: 0)
    }

    /// Unscheduled occurrences cost an hour per priority point; a late start costs its seconds.
    static func cost(_ schedule: DaySchedule) -> Double {
        schedule.unscheduled.map { Double($0.priority) * 3600 }.reduce(0, +)
            + schedule.sorties.map { $0.start - $0.due }.reduce(0, +)
    }

    @Test(.enabled(if: output != nil), .serialized, arguments: [5, 20, 50])
    func export(vehicles: Int) throws {
        let directory = URL(fileURLWithPath: Self.output!)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for seed in UInt64(1)...3 {
            let problem = Self.instance(vehicles: vehicles, seed: seed)
            let clock = ContinuousClock()
            var schedule = DaySchedule()
            let elapsed = clock.measure { schedule = Scheduler.schedule(problem) }
            #expect(ScheduleChecker.violations(schedule, problem).isEmpty)
            var nodes: [[String: Any]] = []
            for patrol in problem.patrols {
                for due in patrol.schedule.recurrence.dueTimes {
                    var service: [String: Double] = [:]
                    for drone in problem.fleet.drones where patrol.schedule.payload.isSubset(of: drone.payload) {
                        let profile = patrol.profile(from: problem.hivePositions[drone.hive]!, drone: drone)
                        if profile.energyWh <= drone.usableWh { service[drone.id] = profile.duration }
                    }
                    nodes.append([
                        "patrol": patrol.id, "due": due, "window": patrol.schedule.window,
                        "priority": patrol.schedule.priority, "service": service,
                    ])
                }
            }
            let document: [String: Any] = [
                "vehicles": problem.fleet.drones.map(\.id), "turnaround": 300, "nodes": nodes,
                "patrol": [
                    "cost": Self.cost(schedule),
                    "seconds": Double(elapsed.components.attoseconds) / 1e18
                        + Double(elapsed.components.seconds),
                    "sorties": schedule.sorties.count, "unscheduled": schedule.unscheduled.count,
                ],
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
            try data.write(to: directory.appendingPathComponent("v\(vehicles)-s\(seed).json"))
        }
    }
}
