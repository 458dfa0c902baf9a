import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
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
        } else if let resumeAfter {
            restWaits(id, for: resumeAfter)
        }
        sortieChanged(entry.status)
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

/// Urgent verification sorties: the nearest ready drone with enough battery goes; when none is
/// ready, the routine sortie flying nearest the target is pre-empted (sent home), its rest queued
/// to resume where it stopped once the urgent sortie has ended, and its drone flies the urgent
/// sortie as soon as it is down and charged enough (or another drone, if one is ready sooner).
extension Coordinator {
    /// The drones that may fly an urgent sortie, nearest (by hive) to its target first.
    func urgentCandidates(for entry: SortieBook.Entry) -> [String] {
        let target = urgentTarget(entry)
        var all: [(Double, String)] = []
        let ids: [String] =
            sortieBook.fleet?.fleet.drones.map(\.id)
            ?? sessions.filter { $0.value.hello.kind == .drone }.map(\.key)
        for id in ids where sessions[id] != nil || id == entry.status.vehicle {
            let hive = droneHive(id).flatMap { sortieBook.fleet?.hivePositions[$0] }
            let distance = zip2(hive, target).map { $0.distance(to: $1) } ?? .infinity
            all.append((distance, id))
        }
        all.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var order = all.map(\.1)
        if let assigned = entry.status.vehicle, let i = order.firstIndex(of: assigned) {
            // The pre-empted drone is the fallback, after any docked drone that becomes ready first.
            order.append(order.remove(at: i))
        }
        return order
    }

    /// Where an urgent sortie looks, site metres: its target, or the start of its route.
    func urgentTarget(_ entry: SortieBook.Entry) -> XY? {
        guard let target = entry.request.target else { return entry.plan.waypointsXY.dropFirst().first }
        return try? SiteFrame(crs: entry.request.site.crs).project(target)
    }

    /// Pre-empts the routine sortie whose drone's hive is nearest the urgent sortie's target, and
    /// assigns that drone to the urgent one. Returns whether one was pre-empted.
    func preempt(for id: String, now: Date) -> Bool {
        guard let entry = sortieBook.entries[id], entry.preempted == nil else { return false }
        let target = urgentTarget(entry)
        let routine = sortieBook.order.compactMap { sortieBook.entries[$0] }.filter {
            $0.request.origin != .urgent && !$0.isRound && !$0.cut && !$0.landed && $0.status.state == .inFlight
                && $0.status.vehicle.map { !lostDevices.contains($0) } == true
        }
        let ranked = routine.map { other -> (Double, String) in
            let hive = other.status.vehicle.flatMap(droneHive).flatMap { sortieBook.fleet?.hivePositions[$0] }
            return (zip2(hive, target).map { $0.distance(to: $1) } ?? .infinity, other.status.id)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        guard let victim = ranked.first.flatMap({ sortieBook.entries[$0.1] }), let vehicle = victim.status.vehicle
        else { return false }
        recall(
            victim.status.id, vehicle: vehicle, reason: "pre-empted by urgent sortie \(id)", now: now, resumeAfter: id)
        sortieBook.entries[id]?.preempted = victim.status.id
        sortieBook.entries[id]?.status.vehicle = vehicle
        logger.notice(
            "routine sortie pre-empted",
            metadata: ["sortie.id": "\(victim.status.id)", "urgent.id": "\(id)", "device.id": "\(vehicle)"])
        return true
    }
}

func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
