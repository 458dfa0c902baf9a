public import PatrolGeo

/// A planned flight path, in geographic coordinates for the device.
public struct Route: Hashable, Sendable, Codable {
    public var missionID: String
    public var waypoints: [Waypoint]
    /// Across-track ground footprint of the camera at survey altitude, metres.
    public var swathWidth: Double
    /// Distance between sweep lines, metres.
    public var lineSpacing: Double
    /// Distance between camera frames along a line, metres.
    public var triggerSpacing: Double
    /// Horizontal length of the whole route, metres.
    public var length: Double
    /// Expected flight time at the mission's speed, seconds.
    public var estimatedDuration: Double

    public init(
        missionID: String, waypoints: [Waypoint], swathWidth: Double, lineSpacing: Double, triggerSpacing: Double,
        length: Double, estimatedDuration: Double
    ) {
        self.missionID = missionID
        self.waypoints = waypoints
        self.swathWidth = swathWidth
        self.lineSpacing = lineSpacing
        self.triggerSpacing = triggerSpacing
        self.length = length
        self.estimatedDuration = estimatedDuration
    }
}

/// One point of a route.
public struct Waypoint: Hashable, Sendable, Codable {
    /// What the vehicle does on the leg that ends at this waypoint.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Climb vertically from the hive's pad to this waypoint's altitude (the first waypoint).
        case takeoff
        /// Fly here with the camera not recording: to and from the area, and turns between lines.
        case transit
        /// Fly here along a sweep line with the camera recording.
        case survey
        /// Descend vertically onto the hive's pad (the last waypoint).
        case land
    }

    public var position: LonLat
    /// Metres above the hive's ground level (the take-off point).
    public var altitude: Double
    public var kind: Kind
    /// Ground speed on the leg that ends here, metres per second.
    public var speed: Double
    /// Metres above the ground below the waypoint (the site's terrain model, or flat ground at the
    /// site's ground level without one); `nil` when the route was not planned over a site (imported).
    public var heightAGL: Double?
    /// Orthometric height: metres above mean sea level (the EGM96 geoid), as the site's ground
    /// elevation is given. Not ellipsoidal: a GNSS (WGS 84 ellipsoidal) height differs by the geoid
    /// undulation (about −2.7 m at Mumianling); convert with `Transformer` and `HeightReference`.
    /// `nil` when the route was not planned over a site.
    public var heightAMSL: Double?

    public init(
        position: LonLat, altitude: Double, kind: Kind, speed: Double, heightAGL: Double? = nil,
        heightAMSL: Double? = nil
    ) {
        self.position = position
        self.altitude = altitude
        self.kind = kind
        self.speed = speed
        self.heightAGL = heightAGL
        self.heightAMSL = heightAMSL
    }
}
