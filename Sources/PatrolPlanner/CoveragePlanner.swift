import Foundation
public import PatrolGeo
public import PatrolModel

/// A coverage route with the geometry it was planned from, in site metres.
public struct CoveragePlan: Sendable {
    /// The route for the device, in lon/lat.
    public var route: Route
    /// The route's waypoints in site metres (same order as ``Route/waypoints``).
    public var waypointsXY: [XY]
    /// The patrol area as drawn, in site metres.
    public var area: Polygon
    /// What the camera should see: the area minus the no-fly zones and obstacles at survey
    /// height, in site metres (the reference for coverage).
    public var targetArea: MultiPolygon
    /// Where the sweep lines may run: ``targetArea`` kept clear of the edges and exclusions by
    /// the planner's margins, in site metres.
    public var flyableArea: MultiPolygon
    /// The sweep lines flown with the camera recording, in site metres.
    public var sweepLines: [LineString]
    /// The sweep direction, degrees clockwise from north (0 = north–south lines).
    public var sweepBearing: Double
    /// The camera's ground footprint at survey altitude.
    public var footprint: CameraFootprint
    /// The safety findings; empty when the route passed every check.
    public var findings: [RouteCheck.Finding]
    /// What the planner had to leave out or change, for the operator (arcs skipped near other
    /// towers, corridor parts inside no-fly zones).
    public var notes: [String] = []
}

/// Plans area-coverage (boustrophedon, "lawnmower") routes.
///
/// The sweep direction is the one that needs the fewest lines, then the shortest sweep; lines
/// are spread evenly across the area so neighbouring swaths overlap at least as much as the
/// mission asks. The ends of each line stay a margin inside the flyable area.
public enum CoveragePlanner {
    /// Metres kept between the route and a no-fly zone or an obstacle.
    public static let clearance = 10.0
    /// Metres the ends of a sweep line stay inside the area's edge.
    public static let edgeInset = 2.0
    /// Climb and descent rate assumed for timing, metres per second.
    public static let verticalSpeed = 3.0

    /// Plans the coverage route for `mission` over `site`.
    ///
    /// - Parameter frame: the site's projected frame, when the caller already has one (making a
    ///   PROJ transformer reads PROJ's database and costs more than planning the hill).
    /// - Throws: ``PlanError`` when the mission's area or hive is missing, the site's geometry
    ///   cannot be projected or clipped, nothing is left to cover, or the route fails a safety check.
    public static func plan(_ mission: Mission, site: Site, frame: SiteFrame? = nil) throws(PlanError) -> CoveragePlan {
        guard case .areaCoverage(let areaRef) = mission.kind, let areaPolygon = site.polygon(of: areaRef) else {
            throw PlanError(.unknownReference, "the site has no patrol area for this mission", mission: mission.id)
        }
        guard let hive = site.hive(mission.hive) else {
            throw PlanError(.unknownReference, "the site has no hive `\(mission.hive)`", mission: mission.id)
        }
        do {
            let frame = try frame ?? SiteFrame(crs: site.crs)
            let area = try frame.project(areaPolygon)
            let hiveXY = try frame.project(hive.position)
            let exclusions = try RouteCheck.exclusions(site: site, frame: frame, altitude: mission.altitude)
            let target = try MultiPolygon(area).difference(MultiPolygon.union(exclusions.map(\.area)))
            let flyable = try MultiPolygon(area).buffered(by: -edgeInset)
                .difference(
                    MultiPolygon.union(exclusions.map { (z) throws(GeoError) in try z.area.buffered(by: clearance) }))
            guard flyable.area > 1 else {
                throw PlanError(.empty, "nothing of the patrol area is left to fly over", mission: mission.id)
            }
            let footprint = CameraFootprint(
                altitude: mission.altitude, horizontalFOVDegrees: mission.camera.horizontalFOV,
                verticalFOVDegrees: mission.camera.verticalFOV)
            let spacing = footprint.lineSpacing(sideOverlap: mission.camera.sideOverlap)
            let sweep = try bestSweep(over: flyable, spacing: spacing)
            let lines = ordered(sweep.lines, from: hiveXY)

            guard let firstLine = lines.first, let lastLine = lines.last else {
                throw PlanError(.empty, "no sweep line fits in the patrol area", mission: mission.id)
            }
            // Transit keeps out of every exclusion at transit height; turns stay in the flyable area.
            let transitObstacles = try MultiPolygon.union(
                RouteCheck.exclusions(site: site, frame: frame)
                    .filter {
                        $0.overlaps(
                            low: min(mission.altitude, mission.transitAltitude),
                            high: max(mission.altitude, mission.transitAltitude))
                    }
                    .map { (z) throws(GeoError) in
                        // Two segments a quadrant: a small visibility graph, chords still beyond the clearance.
                        try z.area.geometry.buffered(by: z.kind == .tower ? clearance + 1 : 2, quadrantSegments: 2)
                    })
            let transit = try PathFinder.avoiding(transitObstacles)
            let turns = try PathFinder.inside(flyable)
            func route(_ finder: PathFinder, _ a: XY, _ b: XY, _ what: String) throws -> [XY] {
                guard let path = try finder.path(from: a, to: b) else {
                    throw PlanError(.unsafe, "no clear path for the \(what)", mission: mission.id)
                }
                return Array(path.dropFirst())
            }

            var points: [(XY, Double, Waypoint.Kind)] = [(hiveXY, mission.transitAltitude, .takeoff)]
            // Change level on the spot where a leg is too short to do it within the climb or
            // descent limit at cruise speed (a short last transit leg, a short first return leg).
            func levelChange(at point: XY, from: Double, to: Double, over distance: Double) {
                let limit = to < from ? mission.limits.maxDescentRate : mission.limits.maxClimbRate
                if abs(to - from) * mission.speed > limit * distance { points.append((point, to, .transit)) }
            }
            for p in try route(transit, hiveXY, firstLine.points[0], "transit from the hive") {
                let arriving = p == firstLine.points[0]
                if arriving, let (from, altitude, _) = points.last {
                    levelChange(at: from, from: altitude, to: mission.altitude, over: from.distance(to: p))
                }
                points.append((p, arriving ? mission.altitude : mission.transitAltitude, .transit))
            }
            for (index, line) in lines.enumerated() {
                if index > 0 {
                    for p in try route(
                        turns, points[points.count - 1].0, line.points[0], "turn to sweep line \(index + 1)")
                    {
                        points.append((p, mission.altitude, .transit))
                    }
                }
                points.append((line.points[line.points.count - 1], mission.altitude, .survey))
            }
            let lineEnd = lastLine.points[lastLine.points.count - 1]
            for (i, p) in try route(transit, lineEnd, hiveXY, "return to the hive").enumerated() {
                if i == 0 {
                    levelChange(
                        at: lineEnd, from: mission.altitude, to: mission.transitAltitude, over: lineEnd.distance(to: p))
                }
                points.append((p, mission.transitAltitude, .transit))
            }
            points.append((hiveXY, 0, .land))
            // Hold the height above ground over the hill's slope.
            let lifted = TerrainFollowing.follow(
                points.map { (xy: $0.0, altitude: $0.1, kind: $0.2) }, hive: hiveXY, rise: site.groundRise(at:))

            // The hive's own lon/lat, not a projection round trip, where the route touches it.
            let geo = try frame.unproject(lifted.map(\.xy)).enumerated().map {
                lifted[$0.offset].xy == hiveXY ? hive.position : $0.element
            }
            let waypoints = TerrainFollowing.waypoints(lifted, geo: geo, site: site, hive: hive, speed: mission.speed)
            let xy = lifted.map(\.xy)
            let length = zip(xy, xy.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            let vertical = 2 * mission.transitAltitude + 2 * abs(mission.transitAltitude - mission.altitude)
            let route = Route(
                missionID: mission.id, waypoints: waypoints, swathWidth: footprint.width, lineSpacing: sweep.spacing,
                triggerSpacing: footprint.triggerSpacing(frontOverlap: mission.camera.frontOverlap), length: length,
                estimatedDuration: length / mission.speed + vertical / verticalSpeed)
            var plan = CoveragePlan(
                route: route, waypointsXY: xy, area: area, targetArea: target, flyableArea: flyable, sweepLines: lines,
                sweepBearing: sweep.bearing, footprint: footprint, findings: [])
            plan.findings = try RouteCheck.check(
                route: route, xy: xy, mission: mission, site: site, frame: frame, surveyArea: MultiPolygon(area),
                extraFence: [area], groundOffset: hive.groundElevation)
            if !plan.findings.isEmpty { throw PlanError(unsafe: plan.findings, mission: mission.id) }
            return plan
        } catch let error as PlanError {
            throw error
        } catch let error as GeoError {
            throw PlanError(.geometry, error.description, mission: mission.id)
        } catch {
            throw PlanError(.geometry, "\(error)", mission: mission.id)
        }
    }

    struct Sweep {
        var bearing: Double
        var spacing: Double
        var lines: [LineString]
        var length: Double
    }

    /// Tries sweep directions every 5°, then every degree within 4° of the best, and keeps the
    /// one with the fewest lines, then the shortest.
    static func bestSweep(over area: MultiPolygon, spacing: Double) throws(GeoError) -> Sweep {
        var best: Sweep?
        func consider(_ bearing: Double) throws(GeoError) {
            let sweep = try sweepLines(over: area, bearing: bearing, spacing: spacing)
            if let b = best, (b.lines.count, b.length) <= (sweep.lines.count, sweep.length) { return }
            best = sweep
        }
        for step in 0..<36 { try consider(Double(step) * 5) }
        let coarse = best!.bearing
        for delta in [-4.0, -3, -2, -1, 1, 2, 3, 4] {
            try consider((coarse + delta + 180).truncatingRemainder(dividingBy: 180))
        }
        return best!
    }

    /// Parallel lines across `area` along `bearing` (degrees clockwise from north), evenly spread
    /// so that no two neighbours are more than `spacing` apart and the outermost lie half a
    /// spacing inside the area's extent.
    static func sweepLines(over area: MultiPolygon, bearing: Double, spacing: Double) throws(GeoError) -> Sweep {
        // Rotate so that the sweep runs along +x: a bearing of 90° (east) is already along x.
        let angle = (90 - bearing) * .pi / 180
        let rotated = area.polygons.flatMap(\.exterior).map { $0.rotated(by: -angle) }
        let box = Bounds(rotated)
        let count = max(1, Int((box.height / spacing).rounded(.up)))
        let actual = box.height / Double(count)
        var lines: [LineString] = []
        for k in 0..<count {
            let y = box.min.y + actual * (Double(k) + 0.5)
            let probe = LineString([XY(box.min.x - 10, y), XY(box.max.x + 10, y)].map { $0.rotated(by: angle) })
            let pieces = try area.clip(probe).filter { $0.length > 2 }
            let sorted = pieces.sorted { $0.points[0].rotated(by: -angle).x < $1.points[0].rotated(by: -angle).x }
            // Pull the ends half a metre in, so they lie strictly inside the area, not on its edge.
            lines += sorted.map { piece in
                let a = piece.points[0]
                let b = piece.points[piece.points.count - 1]
                let along = (b - a) * (0.5 / a.distance(to: b))
                return LineString([a + along, b - along])
            }
        }
        return Sweep(bearing: bearing, spacing: actual, lines: lines, length: lines.reduce(0) { $0 + $1.length })
    }

    /// Orders sweep lines as a boustrophedon, starting from the end nearest `start`.
    static func ordered(_ lines: [LineString], from start: XY) -> [LineString] {
        guard let first = lines.first, let last = lines.last else { return [] }
        let candidates = [
            (lines, first.points[0]), (lines, first.points[first.points.count - 1]),
            (Array(lines.reversed()), last.points[0]), (Array(lines.reversed()), last.points[last.points.count - 1]),
        ]
        let (sequence, entry) = candidates.min { $0.1.distance(to: start) < $1.1.distance(to: start) }!
        var result: [LineString] = []
        var cursor = entry
        for line in sequence {
            let a = line.points[0]
            let b = line.points[line.points.count - 1]
            result.append(a.distance(to: cursor) <= b.distance(to: cursor) ? LineString([a, b]) : LineString([b, a]))
            cursor = result[result.count - 1].points[1]
        }
        return result
    }
}
