import PatrolModel
import PatrolPlanner

/// A drone that turns back on its own, before its route's survey is done: its autopilot's
/// failsafes (low battery, a failing cell, GPS loss) fly it home or land it, and nobody commanded
/// it. The sortie is cut short where the drone stopped following the route, and the rest is
/// queued for another drone, as for a lost link; without this the sortie would end as landed and
/// complete, and the part of the area it never flew would go unseen until the next round.
extension Coordinator {
    /// Whether `report` shows the drone of sortie `entry` turning back on its own while flying
    /// towards route waypoint `towards`; if so the sortie has been cut short there.
    ///
    /// Returning or landing is normal once no survey waypoint is left ahead; with one left, the
    /// drone has given up the route (an autopilot keeps the index of the mission item it was
    /// flying towards when its failsafe took over).
    func turnedBack(_ entry: SortieBook.Entry, _ report: TelemetryReportView, towards: Int) -> Bool {
        // Paused, or already returning on a command (recall, pre-emption, an operator): not on its own.
        // A robot's round that ends short is handled when it docks (`Coordinator+RobotSorties`).
        guard !entry.isRound, entry.status.state == .inFlight, !entry.sentHome,
            [.returning, .landing, .emergency].contains(report.state)
        else {
            return false
        }
        let waypoints = entry.plan.route.waypoints
        guard towards < waypoints.count, waypoints[towards...].contains(where: { $0.kind == .survey }) else {
            return false
        }
        var entry = entry
        entry.status.lastWaypoint = towards
        sortieBook.entries[entry.status.id] = entry
        let why =
            switch report.state {
            case .emergency: "declared an emergency"
            case .landing: "is landing short of its route"
            default: "turned back on its own"
            }
        let battery = Int((report.battery * 100).rounded())
        cutShort(
            entry.status.id, reason: "\(report.device) \(why) (battery \(battery) %), survey unfinished",
            now: clock.now())
        return true
    }
}
