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
/// The sweep direction and the placement of the lines are the ones that need the fewest lines, then
/// cost the least to fly (transit, sweep, routed turns and a cost per change of heading, see
/// ``bestSweep(over:spacing:cost:)``); neighbouring lines are never more than the spacing apart, so
/// swaths overlap at least as much as the mission asks. The ends of each line stay a margin inside
/// the flyable area; turns between lines may leave the area by up to ``turnMargin``.
public enum CoveragePlanner {
    /// Metres kept between the route and a no-fly zone or an obstacle.
    public static let clearance = 10.0
    /// Metres the ends of a sweep line stay inside the area's edge.
    public static let edgeInset = 2.0
    /// Climb and descent rate assumed for timing, metres per second.
    public static let verticalSpeed = 3.0
    /// Metres a turn between sweep lines may stray outside the area (at most half the geofence margin).
    public static let turnMargin = 15.0

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
            // Turns between sweep lines may leave the area by up to half the geofence margin (they are
            // transits, not camera passes), which saves going around concave edges; they stay clear of
            // every exclusion at survey height.
            let turnRoom = max(0, min(mission.limits.geofenceMargin / 2, turnMargin))
            let turnRoomArea = try MultiPolygon(
                MultiPolygon(area).geometry.buffered(by: turnRoom, quadrantSegments: 2).polygons)
            let turns = try PathFinder.inside(
                turnRoomArea.difference(
                    MultiPolygon.union(exclusions.map { (z) throws(GeoError) in try z.area.buffered(by: clearance) })),
                // Few turning points keep the finder fast: the corners of the exclusions grown with
                // two segments a quadrant (on or beyond the round clearance).
                corners: turnRoomArea.difference(
                    MultiPolygon.union(
                        exclusions.map { (z) throws(GeoError) in
                            MultiPolygon(
                                try z.area.geometry.buffered(by: clearance + 1, quadrantSegments: 2).polygons)
                        })))
            let sweep = try bestSweep(over: flyable, spacing: spacing) { (lines) throws(GeoError) in
                try flightCost(lines, from: hiveXY, turns: turns)
            }
            let lines = sweep.order ?? ordered(sweep.lines, from: hiveXY)

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
        /// The sweep lines flown as a boustrophedon with straight turns: what the search minimises
        /// after the line count.
        var pathLength: Double
        /// The order and directions to fly the lines in, when the search chose them.
        var order: [LineString]? = nil
    }

    /// Where the sweep lines go across the area.
    enum Placement: Hashable {
        /// Spread evenly over the whole width, the outermost half a spacing inside the edges.
        case even
        /// Exactly `spacing` apart, shifted across the width by a fraction (0: the first line half a
        /// spacing inside one edge, 1: the last line half a spacing inside the other).
        case shifted(Double)
    }

    /// How many sweep candidates, best by the straight estimate, get their turns routed and costed.
    static let shortlist = 5

    /// Metres of straight flight a turn costs in the sweep search: slowing down, turning on the
    /// spot and speeding up again take about as long as flying this far at survey speed.
    public static let turnCost = 80.0

    /// What flying `lines` in boustrophedon order from `start` and back costs, in metres: the
    /// transit from and to `start` (straight), the sweep lines, the turns between them as
    /// `turns` routes them, and ``turnCost`` for every change of heading; `nil` when a turn has no path.
    static func flightCost(
        _ lines: [LineString], from start: XY, turns: PathFinder
    ) throws(GeoError) -> (cost: Double, order: [LineString])? {
        var best: (cost: Double, order: [LineString])?
        for flown in orderings(lines) {
            guard let c = try flightCost(ordered: flown, from: start, turns: turns) else { continue }
            if let b = best, b.cost <= c { continue }
            best = (c, flown)
        }
        return best
    }

    static func flightCost(ordered flown: [LineString], from start: XY, turns: PathFinder) throws(GeoError) -> Double? {
        guard let first = flown.first else { return nil }
        var points = [start, first.points[0], first.points[1]]
        for line in flown.dropFirst() {
            guard let path = try turns.path(from: points[points.count - 1], to: line.points[0]) else { return nil }
            points += path.dropFirst()
            points.append(line.points[1])
        }
        points.append(start)
        var length = 0.0
        var headingChanges = 0
        for i in points.indices.dropFirst() {
            length += points[i - 1].distance(to: points[i])
            guard i + 1 < points.count else { continue }
            let u = points[i] - points[i - 1]
            let v = points[i + 1] - points[i]
            guard u.length > 0.01, v.length > 0.01 else { continue }
            if u.dot(v) / (u.length * v.length) < cos(Double.pi / 180) { headingChanges += 1 }
        }
        return length + turnCost * Double(headingChanges)
    }

    /// Tries sweep directions every 5° (fewest lines, then the shortest boustrophedon with straight
    /// turns), then, around the two best, every degree within 4° with line placements shifted
    /// across the area; of those, the ``shortlist`` best by the straight estimate are costed with
    /// `cost` (the whole flight, see ``flightCost(_:from:turns:)``) and the one with the fewest lines,
    /// then the least cost, wins.
    static func bestSweep(
        over area: MultiPolygon, spacing: Double,
        cost: ([LineString]) throws(GeoError) -> (cost: Double, order: [LineString])?
    ) throws(GeoError) -> Sweep {
        var coarse: [Sweep] = []
        for step in 0..<36 {
            let sweep = try sweepLines(over: area, bearing: Double(step) * 5, spacing: spacing)
            if sweep.pathLength.isFinite { coarse.append(sweep) }
        }
        coarse.sort { ($0.lines.count, $0.pathLength) < ($1.lines.count, $1.pathLength) }
        var candidates: [Sweep] = []
        var tried = Set<String>()
        for seed in coarse.prefix(2) {
            for delta in [-4.0, -3, -2, -1, 0, 1, 2, 3, 4] {
                let bearing = (seed.bearing + delta + 180).truncatingRemainder(dividingBy: 180)
                for placement in [
                    Placement.even, .shifted(0), .shifted(0.25), .shifted(0.5), .shifted(0.75), .shifted(1),
                ]
                where tried.insert("\(bearing) \(placement)").inserted {
                    let sweep = try sweepLines(over: area, bearing: bearing, spacing: spacing, placement: placement)
                    if sweep.pathLength.isFinite { candidates.append(sweep) }
                }
            }
        }
        // Routing the turns is the dear part: only the most promising candidates by the straight estimate.
        candidates.sort { ($0.lines.count, $0.pathLength) < ($1.lines.count, $1.pathLength) }
        var best: (sweep: Sweep, key: (Int, Double))?
        for sweep in candidates.prefix(shortlist) {
            guard let c = try cost(sweep.lines) else { continue }
            let key = (sweep.lines.count, c.cost)
            if let b = best, b.key <= key { continue }
            var chosen = sweep
            chosen.order = c.order
            best = (chosen, key)
        }
        return best?.sweep ?? coarse[0]
    }

    /// Parallel lines across `area` along `bearing` (degrees clockwise from north), no two
    /// neighbours more than `spacing` apart and the outermost at most half a spacing inside the
    /// area's extent, placed as `placement` says.
    static func sweepLines(
        over area: MultiPolygon, bearing: Double, spacing: Double, placement: Placement = .even
    ) throws(GeoError) -> Sweep {
        // Rotate so that the sweep runs along +x: a bearing of 90° (east) is already along x.
        let angle = (90 - bearing) * .pi / 180
        let rotated = area.polygons.flatMap(\.exterior).map { $0.rotated(by: -angle) }
        let box = Bounds(rotated)
        let count = max(1, Int((box.height / spacing).rounded(.up)))
        let actual: Double
        let first: Double
        switch placement {
        case .even:
            actual = box.height / Double(count)
            first = box.min.y + actual / 2
        case .shifted(let fraction):
            // First line within half a spacing of the bottom edge, last within half a spacing of the top.
            actual = spacing
            let low = max(box.min.y, box.max.y - spacing / 2 - Double(count - 1) * spacing)
            let high = min(box.min.y + spacing / 2, box.max.y - Double(count - 1) * spacing)
            first =
                high >= low
                ? low + (high - low) * fraction : box.min.y + box.height / 2 - Double(count - 1) * spacing / 2
        }
        var lines: [LineString] = []
        var missing = 0
        for k in 0..<count {
            let y = first + actual * Double(k)
            let probe = LineString([XY(box.min.x - 10, y), XY(box.max.x + 10, y)].map { $0.rotated(by: angle) })
            let pieces = try area.clip(probe).filter { $0.length > 2 }
            if pieces.isEmpty { missing += 1 }
            let sorted = pieces.sorted { $0.points[0].rotated(by: -angle).x < $1.points[0].rotated(by: -angle).x }
            // Pull the ends half a metre in, so they lie strictly inside the area, not on its edge.
            lines += sorted.map { piece in
                let a = piece.points[0]
                let b = piece.points[piece.points.count - 1]
                let along = (b - a) * (0.5 / a.distance(to: b))
                return LineString([a + along, b - along])
            }
        }
        let length = lines.reduce(0) { $0 + $1.length }
        var path = length
        if let start = lines.first?.points[0] {
            let flown = ordered(lines, from: start)
            for (a, b) in zip(flown, flown.dropFirst()) { path += a.points[1].distance(to: b.points[0]) }
        }
        // A shifted placement whose outermost line misses a tapering tip would leave a gap wider
        // than the spacing: never chosen.
        if case .shifted = placement, missing > 0 { path = .infinity }
        return Sweep(bearing: bearing, spacing: actual, lines: lines, length: length, pathLength: path)
    }

    /// The four boustrophedons over `lines`: from either end of the first line or of the last.
    static func orderings(_ lines: [LineString]) -> [[LineString]] {
        guard let first = lines.first, let last = lines.last else { return [] }
        let candidates = [
            (lines, first.points[0]), (lines, first.points[first.points.count - 1]),
            (Array(lines.reversed()), last.points[0]), (Array(lines.reversed()), last.points[last.points.count - 1]),
        ]
        return candidates.map { sequence, entry in
            var result: [LineString] = []
            var cursor = entry
            for line in sequence {
                let a = line.points[0]
                let b = line.points[line.points.count - 1]
                result.append(
                    a.distance(to: cursor) <= b.distance(to: cursor) ? LineString([a, b]) : LineString([b, a]))
                cursor = result[result.count - 1].points[1]
            }
            return result
        }
    }

    /// Orders sweep lines as the boustrophedon with the shortest straight flight from `start` and back.
    static func ordered(_ lines: [LineString], from start: XY) -> [LineString] {
        func length(_ flown: [LineString]) -> Double {
            guard let first = flown.first, let last = flown.last else { return 0 }
            var total = start.distance(to: first.points[0]) + last.points[1].distance(to: start)
            for (a, b) in zip(flown, flown.dropFirst()) { total += a.points[1].distance(to: b.points[0]) }
            return total
        }
        return orderings(lines).min { length($0) < length($1) } ?? []
    }
}
