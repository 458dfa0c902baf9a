public import PatrolGeo

/// One edge of a site's ground-robot path graph: a walkway, a door, a lift or a ramp between two
/// named nodes.
public struct PathEdge: Hashable, Sendable, Codable {
    /// What the robot passes on this edge.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case path, door, lift, ramp
    }

    public var id: String
    /// The node at the line's first position.
    public var from: String
    /// The node at the line's last position.
    public var to: String
    public var kind: Kind
    /// The edge's line, from `from` to `to`.
    public var line: [LonLat]
    /// Seconds added to the travel time (opening a door, waiting for a lift).
    public var cost: Double
    /// Floor level of `from` and of `to` (0 = ground, -1 = first basement).
    public var fromLevel: Int
    public var toLevel: Int
    /// Whether two robots cannot pass each other on this edge (a single-lane corridor, a door, a
    /// lift): the scheduler lets only one robot's round use it at a time.
    public var narrow: Bool

    /// Width under which an edge counts as narrow, metres (two robots side by side with clearance).
    public static let passingWidth = 1.6

    public init(
        id: String, from: String, to: String, kind: Kind, line: [LonLat], cost: Double = 0, fromLevel: Int = 0,
        toLevel: Int = 0, narrow: Bool = false
    ) {
        self.narrow = narrow
        self.id = id
        self.from = from
        self.to = to
        self.kind = kind
        self.line = line
        self.cost = cost
        self.fromLevel = fromLevel
        self.toLevel = toLevel
    }
}

extension Site {
    /// The ids of the path graph's nodes, sorted.
    public var pathNodes: [String] { Array(Set(paths.flatMap { [$0.from, $0.to] })).sorted() }
}
