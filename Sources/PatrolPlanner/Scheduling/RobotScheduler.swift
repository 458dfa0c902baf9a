import PatrolGeo
public import PatrolModel

/// A robot round as the scheduler sees it: its schedule, its station, the sensors it needs and the
/// path-graph edges it drives, in order.
public struct RobotRoundTask: Hashable, Sendable, Codable {
    /// One edge of the round.
    public struct Step: Hashable, Sendable, Codable {
        /// The path edge id (`paths.geojson`).
        public var edge: String
        /// Metres driven along it.
        public var length: Double
        /// Seconds added on it (a door to open, a lift to wait for).
        public var wait: Double
        /// Whether two robots cannot pass each other on it.
        public var narrow: Bool

        public init(edge: String, length: Double, wait: Double = 0, narrow: Bool = false) {
            self.edge = edge
            self.length = length
            self.wait = wait
            self.narrow = narrow
        }
    }

    /// The mission id.
    public var id: String
    public var name: String
    public var schedule: PatrolSchedule
    /// The robot station the round starts and ends at.
    public var station: String
    /// What the robot must carry.
    public var sensors: Set<RobotSensor>
    /// Planned speed, metres per second (capped by each robot's ``Robot/speed``).
    public var speed: Double
    /// The edges driven, from the station back to it.
    public var steps: [Step]
    /// The same round planned from each of the mission's `other_stations`, in order: driven by
    /// a robot of that station when none of ``station`` can.
    public var alternatives: [RobotRoundTask]

    public init(
        id: String, name: String, schedule: PatrolSchedule, station: String, sensors: Set<RobotSensor> = [.camera],
        speed: Double, steps: [Step], alternatives: [RobotRoundTask] = []
    ) {
        self.id = id
        self.name = name
        self.schedule = schedule
        self.station = station
        self.sensors = sensors
        self.speed = speed
        self.steps = steps
        self.alternatives = alternatives
    }

    /// The scheduler's view of a `robot_round` mission, with the same visiting order as
    /// ``RobotRoundPlanner``; `nil` when the mission is not a robot round or has no `schedule:`.
    ///
    /// - Throws: ``PlanError`` when the round cannot be planned on the site's path graph.
    public init?(mission: Mission, site: Site) throws(PlanError) {
        guard case .robotRound(let spec) = mission.kind, let schedule = mission.schedule else { return nil }
        let (steps, alternatives) = try PlanError.mapping(mission: mission.id) {
            let frame = try SiteFrame(crs: site.crs)
            let graph = try PathGraph(site: site, frame: frame, speed: mission.speed)
            func steps(_ spec: RobotRoundSpec) throws -> [Step] {
                let (stops, trees, _, order) = try RobotRoundPlanner.tour(spec, graph: graph, mission: mission.id)
                var steps: [Step] = []
                for (a, b) in zip(order, order.dropFirst() + [0]) {
                    for edge in graph.walk(to: stops[b], via: trees[a].via).edges {
                        steps.append(
                            Step(
                                edge: graph.edges[edge].id, length: LineString(graph.lines[edge]).length,
                                wait: graph.edges[edge].cost, narrow: graph.edges[edge].narrow))
                    }
                }
                return steps
            }
            return (
                try steps(spec), try spec.otherStations.map { (station: $0, steps: try steps(spec.from(station: $0))) }
            )
        }
        self.init(
            id: mission.id, name: mission.name, schedule: schedule, station: spec.station, sensors: spec.sensors,
            speed: mission.speed, steps: steps,
            alternatives: alternatives.map {
                RobotRoundTask(
                    id: mission.id, name: mission.name, schedule: schedule, station: $0.station, sensors: spec.sensors,
                    speed: mission.speed, steps: $0.steps)
            })
    }

    /// Seconds from leaving the station to docking again for `robot`, metres driven, and when
    /// (seconds after leaving) the round enters and leaves each narrow edge.
    public func timing(for robot: Robot) -> (duration: Double, length: Double, narrow: [EdgeUse]) {
        let v = min(speed, robot.speed)
        var t = 0.0
        var length = 0.0
        var narrow: [EdgeUse] = []
        for step in steps {
            let end = t + step.length / v + step.wait
            if step.narrow { narrow.append(EdgeUse(edge: step.edge, from: t, to: end)) }
            t = end
            length += step.length
        }
        return (t, length, narrow)
    }
}

/// A robot on a path edge from one time to another.
public struct EdgeUse: Hashable, Sendable, Codable {
    public var edge: String
    public var from: Double
    public var to: Double

    public init(edge: String, from: Double, to: Double) {
        self.edge = edge
        self.from = from
        self.to = to
    }
}

/// One round of one robot for one occurrence of a robot patrol.
public struct RobotSortie: Hashable, Sendable, Codable {
    public var patrol: String
    /// When the occurrence was due, seconds after local midnight.
    public var due: Double
    public var robot: String
    public var station: String
    /// Leaving and docking again, seconds after local midnight.
    public var start: Double
    public var end: Double
    public var lengthMetres: Double
    public var energyWh: Double
    /// Charge when leaving and on docking, watt-hours.
    public var chargeBeforeWh: Double
    public var chargeAfterWh: Double
    public var priority: Int
    /// The narrow edges it drives, with absolute times.
    public var narrowEdges: [EdgeUse]
}

/// The robots' part of a day: their rounds, and the occurrences that did not fit, each with the reason.
public struct RobotSchedule: Hashable, Sendable, Codable {
    /// Every round, ordered by start time, then robot.
    public var sorties: [RobotSortie]
    /// Ordered by due time, then patrol. Reasons: `sensor` (no robot carries what the round
    /// needs), `station` (no capable robot docks at the round's station), `offline`, `battery`,
    /// `window` (robots exist but none is free, charged and off the round's narrow edges in time).
    public var unscheduled: [Unscheduled]

    public init(sorties: [RobotSortie] = [], unscheduled: [Unscheduled] = []) {
        self.sorties = sorties
        self.unscheduled = unscheduled
    }
}

/// Assigns a day's robot rounds to robots: a greedy pass in the drones' order (priority, then due
/// time, then patrol id), each occurrence on the robot that can leave earliest (ties: robot id).
///
/// For one robot the earliest start is a forward search from the due time; each obstacle moves it
/// strictly later: an outage of the robot or its station, the robot's own rounds plus its
/// turnaround, a charge below the round's energy plus the reserve (charging at ``Robot/chargePower``
/// from one turnaround after docking; a later round of the robot that would come up short moves it
/// past that round), and another robot on one of the round's narrow edges at the same time (moved
/// so that it enters the edge when the other has left). Past the window's end the robot fails with
/// the last obstacle as its reason. A robot drives only the rounds of its own station. Deterministic.
public enum RobotScheduler {
    /// Schedules `rounds` onto `robots` for a day.
    ///
    /// - Parameters:
    ///   - outages: robots or stations out of service (subject = robot or station id).
    ///   - notBefore: seconds after local midnight before which nothing new may start.
    public static func schedule(
        _ rounds: [RobotRoundTask], robots: [Robot], outages: [Outage] = [], notBefore: Double = 0
    ) -> RobotSchedule {
        var occurrences: [(round: Int, due: Double)] = []
        for (index, round) in rounds.enumerated() {
            for due in round.schedule.recurrence.dueTimes where due + round.schedule.window >= notBefore {
                occurrences.append((index, due))
            }
        }
        occurrences.sort {
            let a = rounds[$0.round]
            let b = rounds[$1.round]
            return (-a.schedule.priority, $0.due, a.id) < (-b.schedule.priority, $1.due, b.id)
        }
        var placed: [RobotSortie] = []
        var unscheduled: [Unscheduled] = []
        for occurrence in occurrences {
            let round = rounds[occurrence.round]
            switch place(round, due: occurrence.due, robots: robots, placed: placed, outages: outages, notBefore) {
            case .success(let sortie): placed.append(sortie)
            case .failure(let reason):
                unscheduled.append(
                    Unscheduled(
                        patrol: round.id, due: occurrence.due, priority: round.schedule.priority, reason: reason))
            }
        }
        return RobotSchedule(
            sorties: withCharges(placed, robots: robots).sorted { ($0.start, $0.robot) < ($1.start, $1.robot) },
            unscheduled: unscheduled.sorted { ($0.due, $0.patrol) < ($1.due, $1.patrol) })
    }

    /// The best placement of one occurrence, or why there is none.
    static func place(
        _ round: RobotRoundTask, due: Double, robots: [Robot], placed: [RobotSortie], outages: [Outage],
        _ notBefore: Double
    ) -> Result<RobotSortie, Unscheduled.Reason> {
        let needs = round.sensors.sorted().map(\.rawValue).joined(separator: ", ")
        let capable = robots.filter { round.sensors.isSubset(of: $0.sensors) }
        guard !capable.isEmpty else {
            let missing = round.sensors.subtracting(
                robots.reduce(into: Set<RobotSensor>()) { $0.formUnion($1.sensors) })
            let list = (missing.isEmpty ? round.sensors : missing).sorted().map(\.rawValue).joined(separator: ", ")
            return .failure(
                Unscheduled.Reason(
                    code: "sensor",
                    message: robots.isEmpty
                        ? "the fleet has no robots" : "no robot carries all of \(needs) (missing: \(list))"))
        }
        // Its own station's robots first; those of its other stations (each on the round planned
        // from there) only when none of them can.
        let plans = [round] + round.alternatives
        let stations = plans.map(\.station)
        guard capable.contains(where: { stations.contains($0.station) }) else {
            return .failure(
                Unscheduled.Reason(
                    code: "station",
                    message: "no robot with \(needs) docks at "
                        + stations.map { "`\($0)`" }.joined(separator: " or ") + " (they dock at "
                        + Set(capable.map(\.station)).sorted().joined(separator: ", ") + ")"))
        }
        var failures: [Unscheduled.Reason] = []
        for plan in plans {
            var best: RobotSortie?
            for robot in capable.filter({ $0.station == plan.station }).sorted(by: { $0.id < $1.id }) {
                switch earliest(plan, due: due, robot: robot, placed: placed, outages: outages, notBefore) {
                case .success(let sortie): if best == nil || sortie.start < best!.start { best = sortie }
                case .failure(let reason): failures.append(reason)
                }
            }
            if let best { return .success(best) }
        }
        let rank = ["window", "offline", "battery"]
        let worst = failures.min { rank.firstIndex(of: $0.code) ?? 9 < rank.firstIndex(of: $1.code) ?? 9 }!
        // Every robot's own obstacle, in robot order, for the reason that won.
        let same = failures.filter { $0.code == worst.code }.map(\.message)
        return .failure(Unscheduled.Reason(code: worst.code, message: same.joined(separator: "; ")))
    }

    /// The earliest start of `round` on `robot` within its window (or up to `until`).
    ///
    /// - Parameters:
    ///   - initial: the robot's charge, watt-hours, when it docked (it charges from one
    ///     turnaround later); its rounds ending by then are counted in it already. By default
    ///     full, before the day.
    ///   - until: the latest start; by default the end of the occurrence's window.
    ///   - keepLater: whether the robot's later rounds must keep their charge (the day's plan);
    ///     live, a later round is gated, and moved, in its own turn.
    static func earliest(
        _ round: RobotRoundTask, due: Double, robot: Robot, placed: [RobotSortie], outages: [Outage],
        _ notBefore: Double, initial: RobotCharge? = nil, until: Double? = nil, keepLater: Bool = true
    ) -> Result<RobotSortie, Unscheduled.Reason> {
        if robot.state == .maintenance || robot.state == .offline {
            return .failure(.offline("`\(robot.id)` is \(robot.state.rawValue)"))
        }
        let (duration, length, uses) = round.timing(for: robot)
        let energy = robot.power * duration / 3600
        let floor = robot.batteryWh * robot.reserve
        if energy > robot.batteryWh - floor {
            return .failure(
                .battery(
                    "the round takes \(Int(duration / 60)) min, \(Int(energy)) Wh; `\(robot.id)` has "
                        + "\(Int(robot.batteryWh - floor)) Wh above its reserve"))
        }
        let mine = placed.filter { $0.robot == robot.id }
        let others = placed.filter { $0.robot != robot.id }
        let last = until ?? due + round.schedule.window
        var t = max(due, notBefore)
        var reason = Unscheduled.Reason.window("no start found")
        search: while t <= last {
            if let o = outages.first(where: {
                ($0.subject == robot.id || $0.subject == robot.station) && $0.from < t + duration && $0.to > t
            }) {
                reason = .offline("`\(o.subject)`: \(o.reason) from \(clock(o.from))")
                t = max(o.to, t + 1)
                continue
            }
            if let s = mine.first(where: { $0.start < t + duration + robot.turnaround && t < $0.end + robot.turnaround }
            ) {
                reason = .window("`\(robot.id)` is on its \(s.patrol) round until \(clock(s.end)) plus turnaround")
                t = s.end + robot.turnaround
                continue
            }
            // Charge, from full at the start of the day, over the robot's rounds with this one.
            var charge = initial?.wattHours ?? robot.batteryWh
            var docked = initial?.docked ?? -Double.infinity
            let candidate = (start: t, end: t + duration, energy: energy)
            let counted = mine.filter { $0.end > docked }
            let rounds = (counted.map { (start: $0.start, end: $0.end, energy: $0.energyWh) } + [candidate]).sorted {
                $0.start < $1.start
            }
            for r in rounds {
                if !keepLater, r.start > t { break }
                if docked > -.infinity {
                    charge = min(
                        robot.batteryWh, charge + robot.chargePower * max(0, r.start - docked - robot.turnaround) / 3600
                    )
                }
                if charge - r.energy < floor - 1e-9 {
                    if r.start == t {
                        reason = .window("`\(robot.id)` charging for its \(Int(energy)) Wh round")
                        t += max(1, (floor + r.energy - charge) * 3600 / robot.chargePower)
                    } else {
                        reason = .window("`\(robot.id)` would come short of charge for a later round")
                        t = r.end + robot.turnaround
                    }
                    continue search
                }
                charge -= r.energy
                docked = r.end
            }
            for use in uses {
                let from = t + use.from
                let to = t + use.to
                for other in others {
                    guard other.start < t + duration, t < other.end else { continue }
                    if let hit = other.narrowEdges.first(where: { $0.edge == use.edge && $0.from < to && from < $0.to })
                    {
                        reason = .window(
                            "narrow edge `\(use.edge)` is taken by `\(other.robot)` (\(other.patrol)) "
                                + "\(clock(hit.from))–\(clock(hit.to))")
                        t = max(hit.to - use.from, t + 1e-3)
                        continue search
                    }
                }
            }
            return .success(
                RobotSortie(
                    patrol: round.id, due: due, robot: robot.id, station: robot.station, start: t, end: t + duration,
                    lengthMetres: length, energyWh: energy, chargeBeforeWh: 0, chargeAfterWh: 0,
                    priority: round.schedule.priority,
                    narrowEdges: uses.map { EdgeUse(edge: $0.edge, from: t + $0.from, to: t + $0.to) }))
        }
        guard reason.code == "window" else { return .failure(reason) }
        if until != nil { return .failure(.window("`\(robot.id)`: \(reason.message)")) }
        return .failure(
            .window("`\(robot.id)`: window of \(Int(round.schedule.window / 60)) min too short: \(reason.message)"))
    }

    /// The sorties with their charge before and after, from full at the start of the day.
    static func withCharges(_ sorties: [RobotSortie], robots: [Robot]) -> [RobotSortie] {
        var result: [RobotSortie] = []
        for robot in robots {
            var charge = robot.batteryWh
            var docked = -Double.infinity
            for var s in sorties.filter({ $0.robot == robot.id }).sorted(by: { $0.start < $1.start }) {
                if docked > -.infinity {
                    charge = min(
                        robot.batteryWh, charge + robot.chargePower * max(0, s.start - docked - robot.turnaround) / 3600
                    )
                }
                s.chargeBeforeWh = charge
                charge -= s.energyWh
                s.chargeAfterWh = charge
                docked = s.end
                result.append(s)
            }
        }
        return result
    }

    /// `HH:MM` of seconds after local midnight, as the robots' reasons write times.
    public static func clock(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded())
        let h = minutes / 60 % 24
        let m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
