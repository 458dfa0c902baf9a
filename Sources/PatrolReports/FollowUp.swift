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
/// a refused one is replaced by the convex hull of the gap widened by one, two, then four
/// margins, which the planner's evenly spread lines cover at the price of some ground already
/// seen; candidates that cannot be planned at all are passed over.
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
            // Candidates from the tightest to the loosest: the widened gap itself, then the hull
            // of the gap widened by one, two and four margins. The first the check accepts wins;
            // if none is accepted the loosest is kept, which covers the most.
            var candidates: [Polygon] = []
            for factor in [1.0, 2.0, 4.0] {
                let widened = try MultiPolygon(Polygon(exterior: gap.exterior)).buffered(by: margin * factor)
                if factor == 1, widened.polygons.count == 1, let only = widened.polygons.first {
                    candidates.append(Polygon(exterior: only.exterior).normalisedWinding)
                }
                let hull = Coverage.convexHull(widened.polygons.flatMap(\.exterior))
                if hull.count >= 3 { candidates.append(Polygon(corners: hull).normalisedWinding) }
            }
            // A candidate the check throws on (cannot be planned: it leaves the geofence, say)
            // is never chosen while another can be flown.
            var chosen: Mission?
            var plannable: Mission?
            for candidate in candidates {
                let mission = try self.mission(candidate, index: index, of: sorted.count, input, frame)
                do {
                    if try check(mission, gap) {
                        chosen = mission
                        break
                    }
                    plannable = mission
                } catch {
                    continue
                }
            }
            if let mission = chosen ?? plannable {
                missions.append(mission)
            } else if let tightest = candidates.first {
                missions.append(try self.mission(tightest, index: index, of: sorted.count, input, frame))
            }
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
