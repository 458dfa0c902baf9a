import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

/// Where other drones are over time, for judging urgent transits and launches against them (see
/// `docs/scheduling.md`, "Separation of urgent transits"): a drone flying its route from its last
/// telemetry along the rest of the route on the route's planned timing, a drone on its way home
/// straight to its hive, a queued sortie from its planned launch, a diversion from its phase.
/// Without telemetry (or with telemetry older than ``maxFixAge``, a lost drone, a drone holding or
/// in an emergency) there is no trajectory: the scheduler's whole-extent rule applies instead.
extension Coordinator {
    /// The timing error allowed either side of a trajectory (``TimingMargin``): 15 s, plus the
    /// age of the telemetry it starts from, plus 15 % of the time ahead.
    static let transitMargin = TimingMargin(base: 15, growth: 0.15)
    /// Telemetry older than this gives no trajectory (the whole-extent rule applies).
    static let maxFixAge: TimeInterval = 30
    /// A sortie launched this long ago without telemetry since is taken on its planned timing from
    /// its launch; later, without telemetry, by its whole extent.
    static let plannedAfterLaunch: TimeInterval = 90

    /// The trajectory of `entry` flown by `vehicle`, and the age of the telemetry it starts from
    /// (0 when it starts from a planned launch); `nil` when only the whole-extent rule can judge it.
    func trajectory(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> (Trajectory, age: Double)? {
        guard !entry.isRound, !entry.landed, let fleet = sortieBook.fleet, let drone = fleet.fleet.drone(vehicle),
            let home = fleet.hivePositions[droneHive(vehicle) ?? drone.hive]
        else { return nil }
        let speed = min(entry.request.mission.speed, drone.maxSpeed)
        let vz = drone.consumption.verticalSpeed
        let t = now.timeIntervalSince1970
        guard let launched = entry.status.launchedAt else {
            // Queued: from its planned launch (or now, when due), after its hive's launch delay.
            guard entry.status.state == .queued else { return nil }
            let delay = fleet.fleet.hive(droneHive(vehicle) ?? drone.hive)?.launchDelay ?? 0
            let start = max(entry.status.plannedLaunch.timeIntervalSince1970, t) + delay
            return (planned(entry, home: home, from: start, speed: speed, verticalSpeed: vz), 0)
        }
        guard !lostDevices.contains(vehicle), !entry.cut || entry.status.state == .returning else { return nil }
        guard let fix = sortieBook.fixes[vehicle], fix.time >= launched else {
            // Launched, not yet reporting: on its planned timing from the launch, for a while.
            guard entry.status.state == .inFlight || entry.status.state == .uploading,
                now.timeIntervalSince(launched) <= Self.plannedAfterLaunch
            else { return nil }
            let delay = fleet.fleet.hive(droneHive(vehicle) ?? drone.hive)?.launchDelay ?? 0
            return (
                planned(
                    entry, home: home, from: launched.timeIntervalSince1970 + delay, speed: speed, verticalSpeed: vz),
                now.timeIntervalSince(launched)
            )
        }
        let age = now.timeIntervalSince(fix.time)
        guard age <= Self.maxFixAge, let xy = try? SiteFrame(crs: entry.request.site.crs).project(fix.position)
        else { return nil }
        let f = fix.time.timeIntervalSince1970
        switch fix.state {
        case .returning, .landing:
            return (homeward(from: xy, altitude: fix.altitude, at: f, home: home, speed: speed, verticalSpeed: vz), age)
        case .takingOff, .transit, .surveying, .armed:
            guard entry.status.state == .inFlight || entry.status.state == .uploading else {
                return entry.status.state == .returning
                    ? (
                        homeward(from: xy, altitude: fix.altitude, at: f, home: home, speed: speed, verticalSpeed: vz),
                        age
                    )
                    : nil
            }
            let next = Self.routeWaypoint(uploaded: fix.waypointIndex, resumeFrom: entry.status.resumeFrom)
            return (
                rest(entry, from: xy, altitude: fix.altitude, at: f, next: next, speed: speed, verticalSpeed: vz), age
            )
        default:
            // Holding, in an emergency, landed or idle while its sortie says otherwise: not foreseeable.
            return nil
        }
    }

    /// The trajectory of the diverted drone of `diversion`: to the target (from its last
    /// telemetry, or from where it was commanded), the rest of the look, the way back to where it
    /// left its route, and the rest of its route from there; with the age of the telemetry it starts
    /// from and when it is back on its route. `nil` without a fleet or a timing.
    func trajectory(of diversion: Diversion, now: Date) -> (Trajectory, age: Double, back: Double)? {
        guard let transit = diversion.transit, let routine = sortieBook.entries[diversion.routine],
            let drone = sortieBook.fleet?.fleet.drone(diversion.vehicle)
        else { return nil }
        let look = sortieBook.diversionPolicy.look
        let v = min(sortieBook.diversionPolicy.speed, drone.maxSpeed)
        let vz = drone.consumption.verticalSpeed
        let t = now.timeIntervalSince1970
        let height = transit.highest
        var points: [Trajectory.Point]
        var age = 0.0
        switch diversion.phase {
        case .looking(let since):
            let lookEnd = max(t, since.timeIntervalSince1970 + look)
            points = [
                .init(time: t, xy: diversion.target, altitude: height),
                .init(time: lookEnd, xy: diversion.target, altitude: height),
            ]
        case .commanded, .outbound:
            var from = (diversion.rejoin, transit.lowest, diversion.commandedAt.timeIntervalSince1970)
            if let fix = sortieBook.fixes[diversion.vehicle], fix.time >= diversion.commandedAt,
                now.timeIntervalSince(fix.time) <= Self.maxFixAge,
                let xy = try? SiteFrame(crs: routine.request.site.crs).project(fix.position)
            {
                from = (xy, fix.altitude, fix.time.timeIntervalSince1970)
                age = now.timeIntervalSince(fix.time)
            }
            let climb = max(0, height - from.1) / vz
            let overhead = from.2 + max(from.0.distance(to: diversion.target) / v, climb)
            points = [
                .init(time: from.2, xy: from.0, altitude: from.1),
                .init(time: overhead, xy: diversion.target, altitude: height),
                .init(time: overhead + look, xy: diversion.target, altitude: height),
            ]
        }
        let back = points[points.count - 1].time + diversion.target.distance(to: diversion.rejoin) / v
        points.append(.init(time: back, xy: diversion.rejoin, altitude: height))
        let speed = min(routine.request.mission.speed, drone.maxSpeed)
        let rest = self.rest(
            routine, from: diversion.rejoin, altitude: height, at: back, next: diversion.interruptedAt + 1,
            speed: speed,
            verticalSpeed: vz)
        return (Trajectory(points + rest.points.dropFirst()), age, back)
    }

    /// `entry`'s route flown from `xy` at `time`, towards waypoint `next` of its full route and on
    /// to its landing.
    func rest(
        _ entry: SortieBook.Entry, from xy: XY, altitude: Double, at time: Double, next: Int, speed: Double,
        verticalSpeed: Double
    ) -> Trajectory {
        let waypoints = entry.plan.route.waypoints
        let from = min(max(0, next), waypoints.count)
        let path = (from..<waypoints.count).map {
            PathPoint(entry.plan.waypointsXY[$0], altitude: waypoints[$0].altitude)
        }
        return Trajectory.flying(
            from: xy, altitude: altitude, at: time, through: path,
            speeds: (from..<waypoints.count).map { waypoints[$0].speed },
            speed: speed, verticalSpeed: verticalSpeed)
    }

    /// `entry` flown from its drone's hive at `home` from `start`: up, the route from its resume
    /// point, back over the hive and down (the scheduler's sortie model).
    func planned(_ entry: SortieBook.Entry, home: XY, from start: Double, speed: Double, verticalSpeed: Double)
        -> Trajectory
    {
        let path = patrolTask(entry).path
        let first = min(max(0, entry.status.resumeFrom), path.count - 1)
        let last = path[path.count - 1].altitude
        return Trajectory.flying(
            from: home, altitude: 0, at: start,
            through: Array(path[first...]) + [PathPoint(home, altitude: last), PathPoint(home, altitude: 0)],
            speed: speed, verticalSpeed: verticalSpeed)
    }

    /// Straight home from `xy` at its altitude, then down.
    func homeward(from xy: XY, altitude: Double, at time: Double, home: XY, speed: Double, verticalSpeed: Double)
        -> Trajectory
    {
        Trajectory.flying(
            from: xy, altitude: altitude, at: time,
            through: [PathPoint(home, altitude: altitude), PathPoint(home, altitude: 0)], speed: speed,
            verticalSpeed: verticalSpeed)
    }
}
