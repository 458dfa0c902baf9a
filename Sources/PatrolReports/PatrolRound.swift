public import Foundation
public import PatrolGeo
import PatrolModel

/// One pass of one device over the site, as the daily report sees it: the ground it viewed,
/// when. Drone flights are rounds today; ground robots' rounds and fixed cameras can join later
/// by producing the same views (a robot's camera footprint along its path, at each checkpoint).
public struct PatrolRound: Hashable, Sendable, Codable {
    /// What kind of device made the round.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A drone flight: views are camera footprints of the surveying telemetry samples.
        case droneFlight = "drone_flight"
        /// A ground robot's inspection round: views are its camera's footprints along its path (``RoundReport/patrolRound(_:range:halfAngle:)``).
        case robotRound = "robot_round"
    }

    /// One view of the ground: a convex footprint, site metres, seen at `time`.
    public struct View: Hashable, Sendable, Codable {
        public var time: Date
        /// The corners of a convex polygon, in either winding, the first not repeated.
        public var corners: [XY]

        public init(time: Date, corners: [XY]) {
            self.time = time
            self.corners = corners
        }
    }

    /// The flight or round id.
    public var id: String
    public var kind: Kind
    /// The device that made the round.
    public var device: String
    /// The mission (or robot route) it flew.
    public var missionID: String
    /// When the round started and ended, if known.
    public var start: Date?
    public var end: Date?
    /// What it saw of the ground, in any order.
    public var views: [View]

    /// A round from its parts; see ``drone(_:)`` for a drone flight.
    public init(
        id: String, kind: Kind, device: String, missionID: String, start: Date?, end: Date?, views: [View]
    ) {
        self.id = id
        self.kind = kind
        self.device = device
        self.missionID = missionID
        self.start = start
        self.end = end
        self.views = views
    }

    /// A drone flight as a round: one view per telemetry sample in which the camera recorded,
    /// the nadir footprint over flat ground as ``Coverage`` computes it.
    ///
    /// - Throws: ``GeoError`` when a position cannot be projected into the site's CRS.
    public static func drone(_ input: FlightReportInput) throws(GeoError) -> PatrolRound {
        let frame = try SiteFrame(crs: input.site.crs)
        let projected = try ProjectedFlight(input, frame: frame)
        let views = projected.samples.compactMap { sample -> View? in
            guard sample.isRecording, sample.heightAboveGround > 0, sample.heightAboveGround.isFinite,
                sample.position.x.isFinite, sample.position.y.isFinite, sample.heading.isFinite
            else { return nil }
            let footprint = CameraFootprint(
                altitude: sample.heightAboveGround, horizontalFOVDegrees: input.mission.camera.horizontalFOV,
                verticalFOVDegrees: input.mission.camera.verticalFOV)
            let heading = (90 - sample.heading) * .pi / 180
            let ring = footprint.polygon(centre: sample.position, heading: heading).exterior
            return View(time: sample.time, corners: Array(ring.dropLast()))
        }
        let flight = input.flight
        return PatrolRound(
            id: flight.id, kind: .droneFlight, device: flight.deviceID, missionID: flight.missionID,
            start: flight.startedAt ?? projected.telemetry.first?.time,
            end: flight.endedAt ?? projected.telemetry.last?.time, views: views)
    }
}
