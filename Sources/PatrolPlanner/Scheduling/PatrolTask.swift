public import PatrolGeo
public import PatrolModel

/// A point of a patrol's path in site metres, with its altitude above the hive's ground.
public struct PathPoint: Hashable, Sendable, Codable {
    public var xy: XY
    public var altitude: Double

    public init(_ xy: XY, altitude: Double) {
        self.xy = xy
        self.altitude = altitude
    }
}

/// A patrol as the scheduler sees it: its schedule, its home hive and its planned path.
///
/// The path is the planned route without its final landing: `path[0]` is the take-off point over
/// the home hive. Flown from another hive, or resumed part-way, the sortie flies straight from
/// that hive to the first waypoint still to fly and straight back from the last one (an
/// approximation: obstacles are not re-routed around; re-plan with that hive for the real route).
public struct PatrolTask: Hashable, Sendable, Codable {
    /// The mission id.
    public var id: String
    public var name: String
    public var schedule: PatrolSchedule
    /// The hive the route was planned from.
    public var homeHive: String
    public var path: [PathPoint]
    /// Planned ground speed, metres per second (capped by each drone's ``Drone/maxSpeed``).
    public var speed: Double
    /// Seconds spent hovering on station (for example, looking at a reported fire).
    public var hover: Double

    public init(
        id: String, name: String, schedule: PatrolSchedule, homeHive: String, path: [PathPoint], speed: Double,
        hover: Double = 0
    ) {
        precondition(!path.isEmpty, "a patrol needs at least one waypoint")
        self.id = id
        self.name = name
        self.schedule = schedule
        self.homeHive = homeHive
        self.path = path
        self.speed = speed
        self.hover = hover
    }

    /// The scheduler's view of a planned mission; `nil` when the mission has no `schedule:`.
    public init?(mission: Mission, plan: CoveragePlan) {
        guard let schedule = mission.schedule else { return nil }
        let points = zip(plan.waypointsXY, plan.route.waypoints).map { PathPoint($0, altitude: $1.altitude) }
        self.init(
            id: mission.id, name: mission.name, schedule: schedule, homeHive: mission.hive,
            path: Array(points.dropLast()), speed: mission.speed)
    }

    /// What flying this patrol from `hive` (at `hiveXY`), starting at waypoint `resumeAt`, asks of
    /// `drone` in wind of `wind` m/s.
    public func profile(from hiveXY: XY, resumeAt: Int = 0, drone: Drone, wind: Double = 0) -> SortieProfile {
        let start = min(max(0, resumeAt), path.count - 1)
        let points = Array(path[start...])
        var length = hiveXY.distance(to: points[0].xy) + points[points.count - 1].xy.distance(to: hiveXY)
        var climb = points[0].altitude
        var descent = points[points.count - 1].altitude
        for (a, b) in zip(points, points.dropFirst()) {
            length += a.xy.distance(to: b.xy)
            let dz = b.altitude - a.altitude
            if dz > 0 { climb += dz } else { descent -= dz }
        }
        let v = min(speed, drone.maxSpeed)
        let vz = drone.consumption.verticalSpeed
        let level = length / v
        let energy = drone.consumption.energyWh(
            level: level, climbing: climb / vz, hovering: descent / vz + hover, wind: wind)
        let altitudes = points.map(\.altitude)
        return SortieProfile(
            length: length, duration: level + (climb + descent) / vz + hover, energyWh: energy,
            bounds: Bounds(points.map(\.xy) + [hiveXY]), lowest: altitudes.min()!, highest: altitudes.max()!)
    }
}

/// The length, time, energy and airspace of one sortie.
public struct SortieProfile: Hashable, Sendable, Codable {
    /// Horizontal distance, metres.
    public var length: Double
    /// Seconds from leaving the pad to landing on it.
    public var duration: Double
    public var energyWh: Double
    /// The horizontal extent of the flight, site metres.
    public var bounds: Bounds
    /// Lowest and highest altitude flown away from the pad, metres.
    public var lowest: Double
    public var highest: Double
}
