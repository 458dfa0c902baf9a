public import PatrolGeo
public import PatrolModel

/// The safety checks every planned route must pass before it is uploaded: waypoints inside the
/// patrol area, no leg through a no-fly zone, no leg near a tower below its top.
public enum RouteCheck {
    /// Airspace the route must keep out of, in site metres, between `floor` and `ceiling`
    /// metres above ground.
    public struct Exclusion: Sendable {
        public enum Kind: String, Sendable { case noFlyZone = "no-fly zone", tower }
        public var id: String
        public var kind: Kind
        public var area: MultiPolygon
        public var floor: Double
        public var ceiling: Double

        /// Whether flying between altitudes `low` and `high` enters this airspace's height band.
        public func overlaps(low: Double, high: Double) -> Bool { low <= ceiling && high >= floor }
    }

    /// One broken rule, at a waypoint or on the leg that ends there.
    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        /// Index of the waypoint, or of the waypoint that ends the leg.
        public var waypoint: Int
        public var message: String

        public var description: String { "waypoint \(waypoint): \(message)" }
    }

    /// Metres a route stays above a tower's top when it passes near it.
    public static let verticalClearance = 20.0

    /// The site's no-fly zones and towers as airspace exclusions; towers reach from the ground
    /// to their height plus ``verticalClearance``. When `altitude` is given, only those whose
    /// height band contains it.
    public static func exclusions(site: Site, frame: SiteFrame, altitude: Double? = nil) throws(GeoError) -> [Exclusion] {
        var result: [Exclusion] = []
        for zone in site.noFlyZones {
            result.append(
                Exclusion(
                    id: zone.id, kind: .noFlyZone, area: MultiPolygon(try frame.project(zone.polygon)), floor: zone.floor,
                    ceiling: zone.ceiling))
        }
        for tower in site.towers {
            result.append(
                Exclusion(
                    id: tower.id, kind: .tower, area: MultiPolygon(try frame.project(tower.footprint)), floor: 0,
                    ceiling: tower.height + verticalClearance))
        }
        guard let altitude else { return result }
        return result.filter { $0.overlaps(low: altitude, high: altitude) }
    }

    /// Checks `plan` against the area and the site's exclusions.
    ///
    /// - Parameter exclusions: all the site's exclusions; each leg is checked against those whose
    ///   height band it passes through.
    public static func check(_ plan: CoveragePlan, mission: Mission, exclusions: [Exclusion]) throws(GeoError) -> [Finding] {
        var findings: [Finding] = []
        let waypoints = plan.route.waypoints
        let area = MultiPolygon(plan.area)
        // Both ends of every sweep line must lie in the patrol area.
        for i in waypoints.indices where waypoints[i].kind == .survey || (i + 1 < waypoints.count && waypoints[i + 1].kind == .survey) {
            if !(try area.covers(plan.waypointsXY[i])) {
                findings.append(Finding(waypoint: i, message: "lies outside the patrol area"))
            }
        }
        for i in waypoints.indices {
            let here = plan.waypointsXY[i]
            let previous = i > 0 ? plan.waypointsXY[i - 1] : here
            let low = min(waypoints[i].altitude, i > 0 ? waypoints[i - 1].altitude : 0)
            let high = max(waypoints[i].altitude, i > 0 ? waypoints[i - 1].altitude : 0)
            let leg = previous == here ? LineString([here, here + XY(0.01, 0)]) : LineString([previous, here])
            for exclusion in exclusions where exclusion.overlaps(low: low, high: high) {
                let margin = exclusion.kind == .tower ? CoveragePlanner.clearance : 0
                if try exclusion.area.buffered(by: margin).intersects(leg) {
                    findings.append(
                        Finding(
                            waypoint: i,
                            message:
                                "the leg at \(Int(low))–\(Int(high)) m enters \(exclusion.kind.rawValue) `\(exclusion.id)` "
                                + "(\(Int(exclusion.floor))–\(Int(exclusion.ceiling)) m)"))
                }
            }
        }
        return findings
    }
}
