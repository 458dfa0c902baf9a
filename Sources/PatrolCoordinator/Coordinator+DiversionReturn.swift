import Foundation
import Logging
import PatrolGeo
import PatrolModel
import PatrolPlanner

/// Diversions against the sorties around them after the dispatch (see `docs/scheduling.md`,
/// "Separation of urgent transits"): a scheduled sortie launching on time (separated by the
/// scheduler from the routine sortie, not from its diversion) is checked against every diversion
/// under way, in time (`Coordinator+TransitTiming.swift`), and shifted past it when they would
/// meet; and a diverted drone's way back to its route after the look, and the rest of its route, is
/// checked against the other drones in the air (those launched during the look among them): in
/// conflict it holds over the target, and is judged again at each pass until the way is clear or
/// its battery sends it home.
extension Coordinator {
    /// The diversion under way that `entry`, a scheduled sortie launched on `vehicle` now on time,
    /// would meet: its drone's way to the target, the look, the way back and the rest of its route
    /// judged in time against `entry`'s route from now. `nil` when clear, or when `entry` is not
    /// such a sortie (a re-plan is judged by ``airspaceConflict(_:vehicle:now:)``).
    func diversionConflict(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> AirspaceConflict? {
        guard !entry.isRound, entry.request.origin == .scheduled, !sortieBook.diversions.isEmpty,
            !isReplan(entry, vehicle: vehicle, now: now), let fleet = sortieBook.fleet,
            let drone = fleet.fleet.drone(vehicle), let home = fleet.hivePositions[droneHive(vehicle) ?? drone.hive]
        else { return nil }
        let rule = ScheduleProblem(fleet: fleet.fleet, hivePositions: [:], patrols: [])
        let delay = fleet.fleet.hive(droneHive(vehicle) ?? drone.hive)?.launchDelay ?? 0
        let t = now.timeIntervalSince1970
        let mine = planned(
            entry, home: home, from: t + delay, speed: min(entry.request.mission.speed, drone.maxSpeed),
            verticalSpeed: drone.consumption.verticalSpeed)
        for (id, diversion) in sortieBook.diversions.sorted(by: { $0.key < $1.key }) where diversion.vehicle != vehicle
        {
            guard let (theirs, age, back) = trajectory(of: diversion, now: now),
                let conflict = mine.conflict(
                    with: theirs, now: t, age: age, buffer: rule.horizontalBuffer, vertical: rule.verticalSeparation,
                    margin: Self.transitMargin)
            else { continue }
            // Met on the diversion itself: clear once it is back on its route; met on the rest of
            // its route (delayed by the diversion): clear when that lands.
            let until = conflict.time <= back ? back : theirs.end
            return AirspaceConflict(
                vehicle: vehicle, other: id, otherVehicle: diversion.vehicle,
                until: Date(timeIntervalSince1970: until.rounded(.up)), flying: true, diverted: true)
        }
        return nil
    }

    /// Why the drone of diversion `id`, its look over, may not fly back to its route now: its way
    /// back and the rest of its route would meet another drone in the air (judged in time from
    /// that drone's telemetry, or by its whole extent without one) or another diversion. `nil` when clear.
    func returnConflict(_ id: String, now: Date) -> String? {
        guard let diversion = sortieBook.diversions[id], let routine = sortieBook.entries[diversion.routine],
            let fleet = sortieBook.fleet, let drone = fleet.fleet.drone(diversion.vehicle)
        else { return nil }
        let rule = ScheduleProblem(fleet: fleet.fleet, hivePositions: [:], patrols: [])
        let (buffer, vertical) = (rule.horizontalBuffer, rule.verticalSeparation)
        let t = now.timeIntervalSince1970
        let v = min(sortieBook.diversionPolicy.speed, drone.maxSpeed)
        let height = sortieBook.fixes[diversion.vehicle]?.altitude ?? diversion.transit?.highest ?? 0
        let back = t + diversion.target.distance(to: diversion.rejoin) / v
        let rest = self.rest(
            routine, from: diversion.rejoin, altitude: height, at: back, next: diversion.interruptedAt + 1,
            speed: min(routine.request.mission.speed, drone.maxSpeed), verticalSpeed: drone.consumption.verticalSpeed)
        let mine = Trajectory([.init(time: t, xy: diversion.target, altitude: height)] + rest.points)
        let way = Transit(
            from: diversion.target, to: diversion.rejoin, start: t, end: back, lowest: height, highest: height)
        func at(_ time: Double) -> String { Date(timeIntervalSince1970: time.rounded()).formatted(.iso8601) }
        for (other, theirs) in sortieBook.diversions.sorted(by: { $0.key < $1.key })
        where other != id && theirs.vehicle != diversion.vehicle {
            guard let (trajectory, age, _) = trajectory(of: theirs, now: now),
                let conflict = mine.conflict(
                    with: trajectory, now: t, age: age, buffer: buffer, vertical: vertical, margin: Self.transitMargin)
            else { continue }
            return "\(other) (\(theirs.vehicle), diverted) at \(at(conflict.time))"
        }
        let diverted = Set(sortieBook.diversions.values.map(\.routine))
        for other in sortieBook.order where other != id && other != diversion.routine && !diverted.contains(other) {
            guard let entry = sortieBook.entries[other], !entry.isRound, !entry.landed,
                let launched = entry.status.launchedAt, let vehicle = entry.status.vehicle, vehicle != diversion.vehicle
            else { continue }
            if let (theirs, age) = trajectory(entry, vehicle: vehicle, now: now) {
                if let conflict = mine.conflict(
                    with: theirs, now: t, age: age, buffer: buffer, vertical: vertical, margin: Self.transitMargin)
                {
                    return "\(other) (\(vehicle), flying) at \(at(conflict.time))"
                }
            } else if let theirs = airspace(entry, vehicle: vehicle, from: launched, now: now),
                way.conflicts(with: theirs, buffer: buffer, vertical: vertical)
            {
                return "\(other) (\(vehicle), flying) until \(at(theirs.end))"
            }
        }
        return nil
    }

    /// Keeps the drone of diversion `id` over the target, its look over, while its way back is not
    /// clear (`conflict`); says so on the urgent sortie once.
    func holdOverTarget(_ id: String, conflict: String, now: Date) {
        guard let diversion = sortieBook.diversions[id], var urgent = sortieBook.entries[id] else { return }
        let reason =
            "looked; \(diversion.vehicle) holds over the target: its way back to \(diversion.routine) "
            + "would share airspace with \(conflict)"
        guard urgent.status.reason != reason else { return }
        urgent.status.reason = reason
        sortieBook.entries[id] = urgent
        logger.notice(
            "diverted drone holds over the target for separation",
            metadata: ["urgent.id": "\(id)", "device.id": "\(diversion.vehicle)", "sortie.conflict": "\(conflict)"])
        sortieChanged(urgent.status)
    }
}
