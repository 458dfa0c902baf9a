public import PatrolGeo

/// Shortest polyline paths between two points that keep out of obstacles or inside an area,
/// found on a visibility graph (the classic exact method for polygonal obstacles).
///
/// Nodes are the start, the goal and the corners of the polygons; an edge joins two nodes
/// when the segment between them is clear. Edges are tested lazily while Dijkstra runs, so a
/// direct, clear leg costs a single test.
public struct PathFinder {
    /// The polygons' corners, the candidate turning points.
    let corners: [XY]
    let isClear: (XY, XY) throws(GeoError) -> Bool

    /// Paths that stay inside `area`; turning points are the corners of `area` shrunk by `inset`.
    public static func inside(_ area: MultiPolygon, inset: Double = 0.5) throws(GeoError) -> PathFinder {
        let prepared = try PreparedArea(area)
        let corners = try area.buffered(by: -inset).polygons.flatMap(Self.corners)
        return PathFinder(corners: corners) { (a, b) throws(GeoError) in try prepared.covers(a, b) }
    }

    /// Paths that stay inside `area`, turning at the corners of `corners` shrunk by `inset`: a
    /// simpler shape inside `area` with fewer corners, so that fewer segments are tested.
    public static func inside(_ area: MultiPolygon, corners: MultiPolygon, inset: Double = 0.5) throws(GeoError)
        -> PathFinder
    {
        let prepared = try PreparedArea(area)
        let turning = try corners.buffered(by: -inset).polygons.flatMap(Self.corners)
        return PathFinder(corners: turning) { (a, b) throws(GeoError) in try prepared.covers(a, b) }
    }

    /// Paths that keep out of `obstacles`; turning points are the corners of the obstacles
    /// grown by `margin`.
    public static func avoiding(_ obstacles: MultiPolygon, margin: Double = 1) throws(GeoError) -> PathFinder {
        let prepared = try PreparedArea(obstacles)
        let grown = try obstacles.geometry.buffered(by: margin, quadrantSegments: 2)
        return PathFinder(corners: grown.polygons.flatMap(Self.corners)) { (a, b) throws(GeoError) in
            !(try prepared.intersects(a, b))
        }
    }

    private static func corners(_ polygon: Polygon) -> [XY] {
        (([polygon.exterior] + polygon.holes).flatMap { $0.dropLast() })
    }

    /// The shortest clear path from `start` to `goal`, both ends included, or `nil` when none exists.
    public func path(from start: XY, to goal: XY) throws(GeoError) -> [XY]? {
        if try isClear(start, goal) { return [start, goal] }
        let nodes = [start, goal] + corners
        var distance = [Double](repeating: .infinity, count: nodes.count)
        var previous = [Int](repeating: -1, count: nodes.count)
        var done = [Bool](repeating: false, count: nodes.count)
        distance[0] = 0
        while true {
            var current = -1
            for i in nodes.indices
            where !done[i] && distance[i] < .infinity && (current < 0 || distance[i] < distance[current]) {
                current = i
            }
            guard current >= 0 else { return nil }
            if current == 1 { break }
            done[current] = true
            for next in nodes.indices where !done[next] && next != current {
                let candidate = distance[current] + nodes[current].distance(to: nodes[next])
                guard candidate < distance[next] else { continue }
                if try isClear(nodes[current], nodes[next]) {
                    distance[next] = candidate
                    previous[next] = current
                }
            }
        }
        var path: [XY] = []
        var node = 1
        while node >= 0 {
            path.append(nodes[node])
            node = previous[node]
        }
        return path.reversed()
    }
}
