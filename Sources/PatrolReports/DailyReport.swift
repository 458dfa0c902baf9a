public import Foundation
import PatrolGeo
public import PatrolModel

/// The daily report: across a day's rounds, for each patrol area, how long ago each part was
/// last seen, against the area's maximum staleness; as an HTML page and a JSON summary.
///
/// Drone flights and ground robots' rounds are ``PatrolRound`` values with their own views; robot
/// rounds also get a table of their checkpoints, gas and incidents (``Input/robotRounds``).
public enum DailyReport {
    /// What a daily report is made from.
    public struct Input: Sendable {
        /// The site: its CRS, boundary and towers are drawn on the maps.
        public var site: Site
        /// The site's local day, `YYYY-MM-DD`, and its start and end.
        public var day: String
        public var interval: DateInterval
        /// The time zone the day is local to (an IANA id such as `Asia/Shanghai`).
        public var timeZone = "UTC"
        /// When staleness is measured (the end of the day by default).
        public var asOf: Date
        public var targets: [Staleness.Target]
        public var rounds: [PatrolRound]
        /// Metres.
        public var cellSize: Double
        /// Lines the report prints under its title, after ``DailyReport/robotNote``.
        public var notes: [String] = []
        /// The day's robot rounds (their views are also in ``rounds``): checkpoints, gas and incidents.
        public var robotRounds: [RoundSummary] = []

        public init(
            site: Site, day: String, interval: DateInterval, asOf: Date? = nil, targets: [Staleness.Target],
            rounds: [PatrolRound], cellSize: Double = 10
        ) {
            self.site = site
            self.day = day
            self.interval = interval
            self.asOf = asOf ?? interval.end
            self.targets = targets
            self.rounds = rounds
            self.cellSize = cellSize
        }
    }

    /// A rendered daily report.
    public struct Rendered: Sendable {
        public var summary: DailySummary
        public var html: String
        public var json: Data

        /// Writes `day-<date>.html` and `day-<date>.json` into `directory`, creating it if needed.
        ///
        /// - Returns: the two files' URLs.
        /// - Throws: the file system's error when a file cannot be written.
        @discardableResult
        public func write(to directory: URL) throws -> [URL] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try [("html", Data(html.utf8)), ("json", json)].map { ext, data in
                let url = directory.appendingPathComponent("day-\(summary.day).\(ext)")
                try data.write(to: url, options: .atomic)
                return url
            }
        }
    }

    /// The note every daily report carries on how ground robots' rounds count.
    public static let robotNote =
        "Ground robot rounds count towards staleness by their camera's footprint along their path on the "
        + "ground floor (8 m ahead, 70° wide); their checkpoints, gas readings and incidents are listed below "
        + "and in each round's own report."

    /// Renders the day.
    ///
    /// - Throws: ``GeoError`` when PROJ or GEOS fail; `EncodingError` for a non-finite figure.
    public static func render(_ input: Input) throws -> Rendered {
        let grids = try Staleness.measure(
            input.targets, rounds: input.rounds, from: input.interval.start, asOf: input.asOf,
            cellSize: input.cellSize)
        let rounds = input.rounds.map {
            DailySummary.Round(
                id: $0.id, kind: $0.kind, device: $0.device, missionID: $0.missionID, start: $0.start, end: $0.end,
                views: $0.views.count)
        }
        let summary = DailySummary(
            day: input.day, siteID: input.site.id, crs: input.site.crs, from: input.interval.start, asOf: input.asOf,
            rounds: rounds, areas: grids.map(DailySummary.Area.init), notes: [robotNote] + input.notes,
            robotRounds: input.robotRounds, timeZone: input.timeZone)
        let frame = try SiteFrame(crs: input.site.crs)
        let towers = try input.site.towers.map { (t) throws(GeoError) in try frame.project(t.footprint) }
        let html = DailyPage(input: input, summary: summary, grids: grids, towers: towers).render()
        return Rendered(summary: summary, html: html, json: try summary.encoded())
    }
}
