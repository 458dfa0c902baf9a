import Foundation
import PatrolSim
import PatrolTestKit
import Testing

@testable import patrol

/// The robot round's report and the day's report with it, opened in Debian's headless Chromium.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")))
struct RobotBrowserTests {
    @Test(.timeLimit(.minutes(3)))
    func theRoundAndDayReportsRenderWithoutErrors() async throws {
        let out = TestKit.temporaryDirectory("robot-browser")
        let result = try await RobotGasLeakTests.simulate(out: out)
        let flightID = try #require(result.robot?.flightID)
        let r = try await CommandLineTests().patrol(
            "report", "--day", "2026-11-25", "--db", result.database.path, "--out", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        for page in [
            out.appendingPathComponent("round-\(flightID).html"), out.appendingPathComponent("day-2026-11-25.html"),
        ] {
            let (dom, log) = try await BrowserTests().load(page)
            #expect(dom.contains("<svg"), "\(page.lastPathComponent): no map in the rendered DOM")
            #expect(!log.contains("CONSOLE") && !log.contains("Uncaught"), "\(page.lastPathComponent): \(log)")
        }
    }
}
