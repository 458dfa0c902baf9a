public import PatrolModel

/// A robot's charge when it docked, or will dock: it charges at ``Robot/chargePower`` from one
/// ``Robot/turnaround`` after `docked`.
public struct RobotCharge: Hashable, Sendable {
    /// Watt-hours in the battery at `docked`.
    public var wattHours: Double
    /// Seconds (on the same scale as the rounds' times) when it docked or will dock.
    public var docked: Double

    public init(wattHours: Double, docked: Double) {
        self.wattHours = wattHours
        self.docked = docked
    }
}

/// Re-planning one round live: the coordinator's robots are where they are, with the charge they
/// reported, and other rounds are in progress or queued. These use the day scheduler's rules
/// (``RobotScheduler``): the robot's own rounds plus its turnaround, its charge by its charging
/// model, and the narrow-edge rule (one robot on a narrow edge at a time).
extension RobotScheduler {
    /// The earliest start from `from` to `until` for a round that could not leave in its window,
    /// on any robot that may drive it, or why none can. Unlike the day's plan, the robot's later
    /// rounds do not hold back its charge: each is gated, and moved, in its own turn, so the robot
    /// drives every round it can rather than waiting for the next.
    ///
    /// - Parameters:
    ///   - plans: the round as planned from each station whose robots may drive it: its own
    ///     station first, then the mission's `other_stations` in order. A robot drives the plan
    ///     of its own station.
    ///   - placed: the other rounds, in progress or queued, of every robot (times on the same
    ///     scale as `from`).
    ///   - charges: each robot's known charge; a robot missing here is full from the start.
    ///   - outages: robots or stations out of service.
    /// - Returns: the round on the robot that can leave earliest (ties: its own station, then
    ///   the stations' order, then robot id); the reasons of every robot otherwise.
    public static func later(
        _ plans: [RobotRoundTask], due: Double, robots: [Robot], placed: [RobotSortie],
        charges: [String: RobotCharge], outages: [Outage] = [], from: Double, until: Double
    ) -> Result<RobotSortie, Unscheduled.Reason> {
        guard let own = plans.first else { return .failure(.window("the round has no plan")) }
        var best: (sortie: RobotSortie, rank: Int)?
        var failures: [String] = []
        var capable = false
        for (rank, plan) in plans.enumerated() {
            let robots = robots.filter { $0.station == plan.station && own.sensors.isSubset(of: $0.sensors) }
            for robot in robots.sorted(by: { $0.id < $1.id }) {
                capable = true
                guard until >= from else { continue }
                let result = earliest(
                    plan, due: from, robot: robot, placed: placed.filter { $0.end > from - robot.turnaround },
                    outages: outages, from, initial: charges[robot.id], until: until, keepLater: false)
                switch result {
                case .success(var sortie):
                    sortie.due = due
                    sortie.patrol = own.id
                    if best == nil || sortie.start < best!.sortie.start { best = (sortie, rank) }
                case .failure(let reason):
                    failures.append(
                        reason.message.hasPrefix("`\(robot.id)`") ? reason.message : "`\(robot.id)`: \(reason.message)")
                }
            }
        }
        if let best { return .success(best.sortie) }
        if !capable {
            let stations = plans.map { "`\($0.station)`" }.joined(separator: ", ")
            return .failure(
                Unscheduled.Reason(code: "station", message: "no robot with its sensors docks at \(stations)"))
        }
        if until < from { return .failure(.window("no time left before \(clock(until))")) }
        return .failure(
            .window("no start from \(clock(from)) to \(clock(until)): " + failures.joined(separator: "; ")))
    }

    /// The earliest start from `from` at which a round driving the narrow edges `uses` (seconds
    /// after it leaves) meets no other round on them: the scheduler's edge rule (it enters an
    /// edge just as the other leaves it), applied until nothing is in the way.
    ///
    /// - Returns: the start, and the last round (with its use of the edge) that moved it; `nil`
    ///   when `from` is clear.
    public static func clearOfNarrowEdges(
        _ uses: [EdgeUse], duration: Double, from: Double, others: [RobotSortie]
    ) -> (start: Double, blocker: (sortie: RobotSortie, use: EdgeUse)?) {
        var t = from
        var blocker: (sortie: RobotSortie, use: EdgeUse)?
        // Each step moves past one use of a finite set: it ends.
        search: for _ in 0..<10_000 {
            for use in uses {
                let start = t + use.from
                let end = t + use.to
                for other in others where other.start < t + duration && t < other.end {
                    if let hit = other.narrowEdges.first(where: {
                        $0.edge == use.edge && $0.from < end && start < $0.to
                    }) {
                        blocker = (other, hit)
                        t = max(hit.to - use.from, t + 1e-3)
                        continue search
                    }
                }
            }
            break
        }
        return (t, blocker)
    }
}

extension RobotSortie {
    /// A round from its fields, its charges not worked out (the live layer describes rounds in
    /// progress and queued this way).
    public init(
        patrol: String, due: Double, robot: String, station: String, start: Double, end: Double,
        lengthMetres: Double, energyWh: Double, priority: Int, narrowEdges: [EdgeUse]
    ) {
        self.patrol = patrol
        self.due = due
        self.robot = robot
        self.station = station
        self.start = start
        self.end = end
        self.lengthMetres = lengthMetres
        self.energyWh = energyWh
        self.chargeBeforeWh = 0
        self.chargeAfterWh = 0
        self.priority = priority
        self.narrowEdges = narrowEdges
    }
}

extension RobotRoundTask {
    /// The rest of the round for `robot` from `metres` along it (where its telemetry puts it):
    /// seconds to docking, and when (seconds from now) it enters and leaves each narrow edge still
    /// ahead, the one it is on counted from now. The edge it is on counts the rest of its length
    /// and its whole wait (a door or lift not yet passed; a robot held there keeps holding it).
    public func remaining(for robot: Robot, afterMetres metres: Double) -> (duration: Double, narrow: [EdgeUse]) {
        let v = min(speed, robot.speed)
        var along = 0.0
        var t = 0.0
        var narrow: [EdgeUse] = []
        for step in steps {
            let from = along
            along += step.length
            // Done with it (a robot at its end is on the next).
            guard along > metres + 1e-6 else { continue }
            let left = along - max(from, metres)
            let end = t + left / v + step.wait
            if step.narrow { narrow.append(EdgeUse(edge: step.edge, from: t, to: end)) }
            t = end
        }
        return (t, narrow)
    }
}
