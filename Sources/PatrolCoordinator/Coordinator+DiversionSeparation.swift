import Foundation
import Logging
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolStore

/// Another drone's airspace in the way of an urgent sortie's transit, said for people.
struct TransitConflict {
    /// `SORTIE (DRONE, flying|planned|diverted) until …`.
    var description: String
    /// The top of the other's altitude band, metres: a transit raised to this plus the vertical
    /// separation clears it.
    var highest: Double
}

/// Separation of urgent sorties' transits (see `docs/scheduling.md`, "Separation of urgent
/// transits"): the straight way of a candidate to the target at the look height, the look and the
/// way back are judged in time (``Transit/conflict(with:now:age:buffer:vertical:margin:)``) against
/// where every other drone in the air, queued on its drone or diverted will be
/// (`Coordinator+TransitTiming.swift`), or by the scheduler's whole-extent rule
/// (``Transit/conflicts(with:buffer:vertical:)``) for one without a trajectory. A diverted drone climbs while it flies, so its transit's band reaches down to its
/// height now: in conflict it is excluded. A docked drone climbs in its hive's column (the pad
/// interval's): its look height is raised above the band in the way by the vertical separation,
/// when the raised route stays within the mission's limits, or else it is excluded.
extension Coordinator {
    /// How many times a docked candidate's look is raised before it is given up.
    static let maxRaises = 3

    /// The transit of an airborne candidate diverted now from `position` (`altitude` above its
    /// hive) to look from `height` at `target`, overhead after `toOverhead` seconds; the look;
    /// and the way back to where it left its route.
    func airborneTransit(
        from position: XY, altitude: Double, height: Double, target: XY, toOverhead: Double, speed: Double, now: Date
    ) -> Transit {
        let t = now.timeIntervalSince1970
        let back = position.distance(to: target) / speed
        let look = sortieBook.diversionPolicy.look
        return Transit(
            from: position, to: target, start: t, end: t + toOverhead + look + back, lowest: min(altitude, height),
            highest: max(altitude, height), overhead: t + toOverhead, lookEnd: t + toOverhead + look)
    }

    /// The transit of a docked candidate launched from `hiveXY` after `toCommand` seconds and
    /// overhead after `toOverhead`, flying its route between `lowest` and `height` (the look's),
    /// then home and down at `verticalSpeed`.
    func dockedTransit(
        from hiveXY: XY, lowest: Double, height: Double, target: XY, toCommand: Double, toOverhead: Double,
        speed: Double, verticalSpeed: Double, now: Date
    ) -> Transit {
        let t = now.timeIntervalSince1970
        let back = hiveXY.distance(to: target) / speed + height / verticalSpeed
        let look = sortieBook.diversionPolicy.look
        return Transit(
            from: hiveXY, to: target, start: t + toCommand, end: t + toOverhead + look + back,
            lowest: min(lowest, height), highest: height, overhead: t + toOverhead, lookEnd: t + toOverhead + look,
            departure: t + toOverhead - hiveXY.distance(to: target) / speed)
    }

    /// The first airspace of another drone than `vehicle` that `transit` (of urgent sortie
    /// `urgent`) would share: judged in time against where each other drone is now and what is
    /// left of its route (`Coordinator+TransitTiming.swift`): a sortie flying (from its last
    /// telemetry) or queued on its drone (from its planned launch), another diversion under way;
    /// by the whole extent and band of the other's sortie (until its planned landing, or a minute
    /// past now while it runs long) when there is no such trajectory.
    func transitConflict(_ transit: Transit, vehicle: String, urgent: String, now: Date) -> TransitConflict? {
        guard let fleet = sortieBook.fleet else { return nil }
        let rule = ScheduleProblem(fleet: fleet.fleet, hivePositions: [:], patrols: [])
        let (buffer, vertical) = (rule.horizontalBuffer, rule.verticalSeparation)
        let t = now.timeIntervalSince1970
        func timed(_ conflict: TrajectoryConflict, _ what: String) -> TransitConflict {
            let at = Date(timeIntervalSince1970: conflict.time.rounded())
            return TransitConflict(
                description: "\(what) at \(at.formatted(.iso8601)) (by its telemetry and route)",
                highest: conflict.highest)
        }
        let diverted = Set(sortieBook.diversions.values.map(\.routine))
        for (id, other) in sortieBook.diversions.sorted(by: { $0.key < $1.key })
        where id != urgent && other.vehicle != vehicle {
            let what = "\(id) (\(other.vehicle), diverted)"
            if let (theirs, age, _) = trajectory(of: other, now: now) {
                if let conflict = transit.conflict(
                    with: theirs, now: t, age: age, buffer: buffer, vertical: vertical, margin: Self.transitMargin)
                {
                    return timed(conflict, what)
                }
                continue
            }
            guard let theirs = other.transit, transit.conflicts(with: theirs, buffer: buffer, vertical: vertical)
            else { continue }
            let until = Date(timeIntervalSince1970: theirs.end)
            return TransitConflict(description: "\(what) until \(until.formatted(.iso8601))", highest: theirs.highest)
        }
        for id in sortieBook.order where id != urgent && sortieBook.diversions[id] == nil && !diverted.contains(id) {
            guard let other = sortieBook.entries[id], !other.isRound, !other.landed, !other.status.state.isFinal
            else { continue }
            let start: Date
            let drone: String
            if let launched = other.status.launchedAt, let v = other.status.vehicle {
                (start, drone) = (launched, v)
            } else if other.status.state == .queued, let v = other.status.vehicle ?? other.request.vehicle {
                (start, drone) = (max(other.status.plannedLaunch, now), v)
            } else {
                continue
            }
            guard drone != vehicle else { continue }
            let how = other.status.launchedAt != nil ? "flying" : "planned"
            if let (theirs, age) = trajectory(other, vehicle: drone, now: now) {
                if let conflict = transit.conflict(
                    with: theirs, now: t, age: age, buffer: buffer, vertical: vertical, margin: Self.transitMargin)
                {
                    return timed(conflict, "\(id) (\(drone), \(how))")
                }
                continue
            }
            guard let theirs = airspace(other, vehicle: drone, from: start, now: now),
                transit.conflicts(with: theirs, buffer: buffer, vertical: vertical)
            else { continue }
            let until = Date(timeIntervalSince1970: theirs.end)
            return TransitConflict(
                description: "\(id) (\(drone), \(how)) until \(until.formatted(.iso8601))", highest: theirs.highest)
        }
        return nil
    }

    /// A docked candidate for urgent sortie `entry`, separated: its estimate and transit as
    /// they are when clear; raised above the airspace in its way (its mission's altitude, and
    /// so its route, raised by the difference) when that clears it within the mission's limits;
    /// otherwise why it cannot go.
    func separatedDocked(
        _ entry: SortieBook.Entry, request: VerificationRequest, drone: Drone, hive: FleetHive, hiveXY: XY,
        target: XY, readyIn: Double = 0, now: Date
    ) -> Result<
        (estimate: VerificationEstimate, transit: Transit, raised: Double, plan: CoveragePlan?), Unscheduled.Reason
    > {
        var request = request
        var raised = 0.0
        var plan: CoveragePlan?
        let charge = estimatedCharge(of: drone, now: now)
        let wind = latestHiveStatus(hive.id, now: now)?.windSpeed ?? 0
        let v = min(sortieBook.diversionPolicy.speed, drone.maxSpeed)
        let vertical = ScheduleProblem(fleet: sortieBook.fleet!.fleet, hivePositions: [:], patrols: [])
            .verticalSeparation
        var lowest = min(routeBand(entry.plan).lowest, request.altitude)
        for _ in 0...Self.maxRaises {
            let estimate: VerificationEstimate
            switch UrgentSortie.docked(
                request, drone: drone, hive: hive, hiveXY: hiveXY, chargeWh: charge, readyIn: readyIn, wind: wind)
            {
            case .success(let e): estimate = e
            case .failure(let reason): return .failure(reason)
            }
            let transit = dockedTransit(
                from: hiveXY, lowest: lowest, height: request.altitude, target: target, toCommand: estimate.toCommand,
                toOverhead: estimate.toOverhead, speed: v, verticalSpeed: drone.consumption.verticalSpeed, now: now)
            guard let conflict = transitConflict(transit, vehicle: drone.id, urgent: entry.status.id, now: now) else {
                return .success((estimate, transit, raised, plan))
            }
            // Raise the whole look (its route follows the terrain) so that its lowest clears the band in the way.
            let step = (conflict.highest + vertical - transit.lowest).rounded(.up)
            var mission = entry.request.mission
            mission.altitude += raised + step
            mission.transitAltitude += raised + step
            do {
                let higher = try CoveragePlanner.plan(mission, site: entry.request.site)
                raised += step
                plan = higher
                let band = routeBand(higher)
                lowest = band.lowest
                request.altitude = max(mission.altitude, band.look)
            } catch {
                return .failure(
                    Unscheduled.Reason(
                        code: "airspace",
                        message:
                            "\(drone.id) (docked): its way to the target would share airspace with \(conflict.description), "
                            + String(format: "and its look %.0f m higher breaks the mission's limits", raised + step)))
            }
        }
        return .failure(
            Unscheduled.Reason(
                code: "airspace",
                message: "\(drone.id) (docked): no separated height for its look within \(Self.maxRaises) raises"))
    }

    /// The lowest and highest waypoint of a plan away from the pad (its take-off and landing are
    /// the hive's column, kept apart by the pad interval), and its highest survey waypoint.
    func routeBand(_ plan: CoveragePlan) -> (lowest: Double, highest: Double, look: Double) {
        let flown = plan.route.waypoints.filter { $0.kind != .land }.map(\.altitude)
        let survey = plan.route.waypoints.filter { $0.kind == .survey }.map(\.altitude)
        return (flown.min() ?? 0, flown.max() ?? 0, survey.max() ?? flown.max() ?? 0)
    }

    /// Flies urgent sortie `id` from its hive with its look raised by `raised` metres (the plan
    /// made for it by ``separatedDocked(_:request:drone:hive:hiveXY:target:readyIn:now:)``).
    func raiseLook(_ id: String, by raised: Double, plan: CoveragePlan) {
        guard raised > 0, var entry = sortieBook.entries[id] else { return }
        entry.request.mission.altitude += raised
        entry.request.mission.transitAltitude += raised
        entry.plan = plan
        sortieBook.entries[id] = entry
        logger.notice(
            "urgent look raised for airspace separation",
            metadata: ["sortie.id": "\(id)", "raised_m": "\(Int(raised))"])
    }
}

extension Coordinator {
    /// For the fallback launch of urgent sortie `id` on docked `vehicle` (when no drone was
    /// chosen by time overhead, or its drone was pre-empted): why its transit is not separated
    /// from other drones' airspace, or `nil` when it is (its look raised first when that clears it).
    func urgentLaunchConflict(_ id: String, vehicle: String, now: Date) -> String? {
        guard let entry = sortieBook.entries[id], entry.request.origin == .urgent, !entry.isRound,
            let fleet = sortieBook.fleet, let drone = fleet.fleet.drone(vehicle),
            let hive = fleet.fleet.hive(droneHive(vehicle) ?? drone.hive), let hiveXY = fleet.hivePositions[hive.id],
            let target = urgentTarget(entry)
        else { return nil }
        let policy = sortieBook.diversionPolicy
        let request = VerificationRequest(
            position: target, time: 0, altitude: lookAltitude(entry), hover: policy.look, speed: policy.speed)
        switch separatedDocked(
            entry, request: request, drone: drone, hive: hive, hiveXY: hiveXY, target: target, now: now)
        {
        case .success(let docked):
            if let plan = docked.plan { raiseLook(id, by: docked.raised, plan: plan) }
            return nil
        case .failure(let reason) where reason.code == "airspace": return reason.message
        case .failure: return nil  // Its charge is the gate's to judge.
        }
    }
}
