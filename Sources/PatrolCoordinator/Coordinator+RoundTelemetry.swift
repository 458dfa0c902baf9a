import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

/// A robot round in progress holds its narrow edges from its telemetry, not its plan: from the
/// waypoint it last reported driving towards, the rest of its path at its speed (see
/// ``RobotRoundTask/remaining(for:afterMetres:)``), so a round running late on an edge is seen
/// there by the rounds re-planned around it (`Coordinator+RobotReplan.swift`, `+RobotLoss`).
extension Coordinator {
    /// A round on its way, as its telemetry shows it: docking at `end` and holding the narrow
    /// edges still ahead (seconds after `midnight`), from where it last reported, the waypoint it
    /// drives towards, and its remaining path; `nil` before it has reported on this round.
    func remainingRound(_ entry: SortieBook.Entry, robot: Robot, task: RobotRoundTask, midnight: Date) -> (
        end: Double, narrow: [EdgeUse]
    )? {
        guard let launched = entry.status.launchedAt, entry.status.lastWaypoint != nil,
            let fix = sortieBook.fixes[robot.id], fix.time >= launched
        else { return nil }
        // Metres along the route to the last waypoint reached: it is on the leg after it. The
        // robot's own index (a resumed round keeps the full route's indices and drives it all).
        let xy = entry.plan.waypointsXY
        guard !xy.isEmpty else { return nil }
        let reached = min(max(0, fix.waypointIndex - 1), xy.count - 1)
        var metres = 0.0
        for k in stride(from: 0, to: reached, by: 1) { metres += xy[k].distance(to: xy[k + 1]) }
        let rest = task.remaining(for: robot, afterMetres: metres)
        let at = fix.time.timeIntervalSince(midnight)
        return (at + rest.duration, rest.narrow.map { EdgeUse(edge: $0.edge, from: at + $0.from, to: at + $0.to) })
    }

    /// Whether a round in the way (as ``roundSorties(excluding:now:midnight:)`` gives it) has left
    /// the schedule's times, so that even a round leaving on time must keep off it: in progress,
    /// it left late, resumed or on another robot than assigned, or its telemetry (or its running
    /// past its planned end) puts its docking more than a minute after its plan's; queued, it was
    /// moved, shifted or given another robot.
    func offSchedule(_ sortie: RobotSortie, midnight: Date) -> Bool {
        guard let other = sortieBook.entries[sortie.patrol] else { return false }
        if let launched = other.status.launchedAt, let vehicle = other.status.vehicle {
            if roundLeavesLate(other, vehicle: vehicle, now: launched) { return true }
            guard let robot = fleetRobot(vehicle), let task = try? roundTask(other, robot: vehicle) else {
                return false
            }
            let planned = launched.timeIntervalSince(midnight) + task.timing(for: robot).duration
            return sortie.end > planned + Self.lateLaunchSlack
        }
        let asked = other.request.notBefore ?? other.requestedAt
        return other.status.plannedLaunch != asked
            || (other.status.vehicle ?? other.request.vehicle) != other.request.vehicle
    }
}
