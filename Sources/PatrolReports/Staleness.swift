public import Foundation
public import PatrolGeo

/// How long ago each part of a patrol area was last seen, on a grid of square cells.
///
/// A cell counts as seen by a view when its centre lies inside the view's footprint. A cell is
/// *fresh* while less than the area's maximum staleness has passed since it was last seen; it
/// is stale after, and *never seen* when no view of the day covered it.
public enum Staleness {
    /// The default longest time a part of an area may go unseen: 3 hours.
    public static let defaultMaximum: TimeInterval = 3 * 3600

    /// A patrol area to measure.
    public struct Target: Hashable, Sendable {
        public var id: String
        public var name: String
        /// The ground to watch, site metres.
        public var area: MultiPolygon
        /// Seconds.
        public var maximumStaleness: TimeInterval

        public init(id: String, name: String, area: MultiPolygon, maximumStaleness: TimeInterval = defaultMaximum) {
            self.id = id
            self.name = name
            self.area = area
            self.maximumStaleness = maximumStaleness
        }
    }

    /// The grid of one area after a day's rounds.
    public struct Grid: Hashable, Sendable {
        public var target: Target
        public var cellSize: Double
        /// The lower-left corner of the grid, site metres.
        public var origin: XY
        public var columns: Int
        public var rows: Int
        /// The centres of the area's cells, site metres.
        public var centres: [XY]
        /// When each cell was last seen (index for index with ``centres``), `nil` if not that day.
        public var lastSeen: [Date?]
        /// How many seconds between the start of the day and the measuring time each cell was fresh.
        public var freshSeconds: [Double]
        /// The start of the period measured (the day's start).
        public var from: Date
        /// The measuring time.
        public var asOf: Date

        /// Seconds since each cell was last seen at ``asOf`` (`nil`: not seen that day).
        public var staleness: [Double?] { lastSeen.map { $0.map { max(0, asOf.timeIntervalSince($0)) } } }
    }

    /// Measures `targets` against `rounds` over `from ..< asOf`.
    ///
    /// - Parameters:
    ///   - cellSize: the side of a grid cell, metres.
    /// - Throws: ``GeoError`` when GEOS fails on an area.
    public static func measure(
        _ targets: [Target], rounds: [PatrolRound], from: Date, asOf: Date, cellSize: Double = 10
    ) throws(GeoError) -> [Grid] {
        let views = rounds.flatMap(\.views).filter { $0.time >= from && $0.time <= asOf }
            .enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        return try targets.map { (target) throws(GeoError) in
            let grid = try CellGrid(target.area, size: cellSize)
            let maximum = target.maximumStaleness
            var last = [Date?](repeating: nil, count: grid.centres.count)
            // Per cell, the fresh interval being extended and the fresh seconds already closed.
            var segment = [(start: Date, end: Date)?](repeating: nil, count: grid.centres.count)
            var fresh = [Double](repeating: 0, count: grid.centres.count)
            func close(_ cell: Int) {
                guard let s = segment[cell] else { return }
                fresh[cell] += max(0, min(s.end, asOf).timeIntervalSince(s.start))
            }
            for view in views {
                grid.forEachCell(inConvex: view.corners) { cell in
                    last[cell] = view.time
                    if let s = segment[cell], view.time <= s.end {
                        segment[cell] = (s.start, max(s.end, view.time + maximum))
                    } else {
                        close(cell)
                        segment[cell] = (view.time, view.time + maximum)
                    }
                }
            }
            for cell in grid.centres.indices { close(cell) }
            return Grid(
                target: target, cellSize: cellSize, origin: grid.origin, columns: grid.columns, rows: grid.rows,
                centres: grid.centres, lastSeen: last, freshSeconds: fresh, from: from, asOf: asOf)
        }
    }
}
