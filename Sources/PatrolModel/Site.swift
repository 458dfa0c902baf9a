public import PatrolGeo

/// A georeferenced site: the community, its buildings, patrol areas, no-fly zones and the
/// places where vehicles live. Geometry is geographic (lon/lat); planners project it into
/// ``crs`` to work in metres.
///
/// Codable so that a flight's record can keep a snapshot of the site as flown; encode it with
/// a non-conforming float strategy, since a ``NoFlyZone/ceiling`` may be infinite.
public struct Site: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// The projected CRS in which the site is planned, for example `EPSG:4547`.
    public var crs: String
    /// The reference point of the site at ground level.
    public var origin: LonLat
    /// Ground elevation at the origin, metres above the geoid (orthometric).
    public var groundElevation: Double
    public var boundary: GeoPolygon
    public var towers: [Tower]
    public var areas: [PatrolArea]
    public var noFlyZones: [NoFlyZone]
    public var hives: [Hive]
    public var robotStations: [RobotStation]
    /// The ground robots' path graph (empty when the site has no `paths` layer).
    public var paths: [PathEdge] = []
    /// Ground heights over the site (orthometric, in ``crs`` metres); `nil` when the site has no
    /// `terrain` layer and its ground is taken as flat at ``groundElevation``.
    public var terrain: Terrain? = nil

    public init(
        id: String, name: String, crs: String, origin: LonLat, groundElevation: Double, boundary: GeoPolygon,
        towers: [Tower] = [], areas: [PatrolArea] = [], noFlyZones: [NoFlyZone] = [], hives: [Hive] = [],
        robotStations: [RobotStation] = []
    ) {
        self.id = id
        self.name = name
        self.crs = crs
        self.origin = origin
        self.groundElevation = groundElevation
        self.boundary = boundary
        self.towers = towers
        self.areas = areas
        self.noFlyZones = noFlyZones
        self.hives = hives
        self.robotStations = robotStations
    }

    /// The patrol area with `id`, if the site has one.
    public func area(_ id: String) -> PatrolArea? { areas.first { $0.id == id } }
    /// The polygon a mission's area reference points to, if it exists.
    public func polygon(of area: Mission.AreaReference) -> GeoPolygon? {
        switch area {
        case .site(let id): self.area(id)?.polygon
        case .inline(let polygon): polygon
        }
    }

    /// The hive with `id`, if the site has one.
    public func hive(_ id: String) -> Hive? { hives.first { $0.id == id } }
}

/// A building with its footprint and height above local ground.
public struct Tower: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var footprint: GeoPolygon
    /// Height above local ground, metres.
    public var height: Double

    public init(id: String, name: String, footprint: GeoPolygon, height: Double) {
        self.id = id
        self.name = name
        self.footprint = footprint
        self.height = height
    }
}

/// An area that patrols cover: the hill, a rooftop, a car park.
public struct PatrolArea: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// What sort of area it is (`hill`, `rooftop`, …): informational.
    public var kind: String
    public var polygon: GeoPolygon

    public init(id: String, name: String, kind: String, polygon: GeoPolygon) {
        self.id = id
        self.name = name
        self.kind = kind
        self.polygon = polygon
    }
}

/// Airspace no drone may enter between ``floor`` and ``ceiling`` metres above ground.
public struct NoFlyZone: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var reason: String
    public var polygon: GeoPolygon
    public var floor: Double
    public var ceiling: Double

    public init(
        id: String, name: String, reason: String, polygon: GeoPolygon, floor: Double = 0, ceiling: Double = .infinity
    ) {
        self.id = id
        self.name = name
        self.reason = reason
        self.polygon = polygon
        self.floor = floor
        self.ceiling = ceiling
    }
}

/// An automated drone dock: drones launch from and land on it, and charge inside.
public struct Hive: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var position: LonLat
    /// Height of the landing pad above the site's local ground, metres.
    public var groundElevation: Double

    public init(id: String, name: String, position: LonLat, groundElevation: Double = 0) {
        self.id = id
        self.name = name
        self.position = position
        self.groundElevation = groundElevation
    }
}

/// Where a ground robot docks and charges.
public struct RobotStation: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var position: LonLat

    public init(id: String, name: String, position: LonLat) {
        self.id = id
        self.name = name
        self.position = position
    }
}

extension Site {
    /// The site's local east-north-up frame: zero at ``origin`` on the ground, geographic heights
    /// orthometric (EGM96) like ``groundElevation``.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/missingGrid`` when no EGM96 geoid grid is
    ///   installed, or ``GeoError/Code/unknownCRS`` when PROJ rejects the frame.
    public func localFrame() throws(GeoError) -> LocalFrame {
        try LocalFrame(origin: origin, height: groundElevation, heights: .orthometric)
    }
}
