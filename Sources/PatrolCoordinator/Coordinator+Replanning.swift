import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolStore

/// Live re-planning: sorties recalled for weather at their hive, and routine sorties pre-empted
/// by urgent verification sorties. A recalled or pre-empted sortie is cut short at the waypoint
/// it was flying towards; the rest is queued as a new sortie that resumes from there.
extension Coordinator {
    /// Recalls the sorties flying from `hive` when its weather is over their limits.
    func recallForWeather(hive: String, status: StoredHiveStatus, now: Date) {
        for id in sortieBook.order {
            guard let entry = sortieBook.entries[id], !entry.cut, !entry.landed, entry.status.launchedAt != nil,
                [.uploading, .inFlight, .paused].contains(entry.status.state), let vehicle = entry.status.vehicle,
                droneHive(vehicle) == hive,
                let problem = weatherProblem(status, hive: hive, mission: entry.request.mission)
            else { continue }
            recall(id, vehicle: vehicle, reason: "recalled: \(problem)", now: now)
        }
    }

    /// Sends `vehicle` home and cuts its sortie short; the rest is queued, after `resumeAfter`
    /// ends when given.
    func recall(_ id: String, vehicle: String, reason: String, now: Date, resumeAfter: String? = nil) {
        commandSortie(.returnToHive, flightID: id, vehicle: vehicle, now: now)
        cutShort(id, reason: reason, now: now)
        guard var entry = sortieBook.entries[id] else { return }
        entry.status.state = .returning
        sortieBook.entries[id] = entry
        if let resumeAfter, let next = entry.status.continuedBy {
            sortieBook.entries[next]?.resumeAfter = resumeAfter
            sortieBook.recomputeNextDue()
        }
        emit(.sortieChanged(entry.status))
    }

    /// Records and sends a flight command of the sortie layer.
    func commandSortie(_ action: Command.Action, flightID: String, vehicle: String, now: Date) {
        let command = nextCommandID()
        do {
            try store.recordCommand(
                id: command, deviceID: vehicle, flightID: flightID, action: action.rawValue, at: now)
        } catch {
            logger.error("cannot record a command", metadata: ["device.id": "\(vehicle)", "store.error": "\(error)"])
        }
        send(.command(Command(id: command, action: action, flightID: flightID)), to: vehicle)
    }
}
