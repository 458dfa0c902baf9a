import Foundation
import Logging
import PatrolModel
import PatrolPlanner

/// Robot rounds re-planned when a robot is lost or faulted (see `docs/scheduling.md`, "The live
/// layer", robot rounds):
///
/// - a robot lost on the link, reporting `emergency`, or taken out of service in the fleet
///   (`maintenance`, `offline`) is **down**: each of its queued scheduled rounds, in launch order,
///   is moved to the robot that can leave earliest from the round's planned time (its own
///   station's robots with its sensors, then its mission's `other_stations`'), by
///   ``RobotScheduler/later(_:due:robots:placed:charges:outages:from:until:)``, not past the
///   patrol's next occurrence (reason "re-planned (robot-lost robot-1): robot-2 at 02:00:00, was
///   robot-1 at 02:00:00");
/// - a round no other robot can drive stays on its robot and says why; at its time it waits
///   through its window for the robot to come back, is moved later when it is back, or is refused
///   with both reasons (the robot's and the move's) as any round that cannot leave;
/// - a robot **back** (speaking again, no longer in `emergency`, in service) takes back the rounds
///   moved off it that it can still drive at their planned time.
///
/// The robots are looked at in id order and their rounds in launch order, so the same events give
/// the same moves.
extension Coordinator {
    /// Why `robot` cannot drive a round now, or `nil`: lost on the link, faulted (`emergency`
    /// reported), out of service in the fleet.
    func robotDownReason(_ robot: Robot) -> String? {
        if lostDevices.contains(robot.id) { return "link lost" }
        if sortieBook.fixes[robot.id]?.state == .emergency { return "fault (emergency)" }
        if !robot.state.isSchedulable { return robot.state.rawValue }
        return nil
    }

    /// Notes robots gone down or back since the last run and moves their queued rounds. Called by
    /// ``runSorties()`` after the drones' live re-plan and before launching what is due.
    func replanRobotRounds(now: Date) {
        guard let robots = sortieBook.fleet?.fleet.robots, !robots.isEmpty else { return }
        for robot in robots.sorted(by: { $0.id < $1.id }) {
            // Down when the coordinator stopped, it is back once it has reconnected.
            let unheard = sortieBook.robotsDown[robot.id] == Self.downAtRestart && sessions[robot.id] == nil
            let down = robotDownReason(robot) ?? (unheard ? Self.downAtRestart : nil)
            if let down, sortieBook.robotsDown[robot.id] == nil {
                sortieBook.robotsDown[robot.id] = down
                moveRounds(off: robot.id, why: down, now: now)
            } else if down == nil, sortieBook.robotsDown[robot.id] != nil {
                sortieBook.robotsDown[robot.id] = nil
                takeBackRounds(robot.id, now: now)
            }
        }
    }

    /// Why a robot a kept round was moved off is down after a restart, until it reconnects.
    static let downAtRestart = "not reconnected since the restart"

    /// The trigger naming why a robot is down, as in the reason of a round moved off it.
    static func robotTrigger(_ robot: String, why: String) -> String {
        switch why {
        case "link lost": "robot-lost \(robot)"
        case "fault (emergency)": "robot-fault \(robot)"
        default: "robot-\(why) \(robot)"
        }
    }

    /// The queued scheduled rounds assigned to `robot`, not yet left, in launch order.
    func queuedRounds(of robot: String) -> [String] {
        sortieBook.order.compactMap { sortieBook.entries[$0] }
            .filter {
                $0.isRound && $0.request.origin == .scheduled && $0.status.state == .queued
                    && $0.status.launchedAt == nil && ($0.status.vehicle ?? $0.request.vehicle) == robot
            }
            .sorted { ($0.status.plannedLaunch, $0.status.id) < ($1.status.plannedLaunch, $1.status.id) }
            .map(\.status.id)
    }

    /// The other rounds in the way of a round re-planned now: those in progress and queued, but
    /// not the queued rounds of a robot that is down (they are moved too).
    func roundsInTheWay(of id: String, now: Date, midnight: Date) -> [RobotSortie] {
        roundSorties(excluding: id, now: now, midnight: midnight).filter {
            sortieBook.robotsDown[$0.robot] == nil || sortieBook.entries[$0.patrol]?.status.launchedAt != nil
        }
    }

    /// Robots that cannot be counted on from `t` until `until`: not connected (or lost on the
    /// link), or faulted. (One out of service in the fleet is the scheduler's to refuse.)
    func robotsAway(from t: Double, until: Double) -> [Outage] {
        (sortieBook.fleet?.fleet.robots ?? []).compactMap { robot in
            if sessions[robot.id] == nil || lostDevices.contains(robot.id) {
                return Outage(subject: robot.id, from: t, to: until + 1, reason: "not connected")
            }
            if sortieBook.fixes[robot.id]?.state == .emergency {
                return Outage(subject: robot.id, from: t, to: until + 1, reason: "fault (emergency)")
            }
            return nil
        }
    }

    /// Moves each queued round of `robot` (down: `why`) to another robot, or says why none can.
    func moveRounds(off robot: String, why: String, now: Date) {
        let trigger = Self.robotTrigger(robot, why: why)
        var moved: [String] = []
        var stuck: [String] = []
        for id in queuedRounds(of: robot) {
            guard var entry = sortieBook.entries[id], let fleet = sortieBook.fleet?.fleet,
                let task = try? roundTask(entry)
            else { continue }
            let midnight = roundMidnight(entry.due ?? entry.request.notBefore ?? entry.requestedAt)
            let t = now.timeIntervalSince(midnight)
            let planned = entry.status.plannedLaunch.timeIntervalSince(midnight)
            let from = max(planned, t)
            let until = moveLimit(entry, midnight: midnight)
            let placed = roundsInTheWay(of: id, now: now, midnight: midnight)
            let result = RobotScheduler.later(
                [task] + task.alternatives, due: (entry.due ?? entry.status.plannedLaunch).timeIntervalSince(midnight),
                robots: fleet.robots, placed: placed,
                charges: robotCharges(now: now, midnight: midnight, rounds: placed),
                outages: robotsAway(from: t, until: until), from: from, until: until)
            let was = "\(robot) at \(Self.roundClock(planned))"
            switch result {
            case .success(let sortie):
                let start = midnight.addingTimeInterval(sortie.start.rounded(.up))
                entry.movedOff = entry.movedOff ?? (robot, entry.status.plannedLaunch)
                entry.status.vehicle = sortie.robot
                entry.status.plannedLaunch = start
                entry.status.reason =
                    "re-planned (\(trigger)): \(sortie.robot) at \(Self.roundClock(sortie.start)), was \(was)"
                entry.holdUntil = movedHold(entry, start: start, midnight: midnight, until: until)
                moved.append(id)
            case .failure(let reason):
                entry.status.reason = "\(robot) \(why); no other robot can drive it: \(reason.message)"
                stuck.append(id)
            }
            sortieBook.entries[id] = entry
            keepTiming(id, reason: true)
            sortieChanged(entry.status)
        }
        sortieBook.recomputeNextDue()
        sortieBook.nextAttempt = nil
        guard !moved.isEmpty || !stuck.isEmpty else { return }
        logger.notice(
            "robot rounds re-planned",
            metadata: [
                "replan.trigger": "\(trigger)", "replan.moved": "\(moved.joined(separator: ","))",
                "replan.stuck": "\(stuck.joined(separator: ","))",
            ])
    }

    /// The hold of a round given a new start: from its due time while the start is within its
    /// window, else from the new start for its window, not past the move's limit.
    func movedHold(_ entry: SortieBook.Entry, start: Date, midnight: Date, until: Double) -> Date? {
        let window = entry.request.mission.schedule?.window ?? sortieBook.defaultHold
        let due = entry.due ?? entry.request.notBefore ?? entry.requestedAt
        if start < due.addingTimeInterval(window) { return nil }
        return min(start.addingTimeInterval(window), midnight.addingTimeInterval(until))
    }

    /// A robot back: the queued rounds moved off it go back to it when it can leave at the time
    /// each had.
    func takeBackRounds(_ robot: String, now: Date) {
        guard let fleet = sortieBook.fleet?.fleet, let own = fleet.robots.first(where: { $0.id == robot }) else {
            return
        }
        var back: [String] = []
        let ids = sortieBook.order.filter {
            guard let e = sortieBook.entries[$0] else { return false }
            return e.movedOff?.robot == robot && e.status.state == .queued && e.status.launchedAt == nil
        }
        .sorted { (sortieBook.entries[$0]!.movedOff!.launch, $0) < (sortieBook.entries[$1]!.movedOff!.launch, $1) }
        for id in ids {
            guard var entry = sortieBook.entries[id], let original = entry.movedOff,
                let task = try? roundTask(entry, robot: robot)
            else { continue }
            let midnight = roundMidnight(entry.due ?? entry.request.notBefore ?? entry.requestedAt)
            let t = now.timeIntervalSince(midnight)
            let from = max(original.launch.timeIntervalSince(midnight), t)
            // Back only when it can leave at the time it had (or now, if that has passed).
            let placed = roundsInTheWay(of: id, now: now, midnight: midnight)
            let result = RobotScheduler.later(
                [task], due: from, robots: [own], placed: placed,
                charges: robotCharges(now: now, midnight: midnight, rounds: placed),
                outages: robotsAway(from: t, until: from + Self.lateLaunchSlack), from: from,
                until: from + Self.lateLaunchSlack)
            guard case .success(let sortie) = result else { continue }
            let start = midnight.addingTimeInterval(sortie.start.rounded(.up))
            guard start <= entry.status.plannedLaunch || entry.status.vehicle == robot else { continue }
            let was =
                "\(entry.status.vehicle ?? "?") at \(Self.roundClock(entry.status.plannedLaunch.timeIntervalSince(midnight)))"
            entry.status.vehicle = robot
            entry.status.plannedLaunch = start
            entry.status.reason =
                "re-planned (robot-back \(robot)): \(robot) at \(Self.roundClock(sortie.start)), was \(was)"
            entry.holdUntil = movedHold(
                entry, start: start, midnight: midnight, until: moveLimit(entry, midnight: midnight))
            entry.movedOff = nil
            sortieBook.entries[id] = entry
            keepTiming(id, reason: true)
            sortieChanged(entry.status)
            back.append(id)
        }
        sortieBook.recomputeNextDue()
        sortieBook.nextAttempt = nil
        guard !back.isEmpty else { return }
        logger.notice(
            "robot rounds re-planned",
            metadata: ["replan.trigger": "robot-back \(robot)", "replan.moved": "\(back.joined(separator: ","))"])
    }
}
