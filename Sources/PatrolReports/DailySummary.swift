public import Foundation
import PatrolGeo

/// The figures of a daily report, as written to `day-<date>.json`.
public struct DailySummary: Hashable, Sendable, Codable {
    /// One round of the day, as ``PatrolRound`` without its views.
    public struct Round: Hashable, Sendable, Codable {
        public var id: String
        public var kind: PatrolRound.Kind
        public var device: String
        public var missionID: String
        public var start: Date?
        public var end: Date?
        /// How many views of the ground it contributed.
        public var views: Int
    }

    /// One patrol area's staleness.
    public struct Area: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        /// Square metres (the grid cells inside the area).
        public var area: Double
        /// Metres.
        public var cellSize: Double
        public var cells: Int
        /// Seconds.
        public var maximumStaleness: Double
        /// The share of the area fresh at the measuring time, 0 to 100.
        public var freshPercent: Double
        /// The share of the area not seen at all that day, 0 to 100.
        public var neverSeenPercent: Double
        /// The area-weighted share of the day (to the measuring time) the area was fresh, 0 to 100.
        public var freshOverDayPercent: Double
        /// The longest time since a seen cell was last seen, seconds; `nil` when none was seen.
        public var worstStaleness: Double?
        /// The median over seen cells, seconds; `nil` when none was seen.
        public var medianStaleness: Double?
        /// The grid, for tools: its lower-left corner and size in site metres, and per cell (row
        /// by row from the south, only cells inside the area) the seconds since it was last seen
        /// at the measuring time, or `nil` when not seen that day.
        public var gridOrigin: [Double]
        public var gridColumns: Int
        public var gridRows: Int
        public var cellCentres: [[Double]]
        public var cellStaleness: [Double?]
    }

    /// The site's local day, `YYYY-MM-DD` (in ``timeZone``).
    public var day: String
    public var siteID: String
    public var crs: String
    /// The start of the period measured.
    public var from: Date
    /// When staleness is measured.
    public var asOf: Date
    public var rounds: [Round]
    public var areas: [Area]
    /// Devices whose rounds are not in this report yet, and why.
    public var notes: [String]
    /// The day's robot rounds: checkpoints reached and missed, gas, findings, incidents, battery.
    public var robotRounds: [RoundSummary]
    /// The time zone ``day`` is local to; ``from`` and ``asOf`` are instants (UTC in the JSON).
    public var timeZone: String = "UTC"

    /// Pretty-printed JSON with sorted keys and ISO 8601 dates.
    ///
    /// - Throws: `EncodingError` when a value cannot be encoded.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

extension DailySummary.Area {
    init(_ grid: Staleness.Grid) {
        let staleness = grid.staleness
        let cells = grid.centres.count
        let seen = staleness.compactMap { $0 }.sorted()
        let fresh = seen.filter { $0 <= grid.target.maximumStaleness }.count
        let period = max(1, grid.asOf.timeIntervalSince(grid.from))
        func percent(_ n: Double) -> Double { cells > 0 ? 100 * n / Double(cells) : 0 }
        self.init(
            id: grid.target.id, name: grid.target.name, area: Double(cells) * grid.cellSize * grid.cellSize,
            cellSize: grid.cellSize, cells: cells, maximumStaleness: grid.target.maximumStaleness,
            freshPercent: percent(Double(fresh)), neverSeenPercent: percent(Double(cells - seen.count)),
            freshOverDayPercent: percent(grid.freshSeconds.reduce(0, +) / period), worstStaleness: seen.last,
            medianStaleness: seen.isEmpty ? nil : seen[seen.count / 2],
            gridOrigin: [grid.origin.x, grid.origin.y], gridColumns: grid.columns, gridRows: grid.rows,
            cellCentres: grid.centres.map { [($0.x * 100).rounded() / 100, ($0.y * 100).rounded() / 100] },
            cellStaleness: staleness.map { $0.map { $0.rounded() } })
    }
}
