public import PatrolGeo

/// A patrol definition: what to cover, with which vehicle and sensor settings.
public struct Mission: Hashable, Sendable, Codable {
    /// What the patrol does.
    public enum Kind: Hashable, Sendable, Codable {
        /// Sweep an area with the camera.
        case areaCoverage(area: AreaReference)
        /// Parallel passes along a line or a boundary, so the camera sees a band of given width.
        case corridor(CorridorSpec)
        /// Rings around a tower at several altitudes, at a stand-off distance.
        case facade(FacadeSpec)
        /// A ground robot's round over checkpoints on the site's path graph.
        case robotRound(RobotRoundSpec)
    }

    /// The area a patrol covers: one of the site's, or drawn in the mission file itself.
    public enum AreaReference: Hashable, Sendable, Codable {
        /// The patrol area with this id in the site's areas layer.
        case site(String)
        /// A polygon given in the mission file.
        case inline(GeoPolygon)
    }

    public var id: String
    public var name: String
    public var kind: Kind
    /// The hive the drone launches from and returns to (for a robot round, the robot station).
    public var hive: String
    /// Survey altitude above the hive's ground level, metres.
    public var altitude: Double
    /// Altitude for flying to and from the area, metres above the hive's ground level.
    public var transitAltitude: Double
    /// Cruise ground speed, metres per second.
    public var speed: Double
    public var camera: CameraSpec
    /// The classes the camera's recognition looks for.
    public var detect: [DetectionClass]
    /// The longest any part of the area may go unseen, seconds; `nil` for the daily report's
    /// default (3 hours).
    public var maximumStaleness: Double?
    /// What the route is validated against.
    public var limits: FlightLimits
    /// When the patrol is flown (the file's `schedule:` block), if it is scheduled at all.
    public var schedule: PatrolSchedule?

    public init(
        id: String, name: String, kind: Kind, hive: String, altitude: Double, transitAltitude: Double, speed: Double,
        camera: CameraSpec, detect: [DetectionClass], maximumStaleness: Double? = nil,
        limits: FlightLimits = FlightLimits(), schedule: PatrolSchedule? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.hive = hive
        self.altitude = altitude
        self.transitAltitude = transitAltitude
        self.speed = speed
        self.camera = camera
        self.detect = detect
        self.maximumStaleness = maximumStaleness
        self.limits = limits
        self.schedule = schedule
    }
}

/// A nadir camera's optics and the overlaps a survey asks of it.
public struct CameraSpec: Hashable, Sendable, Codable {
    /// Field of view across the track, degrees.
    public var horizontalFOV: Double
    /// Field of view along the track, degrees.
    public var verticalFOV: Double
    /// Overlap between neighbouring sweep lines, 0 to below 1.
    public var sideOverlap: Double
    /// Overlap between consecutive frames, 0 to below 1.
    public var frontOverlap: Double

    public init(horizontalFOV: Double, verticalFOV: Double, sideOverlap: Double, frontOverlap: Double) {
        self.horizontalFOV = horizontalFOV
        self.verticalFOV = verticalFOV
        self.sideOverlap = sideOverlap
        self.frontOverlap = frontOverlap
    }
}

/// What a detector can report.
public enum DetectionClass: String, Hashable, Sendable, Codable, CaseIterable {
    case smoke, fire, gas
    case personFallen = "person_fallen"
    case garbage
    /// Clutter blocking a corridor or a fire escape.
    case corridorClutter = "corridor_clutter"
    /// A vehicle parked where it must not be (fire lanes, pavements).
    case illegalParking = "illegal_parking"
    /// An object thrown or fallen from height.
    case objectThrown = "object_thrown"
    /// A fault that equipment reports or that is seen (a lift, a pump, a fan).
    case equipmentFault = "equipment_fault"
}
