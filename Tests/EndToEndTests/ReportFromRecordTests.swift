import Foundation
import PatrolGeo
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `patrol report FLIGHT` run as a real process on the database a demo flight left behind.
@Suite(.serialized)
struct ReportFromRecordTests {
    @Test(.timeLimit(.minutes(3)))
    func theReportRebuiltFromTheDatabaseIsByteIdentical() async throws {
        let (result, out) = try await DemoFlightTests.fly()
        let again = TestKit.temporaryDirectory("patrol-report")
        let cli = CommandLineTests()
        let r = try await cli.patrol(
            "report", result.flight.id, "--db", result.database.path, "--out", again.path, "--csv", "--track-geojson")
        #expect(r.status == 0, "\(r.stderr)")
        for ext in ["html", "json", "geojson"] {
            let name = "flight-\(result.flight.id).\(ext)"
            let written = try Data(contentsOf: out.appendingPathComponent(name))
            let rebuilt = try Data(contentsOf: again.appendingPathComponent(name))
            #expect(written == rebuilt, "\(name) differs when rebuilt from the database")
        }

        // The flown track: a header and one row per telemetry sample, in time order.
        let csv = try String(
            contentsOf: again.appendingPathComponent("flight-\(result.flight.id)-track.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.first == "time,lon,lat,altitude_m,heading_deg,speed_mps,battery,state,waypoint")
        #expect(rows.count == result.telemetryRows + 1)
        let telemetry = try PatrolStore(path: result.database.path).telemetry(flightID: result.flight.id)
        let first = rows[1].split(separator: ",")
        #expect(first.count == 9)
        #expect(Double(first[1]).map { abs($0 - telemetry[0].position.lon) < 1e-6 } == true)
        #expect(first[7] == Substring(telemetry[0].state.rawValue))
        #expect(rows.contains { $0.split(separator: ",").dropLast().last == "surveying" })

        let geojson = again.appendingPathComponent("flight-\(result.flight.id)-track.geojson")
        let features = try GeoJSON.features(from: Data(contentsOf: geojson), file: geojson.path)
        #expect(features.filter { $0.properties["layer"] == "sample" }.count == result.telemetryRows)
        #expect(features.first { $0.properties["layer"] == "sample" }?.properties["battery"]?.number != nil)
    }

    @Test(.timeLimit(.minutes(3)))
    func theDayReportMeasuresTheHillFromTheRecord() async throws {
        let (result, _) = try await DemoFlightTests.fly()
        let day = String(result.scenario.start.formatted(.iso8601).prefix(10))
        let out = TestKit.temporaryDirectory("patrol-day")
        let r = try await CommandLineTests().patrol(
            "report", "--day", day, "--at", "06:00", "--db", result.database.path, "--out", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("day-\(day).json")))
        let summary = try #require(json as? [String: Any])
        let areas = try #require(summary["areas"] as? [[String: Any]])
        let hill = try #require(areas.first { $0["id"] as? String == "hill" })
        #expect((hill["maximumStaleness"] as? NSNumber)?.doubleValue == 10_800.0)
        #expect((hill["neverSeenPercent"] as? Double).map { $0 < 2 } == true, "\(hill["neverSeenPercent"] ?? "?")")
        #expect((summary["rounds"] as? [Any])?.count == 1)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("day-\(day).html").path))

        let bad = try await CommandLineTests().patrol("report", "--day", "2026-13-01", "--db", result.database.path)
        #expect(bad.status == 1 && bad.stderr.contains("expected YYYY-MM-DD"), "\(bad.stderr)")
    }

    @Test func unknownFlightIsAClearError() async throws {
        let (result, _) = try await DemoFlightTests.fly()
        let r = try await CommandLineTests().patrol("report", "no-such-flight", "--db", result.database.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("no flight `no-such-flight`"), "\(r.stderr)")
        #expect(r.stderr.contains(result.flight.id))
    }
}
