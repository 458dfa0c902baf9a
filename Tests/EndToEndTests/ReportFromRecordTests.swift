import Foundation
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolReports
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

#if canImport(FoundationXML)
    import FoundationXML
#endif

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

    /// Hive status rows and a link loss added to the demo's record reach the rebuilt report.
    @Test(.timeLimit(.minutes(3)))
    func hiveStatusRowsAndALinkLossReachTheReport() async throws {
        let (result, _) = try await DemoFlightTests.fly()
        let flightID = result.flight.id
        let start = try #require(result.flight.startedAt)
        let (rendered, own) = try await TestKit.offPool { () throws -> (RenderedReport, Int) in
            let store = try PatrolStore(path: result.database.path)
            let hive = try store.reportInput(flightID: flightID).mission.hive
            // The demo's simulated hive sent its own statuses; these come on top (the one at take-off
            // is stored after the hive's own, so it is the take-off status).
            let end = try #require(result.flight.endedAt)
            let own = try store.hiveStatuses(hive: hive, from: start, to: end).count
            for (offset, wind, temperature) in [(0.0, 2.5, 14.0), (20, 6.0, 15.5), (60, 4.0, 16.0)] {
                try store.record(
                    StoredHiveStatus(
                        deviceID: hive, time: start + offset, door: "closed", charging: false, windSpeed: wind,
                        windFrom: 225, rain: 0.5, temperature: temperature))
            }
            // A status from another hive and one long before are not this flight's weather.
            try store.record(
                StoredHiveStatus(
                    deviceID: "other-hive", time: start + 30, door: "open", charging: false, windSpeed: 30,
                    windFrom: 0, rain: 0, temperature: 40))
            let device = result.flight.deviceID
            _ = try store.record(
                RecordedEvent(
                    deviceID: device, eventID: "t/lost", flightID: flightID, kind: "link_lost", time: start + 30,
                    detail: nil))
            _ = try store.record(
                RecordedEvent(
                    deviceID: device, eventID: "t/resumed", flightID: flightID, kind: "link_resumed",
                    time: start + 38, detail: nil))
            return (try FlightReport.render(try store.reportInput(flightID: flightID)), own)
        }
        let weather = try #require(rendered.summary.weather)
        #expect(weather.samples == own + 3)
        #expect(weather.takeOffWindSpeed == 2.5 && weather.takeOffTemperature == 14)
        #expect(weather.windSpeed == .init(min: 2.5, max: 6))
        #expect(rendered.summary.link?.losses == 1 && rendered.summary.link?.lostDuration == 8)
        let quality = try #require(rendered.summary.link?.meanQuality)
        #expect((0...1).contains(quality))
        let json = String(decoding: rendered.json, as: UTF8.self)
        #expect(json.contains("\"takeOffTemperature\" : 14") && json.contains("\"lostDuration\" : 8"))
        #expect(rendered.html.contains("wind 2.5 m/s from 225°"))
        #expect(rendered.html.contains("Link resumed after"))
        let parser = XMLParser(data: Data(rendered.html.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
    }

    @Test(.timeLimit(.minutes(3)))
    func theDayReportMeasuresTheHillFromTheRecord() async throws {
        let (result, _) = try await DemoFlightTests.fly()
        let day = String(result.scenario.start.formatted(.iso8601).prefix(10))
        let out = TestKit.temporaryDirectory("patrol-day")
        let r = try await CommandLineTests().patrol(
            "report", "--day", day, "--at", "14:00", "--db", result.database.path, "--out", out.path)
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
