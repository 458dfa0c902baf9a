/// The limits a route is validated against: geofence margin, maximum altitude, endurance with
/// reserve, and climb, descent and turn rates.
///
/// The defaults suit a small dock-based quadcopter flying under China's 120 m rule. The
/// endurance figure is a conservative stand-in (25 min, 20 % reserve) until the fleet model
/// gives each vehicle its own battery; a mission may state its own in `limits:`.
public struct FlightLimits: Hashable, Sendable, Codable {
    /// Highest altitude above local ground, metres (120 m AGL by default).
    public var maxAltitudeAGL: Double
    /// How far beyond the site boundary and the patrol areas a route may go, metres.
    public var geofenceMargin: Double
    /// Flight time a full battery gives, seconds.
    public var endurance: Double
    /// Fraction of ``endurance`` that must be left on landing, 0 to below 1.
    public var reserve: Double
    /// Fastest climb on any leg, metres per second.
    public var maxClimbRate: Double
    /// Fastest descent on any leg, metres per second.
    public var maxDescentRate: Double
    /// Largest change of heading at a waypoint, degrees (180: the vehicle may stop and turn back).
    public var maxTurn: Double

    /// The default limits.
    public init(
        maxAltitudeAGL: Double = 120, geofenceMargin: Double = 30, endurance: Double = 25 * 60, reserve: Double = 0.2,
        maxClimbRate: Double = 5, maxDescentRate: Double = 3, maxTurn: Double = 180
    ) {
        self.maxAltitudeAGL = maxAltitudeAGL
        self.geofenceMargin = geofenceMargin
        self.endurance = endurance
        self.reserve = reserve
        self.maxClimbRate = maxClimbRate
        self.maxDescentRate = maxDescentRate
        self.maxTurn = maxTurn
    }

    /// Flight time that may be planned: ``endurance`` less the reserve, seconds.
    public var usableEndurance: Double { endurance * (1 - reserve) }
}
