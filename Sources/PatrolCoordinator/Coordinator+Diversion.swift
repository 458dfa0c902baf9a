import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

/// Urgent verification sorties flown by a drone already in the air: every ready docked drone
/// and every drone on a lower-priority routine sortie is a candidate; the one overhead soonest
/// goes. A diverted drone gets `go_to` the target, holds there for the look, then resumes its
/// route from where it left it when its battery allows, or is sent home with the rest of its
/// route queued from its last reached waypoint. See `docs/scheduling.md`, "The live layer".
extension Coordinator {
    /// Sets how urgent sorties use drones in the air (on by default).
    public func configureDiversion(_ policy: DiversionPolicy) {
        sortieBook.diversionPolicy = policy
    }

    /// Chooses the drone for the urgent sortie `id` by time overhead and sends it: launched from
    /// its hive, or diverted in the air; or, when a docked drone not ready yet is soonest, keeps the
    /// sortie queued until it should be (`Coordinator+UrgentReadiness.swift`). Only drones whose
    /// way is separated from the others' airspace count (`Coordinator+DiversionSeparation.swift`).
    /// Returns `false` (and sends nothing) when no drone can go, so the caller falls back on
    /// pre-emption.
    func dispatchUrgent(_ id: String, now: Date) -> Bool {
        guard sortieBook.diversionPolicy.enabled, let entry = sortieBook.entries[id], entry.preempted == nil,
            sortieBook.diversions[id] == nil, !sortieBook.undivertable.contains(id),
            let fleet = sortieBook.fleet, let target = urgentTarget(entry)
        else { return false }
        let policy = sortieBook.diversionPolicy
        let request = VerificationRequest(
            position: target, time: 0, altitude: lookAltitude(entry), hover: policy.look, speed: policy.speed)
        var estimates: [VerificationEstimate] = []
        var excluded: [String] = []
        var raisedLooks: [String: (Double, CoveragePlan)] = [:]
        var transits: [String: Transit] = [:]
        let airborne = divertable(for: entry)
        for vehicle in urgentCandidates(for: entry) where !airborne.contains(where: { $0.vehicle == vehicle }) {
            guard let drone = fleet.fleet.drone(vehicle), let hive = fleet.fleet.hive(drone.hive),
                let hiveXY = fleet.hivePositions[hive.id]
            else { continue }
            // A drone in its turnaround, or one that must charge first, is compared by when it could be overhead.
            var readyIn = 0.0
            if let busy = busyReason(vehicle) {
                guard let left = turnaroundLeft(vehicle, now: now) else {
                    excluded.append(busy)
                    continue
                }
                readyIn = left
            }
            if let problem = gate(entry, vehicle: vehicle, now: now, charge: false) {
                excluded.append(problem)
                continue
            }
            switch separatedDocked(
                entry, request: request, drone: drone, hive: hive, hiveXY: hiveXY, target: target, readyIn: readyIn,
                now: now)
            {
            case .success(let docked):
                // Ready now, it must hold the urgent route's charge as any launch does.
                if docked.estimate.toCommand == 0, let short = gate(entry, vehicle: vehicle, now: now) {
                    excluded.append(short)
                    continue
                }
                estimates.append(docked.estimate)
                if let plan = docked.plan { raisedLooks[vehicle] = (docked.raised, plan) }
            case .failure(let reason): excluded.append(reason.message)
            }
        }
        var positions: [String: (XY, Double)] = [:]
        let frame = airborne.isEmpty ? nil : try? SiteFrame(crs: entry.request.site.crs)
        for candidate in airborne {
            guard let drone = fleet.fleet.drone(candidate.vehicle), let homeXY = fleet.hivePositions[drone.hive],
                let fix = sortieBook.fixes[candidate.vehicle], let xy = try? frame?.project(fix.position)
            else { continue }
            let charge = estimatedCharge(of: drone, now: now)
            positions[candidate.vehicle] = (xy, fix.altitude)
            let estimate = UrgentSortie.airborne(
                request, drone: drone, position: xy, altitude: fix.altitude, chargeWh: charge, homeXY: homeXY,
                sortie: candidate.sortie, wind: latestHiveStatus(drone.hive, now: now)?.windSpeed ?? 0)
            switch estimate {
            case .success(let e):
                let transit = airborneTransit(
                    from: xy, altitude: fix.altitude, height: max(request.altitude, fix.altitude), target: target,
                    toOverhead: e.toOverhead, speed: min(policy.speed, drone.maxSpeed), now: now)
                if let conflict = transitConflict(transit, vehicle: candidate.vehicle, urgent: id, now: now) {
                    excluded.append(
                        "\(candidate.vehicle) (airborne): its way to the target would share airspace with "
                            + conflict.description)
                } else {
                    estimates.append(e)
                    transits[candidate.vehicle] = transit
                }
            case .failure(let reason): excluded.append(reason.message)
            }
        }
        guard let best = UrgentSortie.earliest(estimates) else { return false }
        // Drones of one hive share its reason: say it once.
        var seen: Set<String> = []
        excluded = excluded.filter { seen.insert($0).inserted }
        let others = estimates.filter { $0 != best }.sorted { ($0.toOverhead, $0.drone) < ($1.toOverhead, $1.drone) }
        let choice = UrgentChoice(chosen: best, alternatives: others, excluded: excluded)
        sortieBook.entries[id]?.status.choice = choice
        logger.notice(
            "urgent sortie dispatched",
            metadata: [
                "sortie.id": "\(id)", "device.id": "\(best.drone)", "dispatch.kind": "\(best.kind.rawValue)",
                "dispatch.overhead_s": "\(Self.seconds(best.toOverhead))",
                "dispatch.alternatives": "\(others.map(Self.describe).joined(separator: "; "))",
                "dispatch.excluded": "\(excluded.joined(separator: "; "))",
            ])
        switch best.kind {
        case .docked where best.toCommand > 0:
            holdUrgent(id, for: best, now: now)
        case .docked:
            if let (raised, plan) = raisedLooks[best.drone] {
                raiseLook(id, by: raised, plan: plan)
                sortieBook.entries[id]?.status.choice?.raised = raised
            }
            launchSortie(id, vehicle: best.drone, now: now)
        case .airborne:
            guard let routine = best.sortie, let (xy, altitude) = positions[best.drone],
                divert(
                    id, routine: routine, vehicle: best.drone, from: xy, altitude: altitude, target: target,
                    expected: best.toOverhead, transit: transits[best.drone], now: now)
            else {
                sortieBook.entries[id]?.status.choice = nil
                return false
            }
        }
        return true
    }

    /// The routine sorties whose drones may be diverted to the urgent sortie `entry`: flying
    /// (not paused, returning or cut), of lower priority, their drone connected and reporting,
    /// carrying what the urgent sortie needs.
    func divertable(for entry: SortieBook.Entry) -> [(sortie: String, vehicle: String)] {
        let payload = entry.request.mission.schedule?.payload ?? []
        return sortieBook.order.compactMap { id -> (String, String)? in
            guard let other = sortieBook.entries[id], other.request.origin != .urgent, !other.cut, !other.landed,
                other.status.state == .inFlight, other.status.priority < entry.status.priority,
                let vehicle = other.status.vehicle, sessions[vehicle] != nil, !lostDevices.contains(vehicle),
                flights[id]?.flight.status == .flying, sortieBook.fixes[vehicle] != nil,
                !sortieBook.diversions.values.contains(where: { $0.vehicle == vehicle }),
                sortieBook.fleet?.fleet.drone(vehicle).map({ payload.isSubset(of: $0.payload) }) ?? false
            else { return nil }
            return (id, vehicle)
        }
    }

    /// The height to look from, above the take-off point: the highest waypoint of the urgent
    /// sortie's own route (which follows the terrain), at least its mission's altitude.
    func lookAltitude(_ entry: SortieBook.Entry) -> Double {
        let route = entry.plan.route.waypoints.filter { $0.kind == .survey }.map(\.altitude)
        return max(entry.request.mission.altitude, route.max() ?? 0)
    }

    /// Sends `vehicle` off `routine` to look at the urgent sortie's target. Returns whether the
    /// command went out.
    func divert(
        _ id: String, routine: String, vehicle: String, from xy: XY, altitude: Double, target: XY, expected: Double,
        transit: Transit? = nil, now: Date
    ) -> Bool {
        guard var urgent = sortieBook.entries[id], var flying = sortieBook.entries[routine],
            let position = urgent.request.target ?? (try? SiteFrame(crs: urgent.request.site.crs).unproject(target))
        else { return false }
        let policy = sortieBook.diversionPolicy
        let speed = min(policy.speed, sortieBook.fleet?.fleet.drone(vehicle)?.maxSpeed ?? policy.speed)
        let height = max(lookAltitude(urgent), altitude)
        let command = nextCommandID()
        do {
            try store.recordCommand(
                id: command, deviceID: vehicle, flightID: routine, action: Command.Action.goTo.rawValue, at: now)
        } catch {
            logger.error("cannot record a command", metadata: ["device.id": "\(vehicle)", "store.error": "\(error)"])
        }
        send(
            .command(
                .goTo(
                    id: command, flightID: routine, position: position, altitude: (height * 10).rounded() / 10,
                    reference: .takeoff, speed: speed)), to: vehicle)
        let reached = Self.lastReached(
            uploaded: sortieBook.fixes[vehicle]?.waypointIndex ?? 0, resumeFrom: flying.status.resumeFrom)
        sortieBook.diversions[id] = Diversion(
            urgent: id, routine: routine, vehicle: vehicle, command: command, commandedAt: now, phase: .commanded,
            target: target, rejoin: xy, interruptedAt: reached, expected: expected, transit: transit)
        flying.status.state = .paused
        flying.status.reason = "diverted for urgent sortie \(id) after waypoint \(reached)"
        sortieBook.entries[routine] = flying
        urgent.status.vehicle = vehicle
        urgent.status.state = .inFlight
        urgent.status.launchedAt = now
        urgent.status.reason = "diverted \(vehicle) from \(routine)"
        urgent.status.requestToLaunch = now.timeIntervalSince(max(urgent.requestedAt, urgent.status.plannedLaunch))
        sortieBook.entries[id] = urgent
        logger.notice(
            "routine sortie diverted",
            metadata: [
                "sortie.id": "\(routine)", "urgent.id": "\(id)", "device.id": "\(vehicle)",
                "waypoint": "\(reached)", "command.id": "\(command)",
            ])
        sortieChanged(flying.status)
        sortieChanged(urgent.status)
        keepDiversion(id)
        return true
    }
}
