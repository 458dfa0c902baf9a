import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolReports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Collects what an XML parse saw: element names, `id` and `href` values, and the first error.
private final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var ids: Set<String> = []
    var hrefs: Set<String> = []
    var error: (any Error)?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements[name, default: 0] += 1
        if let id = attributes["id"] { ids.insert(id) }
        if let href = attributes["href"] { hrefs.insert(href) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = error ?? parseError }

    static func parse(_ html: String) -> (Bool, XMLCollector) {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = collector
        let ok = parser.parse()
        return (ok, collector)
    }
}

@Suite struct FlightReportTests {
    @Test func htmlIsWellFormedAndSelfContained() throws {
        let report = try FlightReport.render(ReportFixture.input())
        let (ok, xml) = XMLCollector.parse(report.html)
        #expect(ok, "XML error: \(String(describing: xml.error))")
        #expect(xml.error == nil)
        #expect(xml.elements["svg", default: 0] >= 2)  // the map, the battery plot (and legend swatches)
        #expect(xml.elements["table", default: 0] >= 2)
        let anchor = "alert-A-1----co-2"
        #expect(xml.ids.contains(anchor))
        #expect(xml.hrefs.contains("#\(anchor)"))
        #expect(report.html.contains(Format.percent(report.summary.coverage.percent)))
        #expect(report.html.contains("A&lt;1&gt; &amp; co/2"))
        #expect(report.html.contains("<title>Tower 1: 98 m</title>"))
        for external in ["src=", "href=\"http", "url(http", "@import", "<script", "<link"] {
            #expect(!report.html.contains(external), "the page refers to something outside: \(external)")
        }
        let timeline = ["Take-off", "Survey started", "First detection: smoke", "Mission complete", "Landed"]
        let positions = timeline.compactMap { report.html.range(of: $0)?.lowerBound }
        #expect(positions.count == timeline.count && positions == positions.sorted())
    }

    @Test func summaryHasTheFlightsFigures() throws {
        let input = try ReportFixture.input()
        let summary = try FlightReport.render(input).summary
        let times = input.telemetry.map(\.time)
        #expect(summary.flightID == "F-001")
        #expect(summary.missionID == "hill-fire-patrol")
        #expect(summary.start == times.min())
        #expect(summary.end == times.max())
        #expect(summary.duration == times.max()!.timeIntervalSince(times.min()!))
        #expect(summary.coverage.percent >= 99)
        #expect(summary.coverage.gapCount == 0)
        let battery = try #require(summary.battery)
        #expect(abs(battery.start - 0.95) < 1e-9 && abs(battery.used - 0.35) < 1e-9)
        #expect(summary.detections == 2)
        #expect(summary.alerts.map(\.id) == [ReportFixture.alertID])
        #expect(summary.alerts.first?.observations == 2)
        // Eight 320 m lines, seven turns of one spacing, and the legs to and from the hive.
        let lines = Sweep.lineOffsets()
        let sweep = Double(lines.count) * 320 + Double(lines.count - 1) * Sweep.spacing
        let toStart = (Sweep.origin + XY(lines[0], -10)).distance(to: ReportFixture.hive)
        let back = try #require(Sweep.legs(lines: lines).1.last).to.distance(to: ReportFixture.hive)
        #expect(abs(summary.distanceFlown - (sweep + toStart + back)) < 1)
        #expect(summary.deviation.samples > 500)
        #expect(summary.deviation.max < 0.01)
        #expect(summary.timeline.map(\.kind) == [.takeOff, .surveyStarted, .firstDetection, .missionComplete, .landed])
    }

    @Test func deviationMeasuresTheOffsetFromTheRoute() throws {
        let summary = try FlightReport.render(ReportFixture.input(surveyOffset: XY(3, 0))).summary
        #expect(abs(summary.deviation.max - 3) < 0.01)
        #expect(summary.deviation.mean > 2.5 && summary.deviation.mean <= 3.0001)
    }

    @Test func jsonDecodesBackToTheSummary() throws {
        let report = try FlightReport.render(ReportFixture.input())
        let decoded = try FlightSummary.decode(from: report.json)
        #expect(decoded == report.summary)
        let text = String(decoding: report.json, as: UTF8.self)
        #expect(text.contains("\"flightID\" : \"F-001\""))
        #expect(text.contains("Z\""))  // ISO 8601 dates
    }

    @Test func geoJSONIsAFeatureCollection() throws {
        let report = try FlightReport.render(ReportFixture.input(surveyOffset: XY(Sweep.spacing, 0)))
        let root = try #require(try JSONSerialization.jsonObject(with: report.geojson) as? [String: Any])
        #expect(root["type"] as? String == "FeatureCollection")
        let features = try #require(root["features"] as? [[String: Any]])
        let layers = features.compactMap { ($0["properties"] as? [String: Any])?["layer"] as? String }
        #expect(Set(layers) == ["planned", "seen", "gap", "route", "track", "detection", "alert"])
        #expect(layers.filter { $0 == "gap" }.count == report.summary.coverage.gapCount)
        // Back through GeoJSON's own reader: valid rings in range.
        let parsed = try GeoJSON.features(from: report.geojson, file: "flight.geojson")
        #expect(parsed.count == features.count)
    }

    @Test func writesThreeFiles() throws {
        let report = try FlightReport.render(ReportFixture.input())
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("patrol-report-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let urls = try report.write(to: directory.appendingPathComponent("nested"))
        #expect(urls.map(\.lastPathComponent) == ["flight-F-001.html", "flight-F-001.json", "flight-F-001.geojson"])
        #expect(try Data(contentsOf: urls[0]) == Data(report.html.utf8))
        #expect(try Data(contentsOf: urls[1]) == report.json)
        #expect(try Data(contentsOf: urls[2]) == report.geojson)
    }

    @Test func fileNamesAreSafe() throws {
        let report = try FlightReport.render(ReportFixture.input(flightID: "../etc/passwd x", telemetry: false))
        #expect(report.baseName == "flight-etc-passwd-x")
    }

    @Test func renderingIsDeterministic() throws {
        let input = try ReportFixture.input()
        let a = try FlightReport.render(input)
        let b = try FlightReport.render(input)
        #expect(a == b)
    }

    @Test func aFlightWithoutTelemetryStillRenders() throws {
        let report = try FlightReport.render(ReportFixture.input(telemetry: false))
        #expect(report.summary.coverage.percent == 0)
        #expect(report.summary.battery == nil)
        #expect(report.summary.timeline.map(\.kind) == [.firstDetection])
        let (ok, xml) = XMLCollector.parse(report.html)
        #expect(ok, "XML error: \(String(describing: xml.error))")
        #expect(try FlightSummary.decode(from: report.json) == report.summary)
    }

    @Test func hiveWeatherLinkLossAndQualityReachTheSummaryAndThePage() throws {
        var input = try ReportFixture.input()
        let start = try #require(input.telemetry.map(\.time).min())
        input.hiveWeather = [
            HiveWeather(time: start - 120, windSpeed: 4.5, windFrom: 270, rain: 0, temperature: 18.5),
            HiveWeather(time: start + 30, windSpeed: 7.5, windFrom: 280, rain: 1.5, temperature: 17),
            HiveWeather(time: start + 90, windSpeed: 3, windFrom: 260, rain: 0, temperature: 19),
        ]
        input.linkEvents = [LinkEvent(time: start + 40, kind: .lost), LinkEvent(time: start + 52.5, kind: .resumed)]
        for i in input.telemetry.indices { input.telemetry[i].linkQuality = i.isMultiple(of: 2) ? 0.5 : 1 }
        let report = try FlightReport.render(input)

        let weather = try #require(report.summary.weather)
        #expect(weather.samples == 3)
        #expect(weather.takeOffWindSpeed == 4.5 && weather.takeOffTemperature == 18.5)
        #expect(weather.windSpeed == .init(min: 3, max: 7.5))
        #expect(weather.rain == .init(min: 0, max: 1.5))
        #expect(weather.temperature == .init(min: 17, max: 19))
        let link = try #require(report.summary.link)
        #expect(link.losses == 1 && link.lostDuration == 12.5 && link.unresolved == 0)
        #expect(link.minimumQuality == 0.5)
        #expect(link.meanQuality.map { abs($0 - 0.75) < 0.01 } == true)
        #expect(report.summary.timeline.map(\.kind).contains(.linkLost))

        let json = try #require(String(data: report.json, encoding: .utf8))
        #expect(json.contains("\"takeOffWindSpeed\" : 4.5"))
        #expect(json.contains("\"losses\" : 1"))
        #expect(json.contains("\"kind\" : \"link_lost\""))
        #expect(try FlightSummary.decode(from: report.json) == report.summary)

        let (ok, xml) = XMLCollector.parse(report.html)
        #expect(ok, "XML error: \(String(describing: xml.error))")
        #expect(xml.ids.contains("conditions"))
        #expect(report.html.contains("wind 4.5 m/s from 270°"))
        #expect(report.html.contains("wind 3.0 to 7.5 m/s"))
        #expect(report.html.contains("Link lost"))
        #expect(report.html.contains("Link resumed after"))
        #expect(report.html.contains("min 0.50, mean 0.75"))
    }

    @Test func withoutHiveStatusThePageSaysSo() throws {
        let report = try FlightReport.render(ReportFixture.input())
        #expect(report.summary.weather == nil)
        #expect(report.summary.link?.losses == 0)
        #expect(report.html.contains("no hive status recorded"))
    }
}
