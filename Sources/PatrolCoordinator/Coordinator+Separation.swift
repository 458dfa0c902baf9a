import Foundation
import Logging
import PatrolGeo
import PatrolModel
import PatrolPlanner

/// Another drone's sortie in the airspace a re-planned sortie would fly, and until when.
struct AirspaceConflict {
    /// The drone that would fly the re-planned sortie.
    var vehicle: String
    /// The sortie in the way, its drone, and when it lands (or is due to).
    var other: String
    var otherVehicle: String
    var until: Date
    var flying: Bool
    /// The other is a diverted drone (`Coordinator+DiversionReturn.swift`).
    var diverted = false
}

/// Airspace separation on live re-plans: a sortie launched other than as the day's schedule
/// placed it — the rest of a cut-short sortie (a lost drone's, a pre-empted one, one recalled for
/// weather), a scheduled sortie late or moved to another drone because its drone's previous
/// sortie ran long — is checked, before its launch, against the other drones' sorties flying and
/// planned, by the scheduler's rule (``Sortie/conflicts(with:buffer:vertical:)``: overlapping
/// times, extents within the horizontal buffer, altitude bands closer than the vertical
/// separation). In conflict, it tries the next drone; when every drone would conflict, it is
/// shifted to the landing of the sortie in its way, with the reason in its status and event.
extension Coordinator {
    /// Seconds after its planned launch from which a scheduled sortie counts as moved.
    static let lateLaunchSlack: TimeInterval = 60

    /// Whether launching `entry` on `vehicle` now departs from the day's schedule (and so was
    /// not separated by the scheduler).
    func isReplan(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> Bool {
        guard !entry.isRound, entry.request.origin != .urgent else { return false }
        if entry.request.resumeFrom > 0 { return true }
        guard entry.request.origin == .scheduled else { return false }
        if let assigned = entry.request.vehicle, assigned != vehicle { return true }
        return now.timeIntervalSince(entry.request.notBefore ?? entry.requestedAt) > Self.lateLaunchSlack
    }

    /// The airspace of `entry` flown by `vehicle` from `start`, as the scheduler models a
    /// sortie; `nil` without a fleet (no energy model, so no duration).
    func airspace(_ entry: SortieBook.Entry, vehicle: String, from start: Date, now: Date) -> Sortie? {
        guard let fleet = sortieBook.fleet, let drone = fleet.fleet.drone(vehicle) else { return nil }
        let hive = droneHive(vehicle) ?? drone.hive
        guard let home = fleet.hivePositions[hive] ?? entry.plan.waypointsXY.first else { return nil }
        let profile = patrolTask(entry).profile(from: home, resumeAt: entry.status.resumeFrom, drone: drone)
        let t = start.timeIntervalSince1970
        var end = t + profile.duration
        // Still in the air past its landing time (running long): it holds its airspace a while yet.
        // A lost or recalled drone's holds it until its planned landing (its failsafe brings it home).
        if entry.status.launchedAt != nil, !entry.landed, !entry.cut, end <= now.timeIntervalSince1970 {
            end = now.timeIntervalSince1970 + Self.lateLaunchSlack
        }
        return Sortie(
            patrol: entry.request.mission.id, due: t, drone: vehicle, hive: hive, start: t, end: end,
            resumeFrom: entry.status.resumeFrom, profile: profile, priority: entry.status.priority)
    }

    /// The first sortie of another drone that `entry`, launched on `vehicle` now, would share
    /// airspace with, when the launch is a re-plan; `nil` when it is clear (or not a re-plan).
    func airspaceConflict(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> AirspaceConflict? {
        guard isReplan(entry, vehicle: vehicle, now: now),
            let mine = airspace(entry, vehicle: vehicle, from: now, now: now)
        else { return nil }
        let rule = ScheduleProblem(fleet: sortieBook.fleet!.fleet, hivePositions: [:], patrols: [])
        for id in sortieBook.order where id != entry.status.id {
            guard let other = sortieBook.entries[id], !other.isRound, !other.landed else { continue }
            let flying = other.status.launchedAt != nil
            let start: Date
            let drone: String
            if let launched = other.status.launchedAt, let v = other.status.vehicle {
                // Flying, returning, or lost and not yet down.
                (start, drone) = (launched, v)
            } else if other.status.state == .queued, other.resumeAfter == nil, other.status.plannedLaunch > now,
                let v = other.status.vehicle ?? other.request.vehicle
            {
                // Planned: a late one is checked itself when it launches.
                (start, drone) = (other.status.plannedLaunch, v)
            } else {
                continue
            }
            guard drone != vehicle, let theirs = airspace(other, vehicle: drone, from: start, now: now),
                mine.conflicts(with: theirs, buffer: rule.horizontalBuffer, vertical: rule.verticalSeparation)
            else { continue }
            return AirspaceConflict(
                vehicle: vehicle, other: id, otherVehicle: drone, until: Date(timeIntervalSince1970: theirs.end),
                flying: flying)
        }
        return nil
    }

    /// When every drone free and ready for sortie `id` would share airspace with another
    /// drone's sortie: shifts its launch to the earliest landing in the way (or refuses it when
    /// that is past its hold), says why, and returns `true`; `false` when nothing conflicted.
    func shiftForSeparation(_ id: String, conflicts: [AirspaceConflict], now: Date) -> Bool {
        guard var entry = sortieBook.entries[id],
            let first = conflicts.min(by: { ($0.until, $0.other) < ($1.until, $1.other) })
        else { return false }
        let until = max(first.until, now.addingTimeInterval(1))
        let what =
            "airspace shared with \(first.other) (\(first.otherVehicle), "
            + "\(first.diverted ? "diverted" : first.flying ? "flying" : "planned")) "
            + "until \(until.formatted(.iso8601))"
        let base = entry.request.notBefore ?? entry.requestedAt
        let hold =
            entry.request.origin == .scheduled
            ? (entry.request.mission.schedule?.window ?? sortieBook.defaultHold) : sortieBook.defaultHold
        // A sortie of a day holds from its occurrence's due time, not where a re-plan put it (`+RoundHolds`).
        let deadline = max((entry.due ?? base).addingTimeInterval(hold), base.addingTimeInterval(Self.lateLaunchSlack))
        if until > deadline {
            entry.status.state = .refused
            entry.status.reason = "no separated airspace within its hold: " + what
            sortieBook.entries[id] = entry
            logger.warning("sortie refused", metadata: ["sortie.id": "\(id)", "sortie.reason": "\(what)"])
            resumePaused(after: id, now: now)
        } else {
            entry.status.plannedLaunch = until
            entry.shiftedFor = first.other
            entry.status.reason = "shifted for separation: " + what
            sortieBook.entries[id] = entry
            logger.notice(
                "sortie shifted for airspace separation",
                metadata: [
                    "sortie.id": "\(id)", "device.id": "\(first.vehicle)", "sortie.conflict": "\(first.other)",
                    "sortie.launch": "\(until.formatted(.iso8601))",
                ])
        }
        sortieChanged(entry.status)
        return true
    }

    /// Sortie `id` has ended (landed, aborted or refused): the re-plans shifted for it may go now
    /// (each is checked again against the others still flying when it is tried).
    func releaseShifted(after id: String, now: Date) {
        for other in sortieBook.order {
            guard var entry = sortieBook.entries[other], entry.shiftedFor == id, entry.status.state == .queued
            else { continue }
            entry.shiftedFor = nil
            entry.status.plannedLaunch = min(entry.status.plannedLaunch, now)
            entry.status.reason = "\(id) has landed: no longer shifted for it"
            sortieBook.entries[other] = entry
        }
    }
}
