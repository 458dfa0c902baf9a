public import PatrolGeo
import PatrolModel

/// The scheduling benchmark's instances (issue 4): seeded days of drones and patrols that
/// Patrol's scheduler and a routing solver (OR-Tools, PyVRP) model the same way, their shared cost
/// and the JSON document that `scripts/bench-schedule.py` reads. `patrol bench schedule` runs them;
/// docs/benchmarks.md, section Scheduling, describes the comparison.
public enum SchedulingBenchmark {
    /// The seconds a drone spends in its hive between two sorties in every instance.
    public static let turnaround: Double = 300

    /// The day of `drones` drones (three to a hive, hives scattered over 3 km × 3 km) and three
    /// patrols per drone that `seed` draws: lawnmower routes of 2–8 lines, every 1–3 hours through
    /// the day, 10–45 minute windows, priorities 1–10, one patrol in five needing the thermal camera
    /// that one drone in three carries.
    ///
    /// Only the part of Patrol's problem that a routing solver models exactly: chargers fast enough
    /// that a turnaround recharges the battery, no forecast, no outages, airspace and pads not
    /// shared. The same `drones` and `seed` give the same problem on every machine.
    public static func instance(drones vehicles: Int, seed: UInt64) -> ScheduleProblem {
        var draw = SeededRandom(seed: seed)
        var hives: [FleetHive] = []
        var positions: [String: XY] = [:]
        var drones: [Drone] = []
        while drones.count < vehicles {
            let id = "hive-\(hives.count + 1)"
            let capacity = min(3, vehicles - drones.count)
            hives.append(
                FleetHive(
                    id: id, capacity: capacity, charging: ChargingCurve(power: 1e7, taperFrom: 0.99),
                    turnaround: turnaround))
            positions[id] = XY(draw.uniform(0...3000), draw.uniform(0...3000))
            for d in 0..<capacity {
                var payload: Set<Payload> = [.visual]
                if draw.int(0...2) == 0 { payload.insert(.thermal) }
                drones.append(
                    Drone(
                        id: "\(id)-d\(d + 1)", hive: id, batteryWh: 262, reserve: 0.25, maxSpeed: 15,
                        consumption: ConsumptionModel(
                            cruise: 350, hover: 300, climb: 420, headwindPerMPS: 12, verticalSpeed: 3),
                        payload: payload))
            }
        }
        var patrols: [PatrolTask] = []
        for p in 0..<(vehicles * 3) {
            let home = hives[draw.int(0...(hives.count - 1))].id
            let path = lawnmower(
                hive: positions[home]!, corner: XY(draw.uniform(0...3000), draw.uniform(0...3000)),
                lines: draw.int(2...8), length: draw.uniform(200...600), spacing: 50, altitude: 60)
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

    /// The benchmark's cost of a day: 3600 × priority for each occurrence not flown, plus the
    /// seconds each launch is later than its due time.
    public static func cost(_ schedule: DaySchedule) -> Double {
        schedule.unscheduled.map { Double($0.priority) * 3600 }.reduce(0, +)
            + schedule.sorties.map { $0.start - $0.due }.reduce(0, +)
    }

    /// An instance as the comparison script reads it, with Patrol's answer.
    public struct Document: Codable, Sendable {
        /// The drones (the solvers' vehicles), in the fleet's order.
        public var vehicles: [String]
        /// Each drone's hive (the solvers' depots).
        public var hives: [String: String]
        /// Each drone's payload, sorted.
        public var payloads: [String: [String]]
        public var turnaround: Double
        /// The patrol occurrences (the solvers' optional visits), in patrol then due-time order.
        public var nodes: [Node]
        public var patrol: Answer

        /// One occurrence: it may start from `due` to `due + window`; `service` holds the sortie's
        /// duration (launch to landing, seconds) for each drone that may fly it (carries `payload`
        /// and has the battery for it).
        public struct Node: Codable, Sendable {
            public var patrol: String
            public var due: Double
            public var window: Double
            public var priority: Int
            public var payload: [String]
            public var service: [String: Double]
        }

        /// Patrol's schedule: its cost, solve time (wall clock, and the process's CPU time when
        /// measured: on a shared machine the two differ), counts, and each drone's occurrences
        /// (indices into `nodes`) in launch order.
        public struct Answer: Codable, Sendable {
            public var cost: Double
            public var seconds: Double
            public var cpuSeconds: Double?
            public var sorties: Int
            public var unscheduled: Int
            public var routes: [String: [Int]]
        }
    }

    /// The document for `problem` and Patrol's `schedule` of it, found in `seconds` (wall clock)
    /// and `cpuSeconds` (CPU time).
    public static func document(
        _ problem: ScheduleProblem, schedule: DaySchedule, seconds: Double, cpuSeconds: Double? = nil
    ) -> Document {
        var nodes: [Document.Node] = []
        var index: [String: Int] = [:]
        for patrol in problem.patrols {
            for due in patrol.schedule.recurrence.dueTimes {
                var service: [String: Double] = [:]
                for drone in problem.fleet.drones where patrol.schedule.payload.isSubset(of: drone.payload) {
                    guard let hiveXY = problem.hivePositions[drone.hive] else { continue }
                    let profile = patrol.profile(from: hiveXY, drone: drone)
                    if profile.energyWh <= drone.usableWh { service[drone.id] = profile.duration }
                }
                index["\(patrol.id)@\(due)"] = nodes.count
                nodes.append(
                    Document.Node(
                        patrol: patrol.id, due: due, window: patrol.schedule.window,
                        priority: patrol.schedule.priority, payload: patrol.schedule.payload.sorted().map(\.rawValue),
                        service: service))
            }
        }
        var routes: [String: [Int]] = [:]
        for sortie in schedule.sorties.sorted(by: { ($0.drone, $0.start) < ($1.drone, $1.start) }) {
            if let node = index["\(sortie.patrol)@\(sortie.due)"] { routes[sortie.drone, default: []].append(node) }
        }
        return Document(
            vehicles: problem.fleet.drones.map(\.id),
            hives: Dictionary(uniqueKeysWithValues: problem.fleet.drones.map { ($0.id, $0.hive) }),
            payloads: Dictionary(
                uniqueKeysWithValues: problem.fleet.drones.map { ($0.id, $0.payload.sorted().map(\.rawValue)) }),
            turnaround: turnaround, nodes: nodes,
            patrol: Document.Answer(
                cost: cost(schedule), seconds: seconds, cpuSeconds: cpuSeconds, sorties: schedule.sorties.count,
                unscheduled: schedule.unscheduled.count, routes: routes))
    }

    /// A lawnmower path of `lines` lines, `length` long and `spacing` apart, from `hive` (also the
    /// tests' generated patrols).
    public static func lawnmower(hive: XY, corner: XY, lines: Int, length: Double, spacing: Double, altitude: Double)
        -> [PathPoint]
    {
        var path = [PathPoint(hive, altitude: altitude)]
        for k in 0..<lines {
            let y = corner.y + Double(k) * spacing
            let (a, b) = k % 2 == 0 ? (corner.x, corner.x + length) : (corner.x + length, corner.x)
            path.append(PathPoint(XY(a, y), altitude: altitude))
            path.append(PathPoint(XY(b, y), altitude: altitude))
        }
        return path
    }
}

extension SeededRandom {
    // The draws the test fixtures make (Tests/PatrolPlannerTests/ScheduleFixtures.swift), so the
    // instances are the ones measured before the generator moved here.
    fileprivate mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    fileprivate mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
