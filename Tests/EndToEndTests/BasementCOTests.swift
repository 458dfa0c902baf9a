import Foundation
import Logging
import PatrolAlerts
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/basement-co.yaml`: a CO rise in car-park zone b2-north, reported by simulated
/// gateways over the wire, must open one gas alert and switch that zone's fan on, the same way
/// on every run.
@Suite(.serialized)
struct BasementCOTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func simulate(_ scenario: String = "simulators/basement-co.yaml") async throws -> SimRun.Result {
        var logger = Logger(label: "sim")
        logger.logLevel = .critical
        let run = SimRun(
            scenarioFile: root.appendingPathComponent(scenario), outputDirectory: TestKit.temporaryDirectory("sim"),
            siteDirectory: root.appendingPathComponent("geo/mumianling"), logger: logger)
        return try await run.run()
    }

    @Test(.timeLimit(.minutes(2)))
    func theCOAlertOpensAndTheFanSwitchesOnWithinThreeMinutesOfTheRise() async throws {
        let result = try await Self.simulate()
        let scenario = try SensorScenario.load(from: Self.root.appendingPathComponent("simulators/basement-co.yaml"))
        let rise = scenario.start.addingTimeInterval(try #require(scenario.events.first).start)
        let store = try PatrolStore(path: result.database.path)

        let alerts = try store.alerts()
        #expect(alerts.map(\.kind) == [.gas], "one incident for the whole rise")
        let alert = try #require(alerts.first)
        #expect(alert.firstSeen.timeIntervalSince(rise) <= 3 * 60)
        #expect(alert.observations > 1, "later readings fold into the same alert")

        let gateway = try #require(result.sensors?.gateways["gw-b2"])
        let fanOn = try #require(gateway.switchedOn["fan-b2-north"])
        #expect(fanOn.timeIntervalSince(rise) <= 3 * 60)
        #expect(gateway.switchedOn["fan-b2-south"] == nil, "only the zone over threshold")
        #expect(result.sensors?.gateways["gw-b1"]?.switchedOn.isEmpty == true)
        #expect(result.lines.contains("answered gw-b2 cmd-1 true"), "the fan's ack is recorded")

        let expected = scenario.gateways.reduce(0) { $0 + $1.sensors } * (Int(scenario.duration / 60) + 1)
        #expect(try store.readingCount() == expected, "every reading stored once")
        #expect(result.sensors?.hiveStatuses == Int(scenario.duration / 60) + 1)
        #expect(!result.lines.contains { $0.hasPrefix("lost ") || $0.hasPrefix("device-error") })
    }

    @Test(.timeLimit(.minutes(2)))
    func twoRunsGiveTheSameLogHash() async throws {
        let first = try await Self.simulate()
        let second = try await Self.simulate()
        #expect(first.lines == second.lines)
        #expect(first.hash == second.hash)
    }

    @Test func fnv1a64MatchesItsPublishedVectors() {
        // From the FNV reference test suite (Landon Curt Noll): "" and "a".
        #expect(FNV1a64.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
