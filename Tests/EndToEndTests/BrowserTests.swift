import Foundation
import PatrolModel
import PatrolSim
import PatrolTestKit
import Testing

@testable import patrol

/// Debian's Chromium (`apt-get install chromium`).
private let chromium = "/usr/bin/chromium"

/// The demo's reports opened in a real browser: Debian's headless Chromium, when installed.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: chromium)))
struct BrowserTests {
    /// Loads `page` headless and returns the DOM Chromium built and its log.
    func load(_ page: URL) async throws -> (dom: String, log: String) {
        try await TestKit.offPool { try Self.loadBlocking(page) }
    }

    private static func loadBlocking(_ page: URL) throws -> (dom: String, log: String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--dump-dom",
            page.absoluteString,
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let dom = PipeReading.readToEnd(out.fileHandleForReading)
        let log = PipeReading.readToEnd(err.fileHandleForReading)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return (String(decoding: dom, as: UTF8.self), String(decoding: log, as: UTF8.self))
    }

    @Test(.timeLimit(.minutes(3)))
    func theFlightAndDayReportsRenderWithoutErrors() async throws {
        let (result, out) = try await DemoFlightTests.fly()
        let day = String(result.scenario.start.formatted(.iso8601).prefix(10))
        let r = try await CommandLineTests().patrol(
            "report", "--day", day, "--db", result.database.path, "--out", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        let pages = [
            out.appendingPathComponent("flight-\(result.flight.id).html"),
            out.appendingPathComponent("day-\(day).html"),
        ]
        for page in pages {
            let (dom, log) = try await load(page)
            #expect(dom.contains("<svg"), "\(page.lastPathComponent): no map in the rendered DOM")
            #expect(!log.contains("CONSOLE") && !log.contains("Uncaught"), "\(page.lastPathComponent): \(log)")
        }
    }
}
