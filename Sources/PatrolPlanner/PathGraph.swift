import PatrolGeo
import PatrolModel

/// A site's robot path graph in site metres, with travel times as edge costs.
struct PathGraph {
    struct Arc {
        var to: Int
        /// Seconds: the edge's length at the robot's speed plus its extra cost (door, lift).
        var cost: Double
        var edge: Int
        /// Whether the arc runs along the edge's line (from `from` to `to`).
        var forward: Bool
    }

    var nodes: [String]
    var index: [String: Int]
    var arcs: [[Arc]]
    var edges: [PathEdge]
    /// Each edge's line in site metres.
    var lines: [[XY]]
    /// Each node's floor level.
    var levels: [Int]

    init(site: Site, frame: SiteFrame, speed: Double) throws(GeoError) {
        nodes = site.pathNodes
        index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
        arcs = Array(repeating: [], count: nodes.count)
        levels = Array(repeating: 0, count: nodes.count)
        edges = site.paths
        lines = []
        for (k, edge) in site.paths.enumerated() {
            let line = try frame.project(edge.line)
            lines.append(line)
            let cost = LineString(line).length / speed + edge.cost
            let a = index[edge.from]!
            let b = index[edge.to]!
            levels[a] = edge.fromLevel
            levels[b] = edge.toLevel
            arcs[a].append(Arc(to: b, cost: cost, edge: k, forward: true))
            arcs[b].append(Arc(to: a, cost: cost, edge: k, forward: false))
        }
    }

    /// Shortest travel times from `source` to every node (Dijkstra), and the arc that reaches each.
    func shortestPaths(from source: Int) -> (cost: [Double], via: [Arc?]) {
        var cost = [Double](repeating: .infinity, count: nodes.count)
        var via = [Arc?](repeating: nil, count: nodes.count)
        var done = [Bool](repeating: false, count: nodes.count)
        cost[source] = 0
        while let current = nodes.indices.filter({ !done[$0] && cost[$0] < .infinity }).min(by: { cost[$0] < cost[$1] })
        {
            done[current] = true
            for arc in arcs[current] where cost[current] + arc.cost < cost[arc.to] {
                cost[arc.to] = cost[current] + arc.cost
                // Remember where the arc came from by storing the reverse arc.
                via[arc.to] = Arc(to: current, cost: arc.cost, edge: arc.edge, forward: arc.forward)
            }
        }
        return (cost, via)
    }

    /// The points and the edges walked from `source` to `target`, given `via` from ``shortestPaths(from:)``.
    func walk(to target: Int, via: [Arc?]) -> (points: [XY], levels: [Int], edges: [Int]) {
        var steps: [Arc] = []
        var node = target
        while let arc = via[node] {
            steps.append(arc)
            node = arc.to
        }
        var points: [XY] = []
        var pointLevels: [Int] = []
        var edgeIDs: [Int] = []
        for arc in steps.reversed() {
            let line = arc.forward ? lines[arc.edge] : lines[arc.edge].reversed()
            let edge = edges[arc.edge]
            let (start, end) = arc.forward ? (edge.fromLevel, edge.toLevel) : (edge.toLevel, edge.fromLevel)
            for (i, p) in line.enumerated() where !(i == 0 && !points.isEmpty) {
                points.append(p)
                pointLevels.append(i == line.count - 1 ? end : start)
            }
            edgeIDs.append(arc.edge)
        }
        return (points, pointLevels, edgeIDs)
    }
}
