import PatrolGeo
import PatrolModel

/// Builds a drone route leg by leg in site metres: take-off at the hive, transits that go around
/// towers and no-fly zones at their altitude, camera passes, and the return; then turns it into a
/// checked ``CoveragePlan``. Used by the corridor and facade planners.
struct RouteAssembly {
    let mission: Mission
    let site: Site
    let frame: SiteFrame
    let hive: Hive
    let hiveXY: XY
    private(set) var points: [(xy: XY, altitude: Double, kind: Waypoint.Kind)]
    private var finders: [String: PathFinder] = [:]
    /// Metres flown straight up or down (take-off, landing, changing level on the spot).
    private(set) var vertical = 0.0

    init(mission: Mission, site: Site, frame: SiteFrame) throws(PlanError) {
        guard let hive = site.hive(mission.hive) else {
            throw PlanError(.unknownReference, "the site has no hive `\(mission.hive)`", mission: mission.id)
        }
        self.mission = mission
        self.site = site
        self.frame = frame
        self.hive = hive
        do { hiveXY = try frame.project(hive.position) } catch {
            throw PlanError(.geometry, error.description, mission: mission.id)
        }
        points = [(hiveXY, mission.transitAltitude, .takeoff)]
        vertical = mission.transitAltitude
    }

    var position: XY { points[points.count - 1].xy }
    var altitude: Double { points[points.count - 1].altitude }

    /// A path finder that keeps out of everything closed between altitudes `low` and `high`.
    mutating func finder(low: Double, high: Double) throws(GeoError) -> PathFinder {
        let key = "\(low)-\(high)"
        if let cached = finders[key] { return cached }
        let obstacles = try MultiPolygon.union(
            RouteCheck.exclusions(site: site, frame: frame).filter { $0.overlaps(low: low, high: high) }
                .map { (z) throws(GeoError) in
                    // Two segments a quadrant keep the graph small; their chords stay beyond the 10 m clearance.
                    try z.area.geometry.buffered(
                        by: z.kind == .tower ? RouteCheck.horizontalClearance + 1 : 2, quadrantSegments: 2)
                })
        let finder = try PathFinder.avoiding(obstacles)
        finders[key] = finder
        return finder
    }

    /// Flies to `target` around obstacles, arriving at `arrival` altitude: at the higher of the
    /// current and the arrival altitude all the way, climbing or descending on the spot.
    mutating func transit(to target: XY, altitude arrival: Double, what: String) throws(PlanError) {
        let cruise = max(altitude, arrival)
        if cruise > altitude { climb(to: cruise) }
        if target != position {
            let path: [XY]?
            do { path = try finder(low: cruise, high: cruise).path(from: position, to: target) } catch {
                throw PlanError(.geometry, error.description, mission: mission.id)
            }
            guard let path else { throw PlanError(.unsafe, "no clear path for the \(what)", mission: mission.id) }
            for p in path.dropFirst() { points.append((p, cruise, .transit)) }
        }
        if arrival != altitude { climb(to: arrival) }
    }

    /// The pieces of `pass` outside every no-fly zone and tower clearance at `altitude`, and a
    /// note for the operator when something was cut (`what` names the pass in it).
    func cut(_ pass: LineString, altitude: Double, what: String) throws(GeoError) -> ([LineString], String?) {
        let exclusions = try RouteCheck.exclusions(site: site, frame: frame, altitude: altitude)
        // Half a metre more than the transit finder keeps, so the cut ends are reachable.
        let grown = try exclusions.map { (z) throws(GeoError) in
            try z.area.buffered(by: z.kind == .tower ? RouteCheck.horizontalClearance + 1.5 : 2.5)
        }
        let blocked = try MultiPolygon.union(grown)
        guard !blocked.isEmpty else { return ([pass], nil) }
        let pieces = try Geometry.lineString(pass).difference(blocked.geometry).lineStrings.filter { $0.length > 2 }
        let kept = pieces.reduce(0) { $0 + $1.length }
        guard pass.length - kept > 1 else { return (pieces, nil) }
        var names: [String] = []
        for (zone, area) in zip(exclusions, grown) where try area.intersects(pass) { names.append(zone.id) }
        let note =
            "\(what): \(Int((pass.length - kept).rounded())) m of \(Int(pass.length.rounded())) m skipped inside "
            + "the clearance of \(names.joined(separator: ", "))"
        return (pieces, note)
    }

    /// Whether a transit can reach `target` at `altitude` from where the route is now.
    mutating func canReach(_ target: XY, altitude arrival: Double) throws(GeoError) -> Bool {
        let cruise = max(altitude, arrival)
        if target == position { return true }
        return try finder(low: cruise, high: cruise).path(from: position, to: target) != nil
    }

    /// Changes altitude on the spot.
    mutating func climb(to newAltitude: Double) {
        vertical += abs(newAltitude - altitude)
        points.append((position, newAltitude, .transit))
    }

    /// Flies `line` with the camera on, transiting to its start first.
    mutating func survey(_ line: [XY], altitude: Double, what: String) throws(PlanError) {
        guard let first = line.first else { return }
        try transit(to: first, altitude: altitude, what: what)
        for p in line.dropFirst() { points.append((p, altitude, .survey)) }
    }

    /// Returns to the hive, lands, and checks the route.
    ///
    /// - Throws: ``PlanError`` when there is no way back or the route breaks a rule.
    mutating func finish(
        area: Polygon, target: MultiPolygon, passes: [LineString], footprint: CameraFootprint, lineSpacing: Double,
        extraFence: [Polygon], notes: [String]
    ) throws(PlanError) -> CoveragePlan {
        try transit(to: hiveXY, altitude: mission.transitAltitude, what: "return to the hive")
        vertical += mission.transitAltitude
        points.append((hiveXY, 0, .land))
        return try PlanError.mapping(mission: mission.id) {
            // Hold the height above ground where the site's terrain is not flat.
            let lifted = TerrainFollowing.follow(points, hive: hiveXY, rise: site.groundRise(at:))
            let xy = lifted.map(\.xy)
            let geo = try frame.unproject(xy).enumerated().map { xy[$0.offset] == hiveXY ? hive.position : $0.element }
            let waypoints = TerrainFollowing.waypoints(lifted, geo: geo, site: site, hive: hive, speed: mission.speed)
            let length = zip(xy, xy.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            let route = Route(
                missionID: mission.id, waypoints: waypoints, swathWidth: footprint.width, lineSpacing: lineSpacing,
                triggerSpacing: footprint.triggerSpacing(frontOverlap: mission.camera.frontOverlap), length: length,
                estimatedDuration: length / mission.speed + vertical / CoveragePlanner.verticalSpeed)
            var plan = CoveragePlan(
                route: route, waypointsXY: xy, area: area, targetArea: target, flyableArea: target, sweepLines: passes,
                sweepBearing: 0, footprint: footprint, findings: [])
            plan.notes = notes
            plan.findings = try RouteCheck.check(
                route: route, xy: xy, mission: mission, site: site, frame: frame, extraFence: extraFence,
                groundOffset: hive.groundElevation)
            if !plan.findings.isEmpty { throw PlanError(unsafe: plan.findings, mission: mission.id) }
            return plan
        }
    }
}
