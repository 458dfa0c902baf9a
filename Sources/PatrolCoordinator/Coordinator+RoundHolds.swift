import Foundation
import Logging
import PatrolStore

/// Holds counted from the due time, and rounds' moves kept across a restart.
///
/// A scheduled sortie or robot round waits at gating (for weather, charge, its vehicle) until its
/// patrol's window ends: `window_min` after its **occurrence's due time**, not after its planned
/// launch, which the scheduler, a shift for a narrow edge or a re-plan may have put anywhere in
/// the window. The due time is kept with the queue row (`v14-round-moves`), so a restarted
/// coordinator holds it to the same end. A round moved later (past its window, see
/// `Coordinator+RobotReplan.swift`) holds from its new time for its window, never past the
/// patrol's next occurrence; its new time, robot, reason and hold are kept too, and taken up
/// again by ``Coordinator/resumeQueuedSorties()``.
extension Coordinator {
    /// When `entry`'s hold of `hold` seconds ends.
    func holdEnd(_ entry: SortieBook.Entry, hold: Double) -> Date {
        if let until = entry.holdUntil { return until }
        guard entry.request.origin == .scheduled else { return entry.status.plannedLaunch.addingTimeInterval(hold) }
        if let due = entry.due { return due.addingTimeInterval(hold) }
        // A round asked for without a due time: from the time asked for, not where a shift put it.
        let from = entry.isRound ? (entry.request.notBefore ?? entry.status.plannedLaunch) : entry.status.plannedLaunch
        return from.addingTimeInterval(hold)
    }

    /// Queues a scheduled occurrence due at `due`, keeping the due time with its queue row
    /// before it is first tried (a launch due now is judged by the hold from `due`).
    func requestOccurrence(_ r: SortieRequest, due: Date) -> SortieStatus {
        let wasRunning = sortieBook.running
        sortieBook.running = true
        let status = request(r)
        sortieBook.running = wasRunning
        if sortieBook.entries[status.id] != nil, status.state == .queued {
            sortieBook.entries[status.id]?.due = due
            keepTiming(status.id)
        }
        if !wasRunning { runSorties() }
        return sortieBook.entries[status.id]?.status ?? status
    }

    /// Writes a kept sortie's due time and, for a round moved, shifted or given another robot
    /// (or, with `reason`, one whose reason the row should say), where it goes now and why.
    func keepTiming(_ id: String, reason: Bool = false) {
        guard let entry = sortieBook.entries[id], sortieBook.kept[id] != nil else { return }
        do {
            if let due = entry.due { try store.saveSortieDue(id: id, due: due) }
            let moved =
                entry.status.plannedLaunch != (entry.request.notBefore ?? entry.requestedAt)
                || entry.status.vehicle != entry.request.vehicle
            if entry.isRound, moved || reason {
                try store.saveSortieMove(
                    id: id, launch: entry.status.plannedLaunch, vehicle: entry.status.vehicle,
                    reason: entry.status.reason, holdUntil: entry.holdUntil,
                    movedOff: entry.movedOff.map { (vehicle: $0.robot, launch: $0.launch) })
            }
        } catch {
            logger.error(
                "cannot keep a sortie's due time or move", metadata: ["sortie.id": "\(id)", "store.error": "\(error)"])
        }
    }

    /// After a restart: gives the sortie queued again as `id` (from kept row `row`) its due time
    /// and, for a round moved or shifted, its new time, robot, reason and hold.
    func takeUpTiming(row: String, as id: String) {
        guard var entry = sortieBook.entries[id], entry.status.state == .queued else { return }
        let timing: KeptSortieTiming?
        do { timing = try store.sortieTiming(id: row) } catch {
            logger.error(
                "cannot read a sortie's due time", metadata: ["sortie.id": "\(row)", "store.error": "\(error)"])
            return
        }
        guard let timing else { return }
        entry.due = timing.due ?? entry.due
        if entry.isRound, let launch = timing.launch {
            entry.status.plannedLaunch = launch
            entry.status.vehicle = timing.vehicle ?? entry.status.vehicle
            entry.status.reason = timing.reason
            entry.holdUntil = timing.holdUntil
            if let robot = timing.movedOffVehicle, let launch = timing.movedOffLaunch {
                entry.movedOff = (robot, launch)
                // Its robot was down when the coordinator stopped: it is back when it reconnects.
                if sessions[robot] == nil || lostDevices.contains(robot) {
                    sortieBook.robotsDown[robot] = sortieBook.robotsDown[robot] ?? Self.downAtRestart
                }
            }
            logger.info(
                "robot round's move taken up",
                metadata: [
                    "sortie.id": "\(id)", "device.id": "\(entry.status.vehicle ?? "any")",
                    "sortie.launch": "\(launch.formatted(.iso8601))",
                ])
        }
        sortieBook.entries[id] = entry
        sortieBook.recomputeNextDue()
        sortieBook.nextAttempt = nil
        if row != id { keepTiming(id) }
    }
}
