public import Foundation
public import PatrolGeo

/// One checkpoint of a ground robot's round: a node of the site's path graph that the round's
/// route visits (a `survey` waypoint), and when the robot was there, if it was.
public struct RoundCheckpoint: Hashable, Sendable, Codable {
    /// The path graph node's id, e.g. `b1-pump-room`.
    public var name: String
    /// The index of its waypoint in the uploaded route.
    public var waypointIndex: Int
    public var position: LonLat
    /// Floor level (0 ground, −1 first basement).
    public var level: Int
    /// When the robot's telemetry first put it there; `nil` while (or if) it has not been.
    public var reachedAt: Date?

    public init(name: String, waypointIndex: Int, position: LonLat, level: Int, reachedAt: Date? = nil) {
        self.name = name
        self.waypointIndex = waypointIndex
        self.position = position
        self.level = level
        self.reachedAt = reachedAt
    }

    /// Metres within which a telemetry position counts as being at a checkpoint.
    public static let reachRadius = 2.5

    /// The checkpoints of a robot round's route: each `survey` waypoint, named by the path graph
    /// node at its place (within a metre, on its level), in route order.
    ///
    /// - Parameters:
    ///   - route: a route planned by the robot round planner (levels as altitudes of `storeyHeight` m).
    ///   - site: the site whose path graph the route was planned on.
    public static func of(route: Route, site: Site, storeyHeight: Double = 4) -> [RoundCheckpoint] {
        var nodes: [(id: String, at: LonLat, level: Int)] = []
        for edge in site.paths {
            if let first = edge.line.first { nodes.append((edge.from, first, edge.fromLevel)) }
            if let last = edge.line.last { nodes.append((edge.to, last, edge.toLevel)) }
        }
        return route.waypoints.enumerated().compactMap { index, waypoint in
            guard waypoint.kind == .survey else { return nil }
            let level = Int((waypoint.altitude / storeyHeight).rounded())
            let near = nodes.filter { $0.level == level }.min {
                distance($0.at, waypoint.position) < distance($1.at, waypoint.position)
            }
            let name =
                near.flatMap { distance($0.at, waypoint.position) <= 1 ? $0.id : nil } ?? "waypoint-\(index)"
            return RoundCheckpoint(name: name, waypointIndex: index, position: waypoint.position, level: level)
        }
    }

    /// Metres between two nearby positions (equirectangular, ample at a site's scale).
    public static func distance(_ a: LonLat, _ b: LonLat) -> Double {
        let metresPerDegree = 111_320.0
        let dx = (a.lon - b.lon) * metresPerDegree * cos((a.lat + b.lat) / 2 * .pi / 180)
        let dy = (a.lat - b.lat) * metresPerDegree
        return (dx * dx + dy * dy).squareRoot()
    }
}
