public import PatrolGeo
public import PatrolModel

/// Plans any mission: picks the planner for the mission's kind.
public enum RoutePlanner {
    /// Plans `mission` over `site` with the planner for its kind, and checks the route.
    ///
    /// - Parameter frame: the site's projected frame, if the caller keeps one (area coverage reuses it).
    /// - Throws: ``PlanError`` when the mission cannot be planned or its route breaks a rule
    ///   (code ``PlanError/Code/unsafe``, with every ``RouteCheck/Finding``).
    public static func plan(_ mission: Mission, site: Site, frame: SiteFrame? = nil) throws(PlanError) -> CoveragePlan {
        switch mission.kind {
        case .areaCoverage: try CoveragePlanner.plan(mission, site: site, frame: frame)
        case .corridor: try CorridorPlanner.plan(mission, site: site)
        case .facade: try FacadePlanner.plan(mission, site: site)
        case .robotRound: try RobotRoundPlanner.plan(mission, site: site)
        }
    }
}
