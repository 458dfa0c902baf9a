import PatrolGeo
import PatrolModel

/// The simulated robot's own map of the site's path graph, in site metres: which edge a leg of
/// its route runs along (for the wait at a door or a lift), and the shortest way around a
/// blocked edge. A real robot carries such a map; it needs nothing from the coordinator.
struct RobotMap {
    struct Edge {
        var id: String
        var from: Int
        var to: Int
        var kind: PathEdge.Kind
        var line: [XY]
        var cost: Double
        var fromLevel: Int
        var toLevel: Int
        var length: Double
    }

    /// One step of a way found on the map: walk to `point` on `level`, along `edge`.
    struct Step {
        var point: XY
        var level: Int
        var edge: Int
    }

    var nodes: [String] = []
    var positions: [XY] = []
    var levels: [Int] = []
    var edges: [Edge] = []
    var speed: Double

    init(site: Site, frame: SiteFrame, speed: Double) throws(GeoError) {
        self.speed = speed
        var index: [String: Int] = [:]
        func node(_ id: String, _ at: XY, _ level: Int) -> Int {
            if let i = index[id] { return i }
            index[id] = nodes.count
            nodes.append(id)
            positions.append(at)
            levels.append(level)
            return nodes.count - 1
        }
        for edge in site.paths {
            let line = try frame.project(edge.line)
            guard let first = line.first, let last = line.last else { continue }
            let a = node(edge.from, first, edge.fromLevel)
            let b = node(edge.to, last, edge.toLevel)
            let length = zip(line, line.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            edges.append(
                Edge(
                    id: edge.id, from: a, to: b, kind: edge.kind, line: line, cost: edge.cost,
                    fromLevel: edge.fromLevel, toLevel: edge.toLevel, length: length))
        }
    }

    /// The node within `tolerance` metres of `point` on `level`, if any.
    func node(at point: XY, level: Int, tolerance: Double = 1) -> Int? {
        positions.indices.filter { levels[$0] == level && positions[$0].distance(to: point) <= tolerance }
            .min { positions[$0].distance(to: point) < positions[$1].distance(to: point) }
    }

    /// The edge whose ends are (within a metre) the two points, in either direction.
    func edge(from a: XY, _ levelA: Int, to b: XY, _ levelB: Int) -> Int? {
        guard let na = node(at: a, level: levelA), let nb = node(at: b, level: levelB) else { return nil }
        return edges.indices.first {
            (edges[$0].from == na && edges[$0].to == nb) || (edges[$0].from == nb && edges[$0].to == na)
        }
    }

    /// Seconds to walk `edge` at the robot's speed plus its wait (door, lift, ramp).
    func time(_ edge: Int) -> Double { edges[edge].length / speed + edges[edge].cost }

    /// The quickest way from node `source` to node `target` avoiding `blocked` edges (Dijkstra),
    /// as the points to walk after `source`; `nil` when there is none.
    func way(from source: Int, to target: Int, avoiding blocked: Set<Int>) -> [Step]? {
        var cost = [Double](repeating: .infinity, count: nodes.count)
        var via = [Int?](repeating: nil, count: nodes.count)
        var done = [Bool](repeating: false, count: nodes.count)
        cost[source] = 0
        while let current = nodes.indices.filter({ !done[$0] && cost[$0] < .infinity }).min(by: {
            (cost[$0], $0) < (cost[$1], $1)
        }) {
            done[current] = true
            if current == target { break }
            for (k, edge) in edges.enumerated()
            where !blocked.contains(k) && (edge.from == current || edge.to == current) {
                let next = edge.from == current ? edge.to : edge.from
                if cost[current] + time(k) < cost[next] {
                    cost[next] = cost[current] + time(k)
                    via[next] = k
                }
            }
        }
        guard cost[target] < .infinity else { return nil }
        var steps: [Step] = []
        var node = target
        while node != source, let k = via[node] {
            let edge = edges[k]
            let forward = edge.to == node
            let line = forward ? edge.line : edge.line.reversed()
            let level = forward ? edge.toLevel : edge.fromLevel
            let start = forward ? edge.fromLevel : edge.toLevel
            // The edge's inner points then its end, walked backwards here and reversed below.
            for (i, p) in line.enumerated().dropFirst().reversed() {
                steps.append(Step(point: p, level: i == line.count - 1 ? level : start, edge: k))
            }
            node = forward ? edge.from : edge.to
        }
        return steps.reversed()
    }
}
