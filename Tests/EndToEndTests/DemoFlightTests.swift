import Foundation
import Logging
import PatrolAlerts
import PatrolGeo
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The default scenario flown end to end over real sockets, PROJ and SQLite, as `patrol demo` does.
@Suite(.serialized)
struct DemoFlightTests {
    static func fly(endpoint: String = "tcp://127.0.0.1:*") async throws -> (DemoRun.Result, URL) {
        let out = TestKit.temporaryDirectory("patrol-e2e")
        var logger = Logger(label: "e2e")
        logger.logLevel = .error
        let run = DemoRun(
            scenarioFile: TestKit.defaultScenario, outputDirectory: out, endpoint: endpoint, logger: logger)
        return (try await run.run(), out)
    }

    @Test(.timeLimit(.minutes(3)))
    func defaultScenarioFliesEndToEnd() async throws {
        let (result, out) = try await Self.fly()

        // Mission acknowledged, flown and landed.
        #expect(result.flight.status == .completed)
        #expect(result.flight.startedAt != nil && result.flight.endedAt != nil)
        let store = try PatrolStore(path: result.database.path)
        #expect(try store.journalMode() == "wal")
        #expect(try store.commands(flightID: result.flight.id).map(\.accepted) == [true])
        #expect(try store.events(flightID: result.flight.id).map(\.kind) == ["took_off", "mission_complete", "landed"])

        // Telemetry rows persisted: one per simulated tick.
        #expect(result.telemetryRows == result.drone.telemetrySent)
        #expect(result.telemetryRows > 1000)

        // Exactly one alert, within 30 m of the scenario's fire.
        #expect(result.alerts.count == 1)
        let fire = try #require(result.scenario.fires.first)
        let alert = try #require(result.alerts.first)
        #expect(
            AlertFusion.distance(alert.position, fire.position) <= 30,
            "alert \(alert.position) vs fire \(fire.position)")
        #expect(alert.observations > 1)

        // Report files written; the HTML parses; the JSON has the coverage.
        let html = try #require(result.reportFiles.first { $0.pathExtension == "html" })
        let json = try #require(result.reportFiles.first { $0.pathExtension == "json" })
        #expect(result.reportFiles.allSatisfy { $0.path.hasPrefix(out.path) })
        let parser = XMLParser(data: try Data(contentsOf: html))
        #expect(parser.parse(), "HTML does not parse: \(String(describing: parser.parserError))")
        let text = try String(contentsOf: html, encoding: .utf8)
        #expect(text.contains("<svg"))
        #expect(text.contains("alert-1"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let coverage = (summary?["coverage"] as? [String: Any])?["percent"] as? Double
        #expect((coverage ?? 0) >= 90, "coverage \(String(describing: coverage))")
    }

    @Test(.timeLimit(.minutes(3)))
    func sameSeedSameRecord() async throws {
        let (a, _) = try await Self.fly(endpoint: "ipc://\(TestKit.temporaryDirectory("ipc").path)/link")
        let (b, _) = try await Self.fly()
        #expect(a.flight.id == b.flight.id)
        #expect(a.alerts == b.alerts)
        #expect(a.telemetryRows == b.telemetryRows)
        let ta = try PatrolStore(path: a.database.path).telemetry(flightID: a.flight.id)
        let tb = try PatrolStore(path: b.database.path).telemetry(flightID: b.flight.id)
        #expect(ta == tb)
    }
}
