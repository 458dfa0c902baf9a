public import PatrolGeo
public import PatrolModel

/// The safety checks every planned route must pass before it is uploaded.
///
/// Each finding names the waypoint or leg, the rule and the amount by which the route fails it:
/// the geofence (the site boundary and the patrol areas, plus the mission's margin), no-fly zones
/// in their height bands, the horizontal and vertical clearance of every tower, the maximum
/// altitude, the endurance with its reserve, and the climb, descent and turn limits.
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

    /// The rule a finding breaks.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        case geofence
        case patrolArea = "patrol area"
        case noFlyZone = "no-fly zone"
        case towerClearance = "tower clearance"
        case maxAltitude = "max altitude"
        case endurance
        case climb
        case descent
        case turn
        case terrainClearance = "terrain clearance"
    }

    /// Where on the route a finding is.
    public enum Location: Hashable, Sendable, CustomStringConvertible {
        /// At one waypoint (its index).
        case waypoint(Int)
        /// On the leg from one waypoint to the next.
        case leg(Int, Int)
        /// The route as a whole (endurance).
        case route

        public var description: String {
            switch self {
            case .waypoint(let i): "waypoint \(i)"
            case .leg(let a, let b): "leg \(a)→\(b)"
            case .route: "route"
            }
        }
    }

    /// One broken rule, with where it is broken and by how much.
    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public var location: Location
        public var rule: Rule
        /// How much the route fails the rule by, in the rule's unit (metres, seconds, m/s, degrees).
        public var excess: Double
        /// What happens, with the figures, e.g. `enters nfz-substation by 12.4 m at 50 m AGL`.
        public var message: String
        /// Where to draw it, in site metres: one point for a waypoint, two for a leg, none for the route.
        public var at: [XY]

        public init(location: Location, rule: Rule, excess: Double, at: [XY] = [], message: String) {
            self.location = location
            self.rule = rule
            self.excess = excess
            self.at = at
            self.message = message
        }

        public var description: String { "\(location): \(rule.rawValue): \(message)" }
    }

    /// Metres a route stays above a tower's top when it passes near it.
    public static let verticalClearance = 20.0
    /// Metres a route stays away from a tower's walls when below its top plus ``verticalClearance``.
    public static let horizontalClearance = 10.0

    /// The site's no-fly zones and towers as airspace exclusions; towers reach from the ground
    /// to their height plus ``verticalClearance``. When `altitude` is given, only those whose
    /// height band contains it.
    public static func exclusions(site: Site, frame: SiteFrame, altitude: Double? = nil) throws(GeoError) -> [Exclusion]
    {
        var result: [Exclusion] = []
        for zone in site.noFlyZones {
            result.append(
                Exclusion(
                    id: zone.id, kind: .noFlyZone, area: MultiPolygon(try frame.project(zone.polygon)),
                    floor: zone.floor,
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

    /// The geofence: the site boundary and every patrol area (the site's and `extra`), grown by `margin`.
    public static func geofence(
        site: Site, frame: SiteFrame, extra: [Polygon] = [], margin: Double
    ) throws(GeoError) -> MultiPolygon {
        var parts = [MultiPolygon(try frame.project(site.boundary))]
        for area in site.areas { parts.append(MultiPolygon(try frame.project(area.polygon))) }
        parts += extra.map { MultiPolygon($0) }
        return try MultiPolygon.union(parts).buffered(by: margin)
    }

    /// Checks a route against every rule.
    ///
    /// - Parameters:
    ///   - route: the route; altitudes are above the hive's (or station's) ground level.
    ///   - xy: the route's waypoints in site metres, in the same order.
    ///   - mission: the mission, for its speed and ``FlightLimits``.
    ///   - site: the site, for its boundary, areas, no-fly zones and towers.
    ///   - frame: the site's projected frame.
    ///   - surveyArea: when given, every survey leg must lie in it (area coverage).
    ///   - extraFence: areas the geofence also admits (an area drawn in the mission file).
    ///   - groundOffset: the height of the launch point above the site's ground level (the origin's), metres.
    ///   - terrainClearance: the least height above the ground on any horizontal leg, metres.
    ///
    /// Heights above ground are measured from the site's terrain (``Site/groundRise(at:)``), flat
    /// without one; every horizontal leg is followed over the ground for the maximum altitude and
    /// the terrain clearance.
    /// - Throws: ``GeoError`` when GEOS fails on the geometry.
    public static func check(
        route: Route, xy: [XY], mission: Mission, site: Site, frame: SiteFrame, surveyArea: MultiPolygon? = nil,
        extraFence: [Polygon] = [], groundOffset: Double = 0, terrainClearance: Double = RouteCheck.terrainClearance
    ) throws(GeoError) -> [Finding] {
        let limits = mission.limits
        let fence = try geofence(site: site, frame: frame, extra: extraFence, margin: limits.geofenceMargin)
        let legs = Leg.all(route: route, xy: xy, groundOffset: groundOffset, rise: site.groundRise(at:))
        var findings: [Finding] = []
        findings += try Airspace.geofence(legs, fence: fence, margin: limits.geofenceMargin)
        if let surveyArea { findings += try Airspace.patrolArea(legs, area: surveyArea) }
        findings += try Airspace.exclusions(legs, exclusions: try exclusions(site: site, frame: frame))
        findings += FlightRules.altitude(legs, limit: limits.maxAltitudeAGL)
        findings += TerrainRules.profile(
            legs, groundOffset: groundOffset, rise: site.groundRise(at:), limit: limits.maxAltitudeAGL,
            clearance: terrainClearance)
        findings += FlightRules.rates(legs, limits: limits)
        findings += FlightRules.turns(legs, limit: limits.maxTurn)
        findings += FlightRules.endurance(route.estimatedDuration, limits: limits)
        return findings
    }
}

extension RouteCheck {
    /// Checks a ground robot's route: the geofence and the endurance only (airspace rules are for drones).
    ///
    /// - Throws: ``GeoError`` when GEOS fails on the geometry.
    public static func checkGround(
        route: Route, xy: [XY], mission: Mission, site: Site, frame: SiteFrame
    ) throws(GeoError) -> [Finding] {
        let fence = try geofence(site: site, frame: frame, margin: mission.limits.geofenceMargin)
        let legs = Leg.all(route: route, xy: xy, groundOffset: 0)
        return try Airspace.geofence(legs, fence: fence, margin: mission.limits.geofenceMargin)
            + FlightRules.endurance(route.estimatedDuration, limits: mission.limits)
    }
}
