import PatrolGeo
public import PatrolModel

/// Plans a ground robot's round: from its station over every checkpoint and back, on the site's
/// path graph (walkways, doors, lifts and ramps with their extra costs).
///
/// Travel times between the station and the checkpoints come from Dijkstra's shortest paths; the
/// visiting order is built by nearest neighbour and improved by 2-opt until no exchange of two
/// legs helps. Robots are not checked against airspace rules, only against the geofence and
/// their endurance (`limits.endurance_min`).
public enum RobotRoundPlanner {
    /// Storey height used for a path level's altitude in the route, metres (level −1 is at −4 m).
    public static let storeyHeight = 4.0

    /// Plans the round for `mission` over `site`.
    ///
    /// - Throws: ``PlanError`` when the mission is not a robot round, the site has no such
    ///   station or node, a checkpoint cannot be reached, or the round breaks the geofence or the endurance.
    public static func plan(_ mission: Mission, site: Site) throws(PlanError) -> CoveragePlan {
        guard case .robotRound(let spec) = mission.kind else {
            throw PlanError(.unknownReference, "not a robot round", mission: mission.id)
        }
        return try PlanError.mapping(mission: mission.id) {
            let frame = try SiteFrame(crs: site.crs)
            let graph = try PathGraph(site: site, frame: frame, speed: mission.speed)
            let (stops, trees, cost, order) = try tour(spec, graph: graph, mission: mission.id)

            var points: [(XY, Int, Waypoint.Kind)] = []
            var legs: [LineString] = []
            var doors = 0
            var lifts = 0
            var seconds = 0.0
            guard let home = site.robotStations.first(where: { $0.id == spec.station }) else {
                throw PlanError(
                    .unknownReference, "the site has no robot station `\(spec.station)`", mission: mission.id)
            }
            points.append((try frame.project(home.position), graph.levels[stops[0]], .takeoff))
            for (a, b) in zip(order, order.dropFirst() + [0]) {
                let walk = graph.walk(to: stops[b], via: trees[a].via)
                seconds += cost[a][b]
                legs.append(LineString(walk.points))
                for edge in walk.edges {
                    if graph.edges[edge].kind == .door { doors += 1 }
                    if graph.edges[edge].kind == .lift { lifts += 1 }
                }
                for (i, p) in walk.points.enumerated().dropFirst() {
                    let last = i == walk.points.count - 1
                    points.append((p, walk.levels[i], last ? (b == 0 ? .land : .survey) : .transit))
                }
            }
            if points.count == 1 { points.append((points[0].0, points[0].1, .land)) }
            let xy = points.map(\.0)
            let geo = try frame.unproject(xy)
            let waypoints = geo.indices.map {
                Waypoint(
                    position: geo[$0], altitude: Double(points[$0].1) * storeyHeight, kind: points[$0].2,
                    speed: mission.speed)
            }
            let length = legs.reduce(0) { $0 + $1.length }
            let route = Route(
                missionID: mission.id, waypoints: waypoints, swathWidth: 0, lineSpacing: 0, triggerSpacing: 0,
                length: length, estimatedDuration: seconds)
            let boundary = try frame.project(site.boundary)
            let names = (order + [0]).map { graph.nodes[stops[$0]] }
            var plan = CoveragePlan(
                route: route, waypointsXY: xy, area: boundary, targetArea: MultiPolygon(boundary),
                flyableArea: MultiPolygon(boundary), sweepLines: legs, sweepBearing: 0,
                footprint: CameraFootprint(altitude: 1, horizontalFOVDegrees: 70, verticalFOVDegrees: 55), findings: [])
            plan.notes = [
                "order: " + names.joined(separator: " → "),
                "\(doors) door(s), \(lifts) lift ride(s); \(Int(seconds.rounded())) s including their waits",
            ]
            plan.findings = try RouteCheck.checkGround(route: route, xy: xy, mission: mission, site: site, frame: frame)
            if !plan.findings.isEmpty { throw PlanError(unsafe: plan.findings, mission: mission.id) }
            return plan
        }
    }

    /// The round's stops (station first) as graph nodes, the shortest-path tree from each, the
    /// travel times between them and the visiting order (indices into the stops, station first).
    static func tour(_ spec: RobotRoundSpec, graph: PathGraph, mission: String) throws(PlanError) -> (
        stops: [Int], trees: [(cost: [Double], via: [PathGraph.Arc?])], cost: [[Double]], order: [Int]
    ) {
        var stops: [Int] = []
        for id in [spec.station] + spec.checkpoints {
            guard let node = graph.index[id] else {
                throw PlanError(.unknownReference, "the path graph has no node `\(id)`", mission: mission)
            }
            if !stops.contains(node) { stops.append(node) }
        }
        let trees = stops.map { graph.shortestPaths(from: $0) }
        let cost = stops.indices.map { i in stops.map { trees[i].cost[$0] } }
        if let far = stops.indices.first(where: { cost[0][$0] == .infinity }) {
            throw PlanError(
                .unsafe, "checkpoint `\(graph.nodes[stops[far]])` cannot be reached from `\(spec.station)`",
                mission: mission)
        }
        let order = twoOpt(nearestNeighbour(cost), cost)
        return (stops, trees, cost, order)
    }

    /// A closed tour from stop 0: always on to the nearest stop not yet visited.
    static func nearestNeighbour(_ cost: [[Double]]) -> [Int] {
        var tour = [0]
        var left = Set(cost.indices.dropFirst())
        while let next = left.min(by: { (cost[tour.last!][$0], $0) < (cost[tour.last!][$1], $1) }) {
            tour.append(next)
            left.remove(next)
        }
        return tour
    }

    /// The tour improved by 2-opt: reverse a stretch whenever that shortens the closed tour,
    /// until no reversal helps. Stop 0 (the station) stays first.
    static func twoOpt(_ tour: [Int], _ cost: [[Double]]) -> [Int] {
        var tour = tour
        let n = tour.count
        guard n > 3 else { return tour }
        var improved = true
        while improved {
            improved = false
            for i in 1..<(n - 1) {
                for j in (i + 1)..<n {
                    let before = tour[i - 1]
                    let after = tour[(j + 1) % n]
                    let delta =
                        cost[before][tour[j]] + cost[tour[i]][after] - cost[before][tour[i]] - cost[tour[j]][after]
                    if delta < -1e-9 {
                        tour[i...j].reverse()
                        improved = true
                    }
                }
            }
        }
        return tour
    }
}
