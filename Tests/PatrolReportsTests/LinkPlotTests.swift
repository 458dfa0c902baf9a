import Foundation
import PatrolModel
import Testing

@testable import PatrolReports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Link quality over time in the flight report, with the link-loss intervals marked.
struct LinkPlotTests {
    @Test func qualityIsPlottedAndLossesAreShaded() throws {
        var input = try ReportFixture.input()
        let start = try #require(input.telemetry.map(\.time).min())
        let end = try #require(input.telemetry.map(\.time).max())
        // Two losses: one resumed after 12.5 s, one never resumed before the end.
        input.linkEvents = [
            LinkEvent(time: start + 40, kind: .lost), LinkEvent(time: start + 52.5, kind: .resumed),
            LinkEvent(time: end - 10, kind: .lost),
        ]
        for i in input.telemetry.indices { input.telemetry[i].linkQuality = i.isMultiple(of: 2) ? 0.5 : 1 }
        // Nothing came through while the link was down.
        input.telemetry.removeAll { $0.time > start + 40 && $0.time < start + 52.5 }
        let report = try FlightReport.render(input)

        let page = report.html
        let parser = XMLParser(data: Data(page.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(page.contains("<section id=\"link\">"))
        #expect(page.contains("Link quality over the flight, link losses shaded"))
        #expect(page.components(separatedBy: "class=\"link-lost\"").count - 1 == 2)
        #expect(page.contains("for 12.5 s") || page.contains("for 13 s"), "the first loss's duration")
        // One line, broken at the silence: two moves.
        let path = try #require(
            page.components(separatedBy: "class=\"quality\" d=\"").dropFirst().first?.components(separatedBy: "\"")
                .first)
        #expect(path.filter { $0 == "M" }.count == 2, "\(path.prefix(80))")
    }

    @Test func intervalsPairLossesWithResumptions() {
        let t0 = Date(timeIntervalSince1970: 1_000)
        let events = [
            LinkEvent(time: t0 + 10, kind: .lost), LinkEvent(time: t0 + 11, kind: .lost),
            LinkEvent(time: t0 + 20, kind: .resumed), LinkEvent(time: t0 + 30, kind: .resumed),
            LinkEvent(time: t0 + 40, kind: .lost),
        ]
        let intervals = LinkPlot.lossIntervals(events, end: t0 + 50)
        #expect(intervals.map { $0.from.timeIntervalSince(t0) } == [10, 40])
        #expect(intervals.map { $0.to.timeIntervalSince(t0) } == [20, 50])
    }

    @Test func withoutQualityThePlotSaysSo() throws {
        let report = try FlightReport.render(ReportFixture.input())
        #expect(report.html.contains("The device reported no link quality"))
    }
}
