import Foundation
import Logging
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/mixed.yaml`: the hill-fire patrol drone, a sensor gateway with a smoke detector and
/// an NVR with a hillside camera in one run on one clock. The one fire, seen by all three, must be
/// ONE confirmed incident.
@Suite(.serialized)
struct MixedScenarioTests {
    static func simulate() async throws -> SimRun.Result {
        var logger = Logger(label: "sim")
        logger.logLevel = .critical
        let run = SimRun(
            scenarioFile: TestKit.repositoryRoot.appendingPathComponent("simulators/mixed.yaml"),
            outputDirectory: TestKit.temporaryDirectory("sim-mixed"),
            siteDirectory: TestKit.repositoryRoot.appendingPathComponent("geo/mumianling"), logger: logger)
        return try await run.run()
    }

    @Test(.timeLimit(.minutes(3)))
    func oneFireSeenByDroneCameraAndDetectorIsOneConfirmedIncident() async throws {
        let result = try await Self.simulate()
        let alerts = try PatrolStore(path: result.database.path).alerts()
        #expect(alerts.count == 1, "one incident: \(alerts.map(\.id))")
        let alert = try #require(alerts.first)
        #expect(alert.kind == .smoke || alert.kind == .fire)
        #expect(alert.confirmed)
        let sources = alert.sources.keys.sorted()
        #expect(sources.contains("drone-1"), "\(sources)")
        #expect(sources.contains("nvr-hill"), "\(sources)")
        #expect(sources.contains { $0.hasPrefix("gw-hill/") }, "\(sources)")
        #expect(result.lines.contains { $0.hasPrefix("flight-ended ") && $0.hasSuffix(" completed") })
        #expect(!result.lines.contains { $0.hasPrefix("lost ") || $0.hasPrefix("device-error") })
    }

    @Test(.timeLimit(.minutes(3)))
    func twoRunsGiveTheSameLogHash() async throws {
        let first = try await Self.simulate()
        let second = try await Self.simulate()
        #expect(first.lines == second.lines)
        #expect(first.hash == second.hash)
    }
}
