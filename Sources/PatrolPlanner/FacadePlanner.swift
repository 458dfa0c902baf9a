import PatrolGeo
public import PatrolModel

/// Plans facade (structure) orbits: one ring around a tower per altitude, at a stand-off
/// distance from its footprint.
///
/// Each ring is the footprint grown by the stand-off (GEOS buffer, round corners). Arcs that
/// would come within the clearance of another tower below its top, or enter a no-fly zone, at
/// that ring's altitude are cut out and flown around, and the plan's notes say which and how much;
/// a ring with nothing left is skipped, and said so. Rings are flown from the lowest up, in
/// alternating directions, climbing on the spot between them.
public enum FacadePlanner {
    /// Plans the facade route for `mission` over `site`.
    ///
    /// - Throws: ``PlanError`` when the mission is not a facade orbit, its tower or hive is
    ///   unknown, no ring can be flown, or the route breaks a rule.
    public static func plan(_ mission: Mission, site: Site) throws(PlanError) -> CoveragePlan {
        guard case .facade(let spec) = mission.kind else {
            throw PlanError(.unknownReference, "not a facade mission", mission: mission.id)
        }
        guard let tower = site.towers.first(where: { $0.id == spec.tower }) else {
            throw PlanError(.unknownReference, "the site has no tower `\(spec.tower)`", mission: mission.id)
        }
        return try PlanError.mapping(mission: mission.id) {
            let frame = try SiteFrame(crs: site.crs)
            var assembly = try RouteAssembly(mission: mission, site: site, frame: frame)
            let footprint = try frame.project(tower.footprint)
            guard
                let ring = try Geometry.polygon(footprint).buffered(by: spec.standoff, quadrantSegments: 3).polygons
                    .first
            else {
                throw PlanError(.empty, "the stand-off ring around \(tower.id) is empty", mission: mission.id)
            }
            var notes: [String] = []
            var flown: [LineString] = []
            for (level, altitude) in spec.altitudes.enumerated() {
                let what = "ring \(level + 1) at \(Figures.metres(altitude))"
                var orbit = CorridorPlanner.rotated(LineString(ring.exterior), nearest: assembly.position)
                if level % 2 == 1 { orbit = LineString(orbit.points.reversed()) }
                let (pieces, note) = try assembly.cut(orbit, altitude: altitude, what: what)
                if let note { notes.append(note) }
                guard !pieces.isEmpty else {
                    notes.append("\(what): skipped, nothing of it is clear")
                    continue
                }
                for piece in CorridorPlanner.order(pieces, from: assembly.position) {
                    // An arc boxed in by other towers' clearances cannot be reached at its altitude.
                    guard try assembly.canReach(piece.points[0], altitude: altitude) else {
                        notes.append(
                            "\(what): an arc of \(Figures.metres(piece.length)) skipped, boxed in by other towers")
                        continue
                    }
                    try assembly.survey(piece.points, altitude: altitude, what: what)
                    flown.append(piece)
                }
            }
            guard !flown.isEmpty else { throw PlanError(.empty, "no ring can be flown", mission: mission.id) }
            let camera = CameraFootprint(
                altitude: spec.standoff, horizontalFOVDegrees: mission.camera.horizontalFOV,
                verticalFOVDegrees: mission.camera.verticalFOV)
            let band = try MultiPolygon(ring).difference(MultiPolygon(footprint))
            return try assembly.finish(
                area: ring, target: band, passes: flown, footprint: camera,
                lineSpacing: spec.altitudes.count > 1 ? spec.altitudes[1] - spec.altitudes[0] : 0, extraFence: [ring],
                notes: notes)
        }
    }
}
