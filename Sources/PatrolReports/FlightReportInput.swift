public import PatrolGeo
public import PatrolModel

/// Everything a flight report is made from, as plain values.
///
/// Geometry stays geographic (lon/lat) as the model holds it, except ``plannedArea``, which the
/// planner already has in site metres; the report projects the rest into the site's CRS itself.
public struct FlightReportInput: Hashable, Sendable {
    /// The site flown over; its ``Site/crs`` is the frame of the map and of all measurements.
    public var site: Site
    /// The mission flown: camera, altitude and the hive whose pad height sets the ground level.
    public var mission: Mission
    /// The flight, with the route it was given.
    public var flight: Flight
    /// The flight's telemetry; sorted by time before use.
    public var telemetry: [Telemetry]
    /// The detections the flight reported.
    public var detections: [Detection]
    /// The alerts raised from this flight's detections.
    public var alerts: [Alert]
    /// The area the flight was meant to cover, site metres.
    public var plannedArea: MultiPolygon
    /// Unseen patches smaller than this many square metres are not reported as gaps.
    public var minimumGapArea: Double
    /// How cells are scored by their probability of detecting smoke.
    public var detectionModel: DetectionModel = .standard
    /// The weather station of the flight's hive: the last reading before take-off, if any, then
    /// those during the flight, in time order. Empty when the hive sent no status.
    public var hiveWeather: [HiveWeather] = []
    /// The device's link losses and resumptions recorded during the flight, in time order.
    public var linkEvents: [LinkEvent] = []

    /// Collects a report's inputs.
    ///
    /// - Parameters:
    ///   - site: the site flown over.
    ///   - mission: the mission flown.
    ///   - flight: the flight, with its route.
    ///   - telemetry: the flight's telemetry, in any order.
    ///   - detections: the flight's detections.
    ///   - alerts: the alerts raised during the flight.
    ///   - plannedArea: the area to cover, in site metres.
    ///   - minimumGapArea: the smallest gap to report, square metres.
    public init(
        site: Site, mission: Mission, flight: Flight, telemetry: [Telemetry], detections: [Detection] = [],
        alerts: [Alert] = [], plannedArea: MultiPolygon, minimumGapArea: Double = 25
    ) {
        self.site = site
        self.mission = mission
        self.flight = flight
        self.telemetry = telemetry
        self.detections = detections
        self.alerts = alerts
        self.plannedArea = plannedArea
        self.minimumGapArea = minimumGapArea
    }

    /// Height of the take-off pad above the site's ground, metres: added to telemetry altitudes
    /// (which are above the take-off point) to get the camera's height above flat ground.
    public var groundOffset: Double { site.hive(mission.hive)?.groundElevation ?? 0 }
}
