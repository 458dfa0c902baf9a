public import Foundation
public import PatrolGeo
public import PatrolModel

/// The report of a ground robot's round, from the record: the planned route against the walked
/// track, the checkpoints reached and missed, the gas readings (those over threshold linked to
/// their incidents), what its camera found, what it was told to say, and its battery. As a
/// self-contained HTML page, a JSON summary, and the track as GeoJSON and CSV.
public enum RoundReport {
    /// A gas reading the robot sent; `alertID` is the incident it raised or joined when it was over its threshold.
    public struct Reading: Hashable, Sendable {
        public var id: String
        public var kind: String
        public var value: Double
        public var unit: String
        public var time: Date
        public var position: LonLat?
        public var floor: Int?
        public var alertID: String?

        public init(
            id: String, kind: String, value: Double, unit: String, time: Date, position: LonLat?, floor: Int?,
            alertID: String?
        ) {
            self.id = id
            self.kind = kind
            self.value = value
            self.unit = unit
            self.time = time
            self.position = position
            self.floor = floor
            self.alertID = alertID
        }
    }

    /// A command sent to the robot during the round, with what it said for `speak`.
    public struct SentCommand: Hashable, Sendable, Codable {
        public var id: String
        public var action: String
        public var sentAt: Date
        public var accepted: Bool?
        public var text: String?

        public init(id: String, action: String, sentAt: Date, accepted: Bool?, text: String? = nil) {
            self.id = id
            self.action = action
            self.sentAt = sentAt
            self.accepted = accepted
            self.text = text
        }
    }

    /// Everything a round's report is made from.
    public struct Input: Sendable {
        public var site: Site
        public var mission: Mission
        /// The round as a flight: its planned route, status, start and end.
        public var flight: Flight
        public var station: String
        public var checkpoints: [RoundCheckpoint]
        public var telemetry: [Telemetry]
        public var readings: [Reading]
        /// Camera detections with the incident each joined.
        public var detections: [(detection: Detection, alertID: String?)]
        /// The incidents the round's readings and detections raised or joined.
        public var alerts: [Alert]
        public var commands: [SentCommand]
        /// The robot's events: (time, kind, detail).
        public var events: [(time: Date, kind: String, detail: String?)]

        public init(
            site: Site, mission: Mission, flight: Flight, station: String, checkpoints: [RoundCheckpoint],
            telemetry: [Telemetry], readings: [Reading] = [],
            detections: [(detection: Detection, alertID: String?)] = [],
            alerts: [Alert] = [], commands: [SentCommand] = [],
            events: [(time: Date, kind: String, detail: String?)] = []
        ) {
            self.site = site
            self.mission = mission
            self.flight = flight
            self.station = station
            self.checkpoints = checkpoints
            self.telemetry = telemetry.sorted { $0.time < $1.time }
            self.readings = readings
            self.detections = detections
            self.alerts = alerts
            self.commands = commands
            self.events = events
        }
    }

    /// A rendered round report.
    public struct Rendered: Sendable {
        public var summary: RoundSummary
        public var html: String
        public var json: Data
        /// The planned route, the track, the checkpoints and the findings, for GIS tools.
        public var geojson: Data

        /// Writes `round-<id>.html`, `.json` and `.geojson` into `directory`, creating it if needed.
        /// - Returns: the files' URLs, the HTML first.
        /// - Throws: the file system's error when a file cannot be written.
        @discardableResult
        public func write(to directory: URL) throws -> [URL] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try [("html", Data(html.utf8)), ("json", json), ("geojson", geojson)].map { ext, data in
                let url = directory.appendingPathComponent("round-\(summary.id).\(ext)")
                try data.write(to: url, options: .atomic)
                return url
            }
        }
    }

    /// The round's figures alone, without rendering the page.
    public static func summary(_ input: Input) -> RoundSummary { RoundSummary(input) }

    /// Renders the round.
    /// - Throws: ``GeoError`` when positions cannot be projected; `EncodingError` for a non-finite figure.
    public static func render(_ input: Input) throws -> Rendered {
        let summary = RoundSummary(input)
        let html = try RoundPage(input: input, summary: summary).render()
        return Rendered(
            summary: summary, html: html, json: try summary.encoded(), geojson: RoundGeoJSON.collection(input))
    }

    /// The round as a ``PatrolRound`` for the daily report: one view per telemetry sample on the
    /// ground floor, the robot camera's footprint (`range` metres ahead, ±`halfAngle` degrees).
    ///
    /// - Throws: ``GeoError`` when a position cannot be projected.
    public static func patrolRound(_ input: Input, range: Double = 8, halfAngle: Double = 35) throws(GeoError)
        -> PatrolRound
    {
        let frame = try SiteFrame(crs: input.site.crs)
        var views: [PatrolRound.View] = []
        for t in input.telemetry where abs(t.altitude) < 1 {
            let p = try frame.project(t.position)
            let a = t.heading * .pi / 180
            func ray(_ offset: Double) -> XY {
                let b = a + offset * .pi / 180
                return p + XY(sin(b), cos(b)) * range
            }
            views.append(PatrolRound.View(time: t.time, corners: [p, ray(-halfAngle), ray(halfAngle)]))
        }
        let flight = input.flight
        return PatrolRound(
            id: flight.id, kind: .robotRound, device: flight.deviceID, missionID: flight.missionID,
            start: flight.startedAt ?? input.telemetry.first?.time, end: flight.endedAt ?? input.telemetry.last?.time,
            views: views)
    }
}
