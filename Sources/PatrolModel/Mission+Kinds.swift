public import PatrolGeo

/// A corridor or perimeter patrol: parallel passes along a line or a closed boundary.
public struct CorridorSpec: Hashable, Sendable, Codable {
    /// What the corridor follows.
    public enum Centreline: Hashable, Sendable, Codable {
        /// A closed ring (the site fence, an area's edge), first position repeated last.
        case ring([LonLat])
        /// An open line (a road).
        case line([LonLat])
    }

    /// The line or ring the corridor follows.
    public var centreline: Centreline
    /// Where the centreline came from, for messages (`boundary`, `area hill`, `roads.geojson road-1`).
    public var source: String
    /// Width of the band the camera must see, metres.
    public var width: Double
    /// Distance from the centreline to the middle of the band, metres: outward of a ring, to the
    /// left of a line's direction; negative for inward or right.
    public var offset: Double

    public init(centreline: Centreline, source: String, width: Double, offset: Double) {
        self.centreline = centreline
        self.source = source
        self.width = width
        self.offset = offset
    }
}

/// A facade (structure) orbit: rings around one tower at several altitudes.
public struct FacadeSpec: Hashable, Sendable, Codable {
    /// The tower's id in the site's towers layer.
    public var tower: String
    /// Horizontal distance kept from the tower's footprint, metres.
    public var standoff: Double
    /// Orbit altitudes above the hive's ground level, metres, lowest first.
    public var altitudes: [Double]

    public init(tower: String, standoff: Double, altitudes: [Double]) {
        self.tower = tower
        self.standoff = standoff
        self.altitudes = altitudes
    }
}

/// A ground robot's round: checkpoints visited on the site's path graph, from and back to its station.
public struct RobotRoundSpec: Hashable, Sendable, Codable {
    /// The robot station the round starts and ends at.
    public var station: String
    /// Node ids of the path graph to visit, in any order.
    public var checkpoints: [String]
    /// What the robot driving the round must carry (`sensors:`; default: a camera).
    public var sensors: Set<RobotSensor>
    /// Other robot stations whose robots may drive the round when no robot of ``station`` can
    /// (`other_stations:`, in order of preference; default none). Such a robot drives it from its
    /// own station, on a route planned from there.
    public var otherStations: [String]

    public init(
        station: String, checkpoints: [String], sensors: Set<RobotSensor> = [.camera], otherStations: [String] = []
    ) {
        self.sensors = sensors
        self.station = station
        self.checkpoints = checkpoints
        self.otherStations = otherStations
    }

    /// The same round driven from `station`: its checkpoints and sensors, planned from there.
    public func from(station other: String) -> RobotRoundSpec {
        var spec = self
        spec.station = other
        return spec
    }

    enum CodingKeys: String, CodingKey {
        case station, checkpoints, sensors, otherStations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        station = try c.decode(String.self, forKey: .station)
        checkpoints = try c.decode([String].self, forKey: .checkpoints)
        sensors = try c.decode(Set<RobotSensor>.self, forKey: .sensors)
        // Requests kept before `other_stations` existed have none.
        otherStations = try c.decodeIfPresent([String].self, forKey: .otherStations) ?? []
    }
}
