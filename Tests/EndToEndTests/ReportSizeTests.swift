import Foundation
import PatrolReports
import Testing

@testable import patrol

/// A report for a long, densely sampled flight stays small enough to mail and open. Its render
/// time is measured by `patrol bench report` (see docs/benchmarks.md), not asserted here: a
/// timed unit test would fail on a loaded machine and say nothing.
struct ReportSizeTests {
    @Test func aReportOf50000TelemetryPointsStaysUnderAFewMegabytes() throws {
        let input = try BenchFlight.input(points: 50_000)
        #expect(input.telemetry.count == 50_000)
        let report = try FlightReport.render(input)
        #expect(report.html.utf8.count < 2_000_000, "HTML: \(report.html.utf8.count) bytes")
        #expect(report.geojson.count < 5_000_000, "GeoJSON: \(report.geojson.count) bytes")
        #expect(report.json.count < 100_000)
        #expect(report.coverage.percent > 99)
        #expect(report.html.contains("Seen well enough"))
    }
}
