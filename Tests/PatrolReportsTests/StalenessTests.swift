import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolReports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Staleness on synthetic rounds with known answers.
struct StalenessTests {
    static let dayStart = Date(timeIntervalSince1970: 1_780_012_800)  // a UTC midnight
    static let hour = 3600.0

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [XY] {
        [XY(x0, y0), XY(x1, y0), XY(x1, y1), XY(x0, y1)]
    }

    /// A 100 × 120 m area: the left half seen at 01:00, the right half at 05:00, the top 20 m never.
    static func measure(asOf hours: Double, maximum: Double = 3 * hour) throws -> Staleness.Grid {
        let area = MultiPolygon(Polygon(corners: rect(0, 0, 100, 120)))
        let left = PatrolRound(
            id: "a", kind: .droneFlight, device: "d1", missionID: "m", start: nil, end: nil,
            views: [.init(time: dayStart + 1 * hour, corners: rect(-5, -5, 50, 100))])
        let right = PatrolRound(
            id: "b", kind: .robotRound, device: "r1", missionID: "m", start: nil, end: nil,
            views: [
                .init(time: dayStart + 5 * hour - 60, corners: rect(50, -5, 105, 100)),
                .init(time: dayStart + 5 * hour, corners: rect(50, -5, 105, 100)),
            ])
        let target = Staleness.Target(id: "t", name: "T", area: area, maximumStaleness: maximum)
        return try #require(
            try Staleness.measure(
                [target], rounds: [right, left], from: dayStart, asOf: dayStart + hours * hour, cellSize: 10
            ).first)
    }

    @Test func knownHalvesAndAnUnseenStrip() throws {
        let grid = try Self.measure(asOf: 6)
        let summary = DailySummary.Area(grid)
        #expect(summary.cells == 120)
        #expect(abs(summary.neverSeenPercent - 100.0 / 6) < 1e-9)
        // Right half fresh (1 h), left half stale (5 h): 50 of 120 cells fresh.
        #expect(abs(summary.freshPercent - 100.0 * 50 / 120) < 1e-9)
        #expect(summary.worstStaleness == 5 * Self.hour)
        // Fresh over the 6 h: left 3 h (01:00 to 04:00), right 1 h 01 min (04:59 to 06:00).
        let expected = 100 * (50 * 3 * Self.hour + 50 * (Self.hour + 60)) / (120 * 6 * Self.hour)
        #expect(abs(summary.freshOverDayPercent - expected) < 1e-9, "\(summary.freshOverDayPercent) vs \(expected)")
    }

    @Test func viewsAfterTheMeasuringTimeDoNotCount() throws {
        let summary = DailySummary.Area(try Self.measure(asOf: 2))
        #expect(abs(summary.freshPercent - 100.0 * 50 / 120) < 1e-9)
        #expect(abs(summary.neverSeenPercent - 100.0 * 70 / 120) < 1e-9)
        #expect(summary.worstStaleness == Self.hour)
    }

    @Test func theDailyPageNamesTheMissingRobotsAndParsesAsXML() throws {
        let input = try ReportFixture.input()
        let round = try PatrolRound.drone(input)
        #expect(!round.views.isEmpty)
        let interval = DateInterval(start: Sweep.start - 3600, duration: 86_400)
        let rendered = try DailyReport.render(
            DailyReport.Input(
                site: input.site, day: "2026-05-28", interval: interval, asOf: Sweep.start + 3600,
                targets: [Staleness.Target(id: "hill", name: "Hill", area: Sweep.area)], rounds: [round]))
        #expect(rendered.html.contains("Ground robot rounds count towards staleness"))
        #expect(rendered.summary.notes.contains(DailyReport.robotNote))
        let parser = XMLParser(data: Data(rendered.html.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        let area = try #require(rendered.summary.areas.first)
        #expect(area.freshPercent > 95, "a full sweep an hour ago leaves the area fresh: \(area.freshPercent)")
    }
}
