public import PatrolGeo
public import PatrolModel

/// Turns a flight's gaps into follow-up patrols: one mission per gap, drawing its area inline,
/// with the flight's hive, altitudes, speed, camera and detection classes.
///
/// One mission per gap, rather than one mission with several polygons, because the planner
/// sweeps one connected area per route: several areas in one sortie would need it to order
/// them and plan transits between them. The scheduler can chain the small missions instead.
///
/// Each gap's area is the gap widened by a margin (so the planner, which keeps its lines inside
/// the edge, still sweeps narrow gaps). The caller may check each candidate with the planner;
/// a refused one is replaced by the convex hull of the widened gap, which the planner's evenly
/// spread lines always cover, at the price of some ground already seen.
public enum FollowUp {
    /// How far each gap is widened, metres.
    public static let defaultMargin = 10.0

    /// Decides whether a candidate follow-up mission covers its gap (site metres), for example
    /// by planning it and checking that its swaths cover the gap.
    public typealias Check = (_ mission: Mission, _ gap: Polygon) throws -> Bool

    /// The follow-up missions for `gaps`, in site metres (a ``CoverageResult/gaps``).
    ///
    /// - Parameters:
    ///   - gaps: the flight's reported gaps, site metres.
    ///   - input: the flight's report input: its site and mission.
    ///   - margin: metres by which each gap is widened.
    ///   - check: accepts or refuses the widened gap's mission; refused (or throwing) ones are
    ///     replaced by the hull. By default every candidate is accepted.
    /// - Returns: one mission per gap, largest gap first; none when there are no gaps.
    /// - Throws: ``GeoError`` when GEOS fails or the CRS cannot take the areas back to lon/lat.
    public static func missions(
        gaps: MultiPolygon, input: FlightReportInput, margin: Double = defaultMargin,
        check: Check = { _, _ in true }
    ) throws(GeoError) -> [Mission] {
        let frame = try SiteFrame(crs: input.site.crs)
        let sorted = gaps.polygons.sorted { $0.area > $1.area }
        var missions: [Mission] = []
        for (index, gap) in sorted.enumerated() {
            let widened = try MultiPolygon(Polygon(exterior: gap.exterior)).buffered(by: margin)
            let outline = widened.polygons.flatMap(\.exterior)
            guard let largest = widened.polygons.max(by: { $0.area < $1.area }) else { continue }
            var mission = try self.mission(
                Polygon(exterior: largest.exterior).normalisedWinding, index: index, of: sorted.count, input, frame)
            let accepted = widened.polygons.count == 1 && ((try? check(mission, gap)) ?? false)
            if !accepted {
                let hull = Coverage.convexHull(outline)
                guard hull.count >= 3 else { continue }
                mission = try self.mission(
                    Polygon(corners: hull).normalisedWinding, index: index, of: sorted.count, input, frame)
            }
            missions.append(mission)
        }
        return missions
    }

    private static func mission(
        _ area: Polygon, index: Int, of count: Int, _ input: FlightReportInput, _ frame: SiteFrame
    ) throws(GeoError) -> Mission {
        var mission = input.mission
        mission.id = "\(input.mission.id)-follow-up-\(index + 1)"
        mission.name = "Follow-up \(index + 1) of \(count) for flight \(input.flight.id)"
        mission.kind = .areaCoverage(area: .inline(try frame.unproject(area)))
        return mission
    }
}
