import PatrolGeo
import PatrolModel

/// Makes a drone's route hold its height above the ground where the ground is not flat.
///
/// Planners lay a route out as if the site were flat: altitudes above the take-off point. This
/// step lifts every airborne point by how much the ground below it rises above the ground below
/// the hive, and splits legs over a slope so that the height above ground between two waypoints
/// (the vehicle flies a straight line between them) stays within ``tolerance`` of the plan.
enum TerrainFollowing {
    /// Metres the height above ground may drift from the plan between two waypoints.
    static let tolerance = 2.0
    /// Metres between the points where a leg's profile is sampled.
    static let step = 5.0

    typealias Point = (xy: XY, altitude: Double, kind: Waypoint.Kind)

    /// The route's points lifted over `rise` (metres the ground rises above the origin's, at a point
    /// in site metres), relative to the ground at `hive`; legs over a slope split at the worst
    /// point until the straight line between waypoints is within ``tolerance`` everywhere.
    static func follow(_ points: [Point], hive: XY, rise: (XY) -> Double) -> [Point] {
        let base = rise(hive)
        // The lift is zero at the hive: take-off and landing keep their altitudes.
        guard var previous = points.first else { return [] }
        var result: [Point] = [(previous.xy, previous.altitude + rise(previous.xy) - base, previous.kind)]
        for point in points.dropFirst() {
            result += split(from: previous, to: point, base: base, rise: rise)
            previous = point
        }
        return result
    }

    /// The lifted points after `a` up to and including `b`, with the splits the slope needs.
    private static func split(
        from a: Point, to b: Point, base: Double, rise: (XY) -> Double
    ) -> [Point] {
        func lift(_ p: XY) -> Double { rise(p) - base }
        let end: Point = (b.xy, b.altitude + lift(b.xy), b.kind)
        let length = a.xy.distance(to: b.xy)
        guard length > 2 * step else { return [end] }
        let start = a.altitude + lift(a.xy)
        let n = Int((length / step).rounded(.up))
        var worst = (excess: 0.0, t: 0.0)
        for k in 1..<n {
            let t = Double(k) / Double(n)
            let p = a.xy + (b.xy - a.xy) * t
            let wanted = a.altitude + (b.altitude - a.altitude) * t + lift(p)
            let flown = start + (end.altitude - start) * t
            let excess = abs(wanted - flown)
            if excess > worst.excess { worst = (excess, t) }
        }
        guard worst.excess > tolerance else { return [end] }
        let t = worst.t
        let middle: Point = (a.xy + (b.xy - a.xy) * t, a.altitude + (b.altitude - a.altitude) * t, b.kind)
        return split(from: a, to: middle, base: base, rise: rise) + split(from: middle, to: b, base: base, rise: rise)
    }

    /// The waypoints for `points` (already lifted), with their heights above ground and sea level.
    static func waypoints(
        _ points: [Point], geo: [LonLat], site: Site, hive: Hive, speed: Double
    ) -> [Waypoint] {
        let pad = site.groundElevation + hive.groundElevation
        return points.indices.map { i in
            Waypoint(
                position: geo[i], altitude: points[i].altitude, kind: points[i].kind, speed: speed,
                heightAGL: points[i].altitude + hive.groundElevation - site.groundRise(at: points[i].xy),
                heightAMSL: pad + points[i].altitude)
        }
    }
}
