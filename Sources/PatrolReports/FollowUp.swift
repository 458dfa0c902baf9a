public import PatrolGeo
public import PatrolModel

/// Turns a flight's gaps into follow-up patrols: one mission per gap (gaps close enough to
/// overlap once widened are merged), each drawing its area inline, with the flight's hive,
/// altitudes, speed, camera and detection classes.
///
/// One mission per gap, rather than one mission with several polygons, because the planner
/// sweeps one connected area per route: several areas in one sortie would need it to order
/// them and plan transits between them. The scheduler can chain the small missions instead.
public enum FollowUp {
    /// How far each gap is widened, metres, so that the planner (which keeps sweep lines inside
    /// the area's edge) still sweeps narrow gaps, and the camera sees their edges.
    public static let defaultMargin = 10.0

    /// The follow-up missions for `gaps`, in site metres (a ``CoverageResult/gaps``).
    ///
    /// Holes in gaps are filled: a follow-up covers the whole patch around an island seen.
    ///
    /// - Parameters:
    ///   - gaps: the flight's reported gaps, site metres.
    ///   - input: the flight's report input: its site and mission.
    ///   - margin: metres by which each gap is widened.
    /// - Returns: one mission per (merged) gap, largest first; none when there are no gaps.
    /// - Throws: ``GeoError`` when GEOS fails or the CRS cannot take the areas back to lon/lat.
    public static func missions(
        gaps: MultiPolygon, input: FlightReportInput, margin: Double = defaultMargin
    ) throws(GeoError) -> [Mission] {
        guard !gaps.isEmpty else { return [] }
        let frame = try SiteFrame(crs: input.site.crs)
        let filled = MultiPolygon(gaps.polygons.map { Polygon(exterior: $0.exterior) })
        let widened = try filled.buffered(by: margin)
        let parts = widened.polygons.map { Polygon(exterior: $0.exterior).normalisedWinding }
            .sorted { $0.area > $1.area }
        let base = input.mission
        return try parts.enumerated().map { (index, part) throws(GeoError) in
            var mission = base
            mission.id = "\(base.id)-follow-up-\(index + 1)"
            mission.name = "Follow-up \(index + 1) of \(parts.count) for flight \(input.flight.id)"
            mission.kind = .areaCoverage(area: .inline(try frame.unproject(part)))
            return mission
        }
    }
}
