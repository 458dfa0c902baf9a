import PatrolGeo
import PatrolModel

extension RouteCheck {
    /// The checks that are about where the route flies: geofence, patrol area, no-fly zones, towers.
    enum Airspace {
        /// Every leg stays inside the geofence; a leg that leaves it is reported once, with how
        /// far beyond the fence (which already includes the margin) it goes.
        static func geofence(_ legs: [Leg], fence: MultiPolygon, margin: Double) throws(GeoError) -> [Finding] {
            let prepared = try PreparedArea(fence)
            var findings: [Finding] = []
            for leg in legs where !(try prepared.covers(leg.a, leg.b)) {
                let beyond = try farthest(leg, from: fence.geometry, in: prepared, inside: false)
                findings.append(
                    Finding(
                        location: leg.location, rule: .geofence, excess: beyond, at: leg.ends,
                        message: "goes \(Figures.metres(beyond)) beyond the geofence (site boundary and patrol areas "
                            + "plus \(Figures.metres(margin))) \(Figures.band(leg.lowAGL, leg.highAGL))"))
            }
            return findings
        }

        /// Every survey leg lies in the patrol area.
        static func patrolArea(_ legs: [Leg], area: MultiPolygon) throws(GeoError) -> [Finding] {
            let prepared = try PreparedArea(area)
            var findings: [Finding] = []
            for leg in legs where leg.kind == .survey {
                guard !(try prepared.covers(leg.a, leg.b)) else { continue }
                let beyond = try farthest(leg, from: area.geometry, in: prepared, inside: false)
                findings.append(
                    Finding(
                        location: leg.location, rule: .patrolArea, excess: beyond, at: leg.ends,
                        message: "the survey leg leaves the patrol area by \(Figures.metres(beyond))"))
            }
            return findings
        }

        /// No leg enters a no-fly zone in its height band, nor comes within ``horizontalClearance``
        /// of a tower while lower than its top plus ``verticalClearance``.
        static func exclusions(_ legs: [Leg], exclusions: [Exclusion]) throws(GeoError) -> [Finding] {
            var findings: [Finding] = []
            for zone in exclusions {
                let prepared = try PreparedArea(zone.area)
                let boundary = Geometry.collection(
                    zone.area.polygons.flatMap { [$0.exterior] + $0.holes }.map { .lineString(LineString($0)) })
                for leg in legs where zone.overlaps(low: leg.lowAGL, high: leg.highAGL) {
                    switch zone.kind {
                    case .noFlyZone:
                        guard try prepared.intersects(leg.a, leg.b) else { continue }
                        let depth = try farthest(leg, from: boundary, in: prepared, inside: true)
                        findings.append(
                            Finding(
                                location: leg.location, rule: .noFlyZone, excess: depth, at: leg.ends,
                                message:
                                    "enters \(zone.id) by \(Figures.metres(depth)) "
                                    + "\(Figures.band(leg.lowAGL, leg.highAGL)) "
                                    + "(closed \(Figures.tenths(zone.floor))–\(Figures.tenths(zone.ceiling)) m AGL)"))
                    case .tower:
                        let distance = try zone.area.geometry.distance(to: .lineString(leg.line))
                        guard distance < horizontalClearance else { continue }
                        let top = zone.ceiling - verticalClearance
                        findings.append(
                            Finding(
                                location: leg.location, rule: .towerClearance, excess: horizontalClearance - distance,
                                at: leg.ends,
                                message: "passes \(Figures.metres(distance)) from \(zone.id), "
                                    + "\(Figures.metres(horizontalClearance - distance)) inside its "
                                    + "\(Figures.metres(horizontalClearance)) horizontal clearance, "
                                    + "\(Figures.band(leg.lowAGL, leg.highAGL)): "
                                    + "\(Figures.metres(zone.ceiling - leg.lowAGL)) "
                                    + "below the \(Figures.metres(zone.ceiling)) it must keep over it "
                                    + "(top \(Figures.metres(top)) + \(Figures.metres(verticalClearance)))"))
                    }
                }
            }
            return findings
        }

        /// The largest distance from `geometry` of the leg's points that lie inside (or outside) `prepared`.
        static func farthest(
            _ leg: Leg, from geometry: Geometry, in prepared: PreparedArea, inside: Bool
        ) throws(GeoError) -> Double {
            var worst = 0.0
            for p in leg.samples() where try prepared.covers(.point(p)) == inside {
                worst = max(worst, try geometry.distance(to: .point(p)))
            }
            return worst
        }
    }
}
