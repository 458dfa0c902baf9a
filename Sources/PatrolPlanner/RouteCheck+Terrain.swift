import PatrolGeo
import PatrolModel

extension RouteCheck {
    /// Metres a drone keeps above the ground along every horizontal leg, by default.
    public static let terrainClearance = 20.0

    /// The checks along each leg's profile over the ground: the maximum height above ground between
    /// the waypoints (a leg over a valley rises above the limit even when both ends are within it),
    /// and the minimum clearance above the ground (a leg across a ridge may cut into it).
    enum TerrainRules {
        /// Metres between the points where a leg's profile is sampled.
        static let step = 2.0

        /// - Parameters:
        ///   - legs: the route's legs, with their altitudes above the take-off point.
        ///   - groundOffset: the pad's height above the origin's ground, metres.
        ///   - rise: metres the ground rises at a point above the origin's ground.
        ///   - limit: the maximum height above ground, metres.
        ///   - clearance: the minimum height above ground on horizontal legs, metres.
        static func profile(
            _ legs: [Leg], groundOffset: Double, rise: (XY) -> Double, limit: Double, clearance: Double
        ) -> [Finding] {
            var findings: [Finding] = []
            for leg in legs where leg.horizontal >= 0.5 {
                let n = max(1, Int((leg.horizontal / step).rounded(.up)))
                var highest = (agl: -Double.infinity, t: 0.0, ground: 0.0)
                var lowest = (agl: Double.infinity, t: 0.0, ground: 0.0)
                for k in 0...n {
                    let t = Double(k) / Double(n)
                    let ground = rise(leg.a + (leg.b - leg.a) * t)
                    let agl = leg.startAltitude + (leg.endAltitude - leg.startAltitude) * t + groundOffset - ground
                    if agl > highest.agl { highest = (agl, t, ground) }
                    if agl < lowest.agl { lowest = (agl, t, ground) }
                }
                let along = { (t: Double) in Figures.metres(t * leg.horizontal) }
                // A waypoint above the limit is already a finding of its own.
                if highest.agl > limit + 1e-6, leg.startAGL <= limit, leg.endAGL <= limit {
                    findings.append(
                        Finding(
                            location: leg.location, rule: .maxAltitude, excess: highest.agl - limit, at: leg.ends,
                            message: "\(Figures.metres(highest.agl)) AGL \(along(highest.t)) along the leg, where "
                                + "the ground is \(Figures.metres(highest.ground)) above the site's ground level, is "
                                + "\(Figures.metres(highest.agl - limit)) above the \(Figures.metres(limit)) limit"))
                }
                if lowest.agl < clearance - 1e-6 {
                    findings.append(
                        Finding(
                            location: leg.location, rule: .terrainClearance, excess: clearance - lowest.agl,
                            at: leg.ends,
                            message: "passes \(Figures.metres(lowest.agl)) above the ground \(along(lowest.t)) along "
                                + "the leg, where the ground is \(Figures.metres(lowest.ground)) above the site's "
                                + "ground level: \(Figures.metres(clearance - lowest.agl)) less than the "
                                + "\(Figures.metres(clearance)) terrain clearance"))
                }
            }
            return findings
        }
    }
}
