import Foundation
import Logging
import PatrolModel
import PatrolPlanner

/// A round that would meet another robot's round on a narrow edge if it left now, and when it
/// could leave instead.
struct NarrowEdgeConflict {
    var vehicle: String
    /// The earliest clear start.
    var start: Date
    /// The round in the way, its robot, the edge and when it holds it.
    var other: String
    var otherVehicle: String
    var edge: String
    var from: Date
    var to: Date
    var driving: Bool
}

/// Robot rounds re-planned live (see `docs/scheduling.md`, "The live layer", robot rounds):
///
/// - a scheduled round that could not leave within its window is **moved** to the earliest
///   later time at which a robot that may drive it is free, charged (by its charging model, from
///   its last reported battery) and off the narrow edges of the rounds in progress and queued,
///   before the patrol's next occurrence; or refused with every robot's reason;
/// - a round leaving late (it waited for charge or its robot, it resumes a cut-short round, or
///   another robot drives it) is checked against the other rounds' narrow edges, by the
///   scheduler's edge rule, and shifted past the round in its way;
/// - a round whose mission names `other_stations` may be driven by a robot of one of them when
///   no robot of its own station can: planned from that station (its route, time and energy).
///
/// Holds from the due time and moves kept across a restart are in `Coordinator+RoundHolds.swift`;
/// a lost or faulted robot's rounds in `Coordinator+RobotLoss.swift`; rounds in progress placed by
/// their telemetry in `Coordinator+RoundTelemetry.swift`.
extension Coordinator {
    // MARK: - Time base

    /// Local midnight (the fleet's time zone) of the day of `date`: the planner's round times are
    /// seconds after it.
    func roundMidnight(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = sortieBook.fleet.flatMap { TimeZone(identifier: $0.fleet.timeZone) } ?? .gmt
        return calendar.startOfDay(for: date)
    }

    /// `HH:MM:SS` of seconds after local midnight: live shifts are seconds long.
    static func roundClock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let parts = [total / 3600 % 24, total / 60 % 60, total % 60]
        return parts.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    // MARK: - Stations

    /// The round of `entry` as `robot` drives it: from its own station, or from the robot's
    /// station when the mission lets robots of that station drive it.
    func roundMission(_ entry: SortieBook.Entry, robot: String) -> Mission {
        let mission = entry.request.mission
        guard case .robotRound(let spec) = mission.kind, let station = fleetRobot(robot)?.station,
            station != spec.station, spec.otherStations.contains(station)
        else { return mission }
        var moved = mission
        moved.kind = .robotRound(spec.from(station: station))
        moved.hive = station
        return moved
    }

    /// The robots of the mission's `other_stations` that carry its sensors, in the stations'
    /// order, then by id.
    func otherStationRobots(_ entry: SortieBook.Entry) -> [String] {
        guard case .robotRound(let spec) = entry.request.mission.kind, let fleet = sortieBook.fleet?.fleet else {
            return []
        }
        return spec.otherStations.flatMap { station in
            fleet.robots.filter { $0.station == station && spec.sensors.isSubset(of: $0.sensors) }.map(\.id).sorted()
        }
    }

    /// Before the launch of a round on a robot of another station: the entry's mission and plan
    /// become the round planned from that station. It drives the whole round (a resume point
    /// is an index into its own station's route). Returns the problem when it cannot be planned.
    func relocateRound(_ id: String, to vehicle: String) -> String? {
        guard var entry = sortieBook.entries[id], entry.isRound else { return nil }
        let mission = roundMission(entry, robot: vehicle)
        guard case .robotRound(let spec) = mission.kind, case .robotRound(let own) = entry.request.mission.kind,
            spec.station != own.station
        else { return nil }
        do {
            let key = "\(mission.id)@\(spec.station)"
            let plan = try sortieBook.plans[key] ?? RobotRoundPlanner.plan(mission, site: entry.request.site)
            sortieBook.plans[key] = plan
            entry.plan = plan
        } catch {
            return "the round cannot be planned from `\(spec.station)`: \(error)"
        }
        entry.request.mission = mission
        entry.request.resumeFrom = 0
        entry.status.resumeFrom = 0
        entry.notes.append("driven from `\(spec.station)` by \(vehicle), as `\(own.station)` had no robot free")
        sortieBook.entries[id] = entry
        logger.notice(
            "robot round taken by another station's robot",
            metadata: ["sortie.id": "\(id)", "device.id": "\(vehicle)", "round.station": "\(spec.station)"])
        return nil
    }

    // MARK: - What the robots are doing

    /// The rounds of every robot other than sortie `excluded`, in progress (from their launch) or
    /// queued for later on their robot, as the planner sees rounds (seconds after `midnight`).
    func roundSorties(excluding excluded: String, now: Date, midnight: Date) -> [RobotSortie] {
        var result: [RobotSortie] = []
        for id in sortieBook.order where id != excluded {
            guard let other = sortieBook.entries[id], other.isRound, !other.landed else { continue }
            let start: Date
            let vehicle: String
            if let launched = other.status.launchedAt, let v = other.status.vehicle {
                (start, vehicle) = (launched, v)
            } else if other.status.state == .queued, other.resumeAfter == nil,
                let v = other.status.vehicle ?? other.request.vehicle,
                other.status.plannedLaunch > now || !roundLeavesLate(other, vehicle: v, now: now)
            {
                // Queued for later, or due now on time: the latter leaves without a check of its
                // own (a late one is checked when it leaves), so a late round keeps off it too.
                (start, vehicle) = (max(other.status.plannedLaunch, now), v)
            } else {
                continue
            }
            guard let robot = fleetRobot(vehicle), let task = try? roundTask(other, robot: vehicle) else { continue }
            var (duration, length, uses) = task.timing(for: robot)
            let s = start.timeIntervalSince(midnight)
            var end = s + duration
            // On its way: from where its telemetry puts it, its remaining path (`+RoundTelemetry`).
            if let rest = remainingRound(other, robot: robot, task: task, midnight: midnight) {
                end = rest.end
                uses = rest.narrow.map { EdgeUse(edge: $0.edge, from: $0.from - s, to: $0.to - s) }
            }
            // Driving past its planned time: it holds the station (and its edges) a while yet.
            if other.status.launchedAt != nil, end <= now.timeIntervalSince(midnight) {
                end = now.timeIntervalSince(midnight) + Self.lateLaunchSlack
            }
            result.append(
                RobotSortie(
                    patrol: id, due: s, robot: vehicle, station: robot.station, start: s, end: end,
                    lengthMetres: length, energyWh: robot.power * duration / 3600,
                    priority: other.status.priority,
                    narrowEdges: uses.map { EdgeUse(edge: $0.edge, from: s + $0.from, to: s + $0.to) }))
        }
        return result
    }

    /// Each robot's charge as the planner needs it: docked, its last reported battery, charging
    /// from ``robotChargingFrom(_:last:)``; on a round, what it will dock with.
    func robotCharges(now: Date, midnight: Date, rounds: [RobotSortie]) -> [String: RobotCharge] {
        var charges: [String: RobotCharge] = [:]
        for robot in sortieBook.fleet?.fleet.robots ?? [] {
            guard let last = sortieBook.battery[robot.id] else { continue }
            let level = last.fraction * robot.batteryWh
            let t = now.timeIntervalSince(midnight)
            if let driving = rounds.first(where: { $0.robot == robot.id && $0.start <= t && t < $0.end }) {
                let left = robot.power * max(0, driving.end - t) / 3600
                charges[robot.id] = RobotCharge(wattHours: max(0, level - left), docked: driving.end)
            } else if let from = robotChargingFrom(robot, last: last.at) {
                // The planner charges from one turnaround after `docked`.
                charges[robot.id] = RobotCharge(
                    wattHours: level, docked: from.timeIntervalSince(midnight) - robot.turnaround)
            } else {
                charges[robot.id] = RobotCharge(wattHours: level, docked: .infinity)
            }
        }
        return charges
    }

    /// From when a robot not on a round charges on top of its last reported battery: one
    /// turnaround after it docked, or its last report when that is later (the report gives the
    /// level then); its last report when it reported itself docked (`landed` or `idle`) without a
    /// round since the coordinator started (it is on its charger; when it docked is not known).
    func robotChargingFrom(_ robot: Robot, last: Date) -> Date? {
        if let docked = sortieBook.landedAt[robot.id] { return max(docked.addingTimeInterval(robot.turnaround), last) }
        if let fix = sortieBook.fixes[robot.id], fix.state == .landed || fix.state == .idle { return last }
        return nil
    }

    // MARK: - Moving a refused round

    /// The latest start of a moved round: just before the patrol's next occurrence (which covers
    /// the same checkpoints), or the end of the day after its last.
    func moveLimit(_ entry: SortieBook.Entry, midnight: Date) -> Double {
        let planned = (entry.due ?? entry.request.notBefore ?? entry.requestedAt).timeIntervalSince(midnight)
        let next = entry.request.mission.schedule?.recurrence.dueTimes.sorted().first { $0 > planned + 1 }
        return (next ?? 24 * 3600) - 1
    }

    /// A scheduled round whose hold has run out: moves it to the earliest later time a robot can
    /// drive it (see ``RobotScheduler/later(_:due:robots:placed:charges:outages:from:until:)``)
    /// and returns `true`; `false` (it is refused) when none can before the patrol's next
    /// occurrence, with `why` extended by the planner's reasons.
    func moveRound(_ id: String, why: inout String, now: Date) -> Bool {
        guard var entry = sortieBook.entries[id], entry.isRound, entry.request.origin == .scheduled,
            let fleet = sortieBook.fleet?.fleet
        else { return false }
        let midnight = roundMidnight(entry.due ?? entry.request.notBefore ?? entry.requestedAt)
        let t = now.timeIntervalSince(midnight)
        let placed = roundSorties(excluding: id, now: now, midnight: midnight)
        guard let task = try? roundTask(entry) else { return false }
        let plans = [task] + task.alternatives
        let until = moveLimit(entry, midnight: midnight)
        // Robots that cannot be reached now cannot be counted on.
        let away = robotsAway(from: t, until: until)
        let result = RobotScheduler.later(
            plans, due: t, robots: fleet.robots, placed: placed,
            charges: robotCharges(now: now, midnight: midnight, rounds: placed), outages: away, from: t + 1,
            until: until)
        switch result {
        case .failure(let reason):
            why += "; not moved later: \(reason.message)"
            return false
        case .success(let sortie):
            let start = midnight.addingTimeInterval(sortie.start.rounded(.up))
            entry.status.plannedLaunch = start
            entry.status.vehicle = sortie.robot
            entry.status.reason =
                "moved to \(Self.roundClock(sortie.start)) on \(sortie.robot) "
                + "(the earliest it is free, charged and off other rounds' narrow edges): \(why)"
            // It holds from its new time for its window, not past the patrol's next occurrence.
            let window = entry.request.mission.schedule?.window ?? sortieBook.defaultHold
            entry.holdUntil = min(start.addingTimeInterval(window), midnight.addingTimeInterval(until))
            sortieBook.entries[id] = entry
            sortieBook.recomputeNextDue()
            keepTiming(id)
            logger.notice(
                "robot round moved later",
                metadata: [
                    "sortie.id": "\(id)", "device.id": "\(sortie.robot)",
                    "sortie.launch": "\(start.formatted(.iso8601))",
                ])
            sortieChanged(entry.status)
            return true
        }
    }

    // MARK: - Narrow edges on a late departure

    /// Whether `entry` leaving on `vehicle` now departs from the day's schedule: late, resumed,
    /// or on another robot than assigned (so the scheduler did not keep its edges clear).
    func roundLeavesLate(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> Bool {
        guard entry.isRound else { return false }
        if entry.request.resumeFrom > 0 || entry.status.resumeFrom > 0 { return true }
        if let assigned = entry.request.vehicle, assigned != vehicle { return true }
        return now.timeIntervalSince(entry.request.notBefore ?? entry.requestedAt) > Self.lateLaunchSlack
    }

    /// The round in the way when `entry`, leaving late on `vehicle` now, would share a narrow
    /// edge with another round in progress or queued; `nil` when its edges are clear. A round
    /// leaving on time is checked only against rounds that have left the schedule's times (see
    /// ``offSchedule(_:midnight:)``): the scheduler kept it clear of the others.
    func narrowEdgeConflict(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> NarrowEdgeConflict? {
        guard entry.isRound, let robot = fleetRobot(vehicle), let task = try? roundTask(entry, robot: vehicle) else {
            return nil
        }
        let late = roundLeavesLate(entry, vehicle: vehicle, now: now)
        let midnight = roundMidnight(now)
        let (duration, _, uses) = task.timing(for: robot)
        let others = roundSorties(excluding: entry.status.id, now: now, midnight: midnight).filter {
            $0.robot != vehicle && (late || offSchedule($0, midnight: midnight))
        }
        guard !others.isEmpty else { return nil }
        let t = now.timeIntervalSince(midnight)
        let (start, blocker) = RobotScheduler.clearOfNarrowEdges(uses, duration: duration, from: t, others: others)
        guard let blocker, start > t else { return nil }
        let driving = sortieBook.entries[blocker.sortie.patrol]?.status.launchedAt != nil
        return NarrowEdgeConflict(
            vehicle: vehicle, start: midnight.addingTimeInterval(start.rounded(.up)), other: blocker.sortie.patrol,
            otherVehicle: blocker.sortie.robot, edge: blocker.use.edge,
            from: midnight.addingTimeInterval(blocker.use.from), to: midnight.addingTimeInterval(blocker.use.to),
            driving: driving)
    }

    /// When every robot free and charged for round `id` would meet another round on a narrow
    /// edge: shifts it to the earliest clear start (`reason` "shifted for a narrow edge: …"),
    /// within its hold; past its hold it is moved later or refused as a round that could not
    /// leave. Returns `false` when nothing conflicted.
    func shiftForNarrowEdges(_ id: String, conflicts: [NarrowEdgeConflict], now: Date) -> Bool {
        guard var entry = sortieBook.entries[id],
            let first = conflicts.min(by: { ($0.start, $0.vehicle) < ($1.start, $1.vehicle) })
        else { return false }
        let midnight = roundMidnight(now)
        let what =
            "narrow edge `\(first.edge)` is taken by \(first.other) (\(first.otherVehicle), "
            + "\(first.driving ? "driving" : "planned")) "
            + "\(Self.roundClock(first.from.timeIntervalSince(midnight)))–"
            + "\(Self.roundClock(first.to.timeIntervalSince(midnight)))"
        let base = entry.request.notBefore ?? entry.requestedAt
        let hold =
            entry.request.origin == .scheduled
            ? (entry.request.mission.schedule?.window ?? sortieBook.defaultHold) : sortieBook.defaultHold
        // Within its hold: from its due time (or its move), as at gating (`+RoundHolds`).
        let deadline = max(holdEnd(entry, hold: hold), (entry.due ?? base).addingTimeInterval(Self.lateLaunchSlack))
        if first.start > deadline {
            var why = "no clear narrow edges within its hold: " + what
            if moveRound(id, why: &why, now: now) { return true }
            entry.status.state = .refused
            entry.status.reason = why
            sortieBook.entries[id] = entry
            logger.warning("sortie refused", metadata: ["sortie.id": "\(id)", "sortie.reason": "\(why)"])
            resumePaused(after: id, now: now)
        } else {
            entry.status.plannedLaunch = first.start
            entry.status.vehicle = first.vehicle
            entry.status.reason =
                "shifted for a narrow edge: \(what); leaves at "
                + Self.roundClock(first.start.timeIntervalSince(midnight))
            sortieBook.entries[id] = entry
            sortieBook.recomputeNextDue()
            keepTiming(id)
            logger.notice(
                "robot round shifted for a narrow edge",
                metadata: [
                    "sortie.id": "\(id)", "device.id": "\(first.vehicle)", "sortie.conflict": "\(first.other)",
                    "sortie.launch": "\(first.start.formatted(.iso8601))",
                ])
        }
        sortieChanged(entry.status)
        return true
    }
}
