import Foundation
import Logging
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/gateway-crash.yaml`: a gateway crashes without a goodbye and restarts on a new
/// connection; the coordinator flags it lost, registers it again and marks it resumed, and every
/// reading it made is stored once.
@Suite(.serialized)
struct GatewayCrashTests {
    static func simulate() async throws -> SimRun.Result {
        var logger = Logger(label: "sim")
        logger.logLevel = .critical
        let run = SimRun(
            scenarioFile: TestKit.repositoryRoot.appendingPathComponent("simulators/gateway-crash.yaml"),
            outputDirectory: TestKit.temporaryDirectory("sim-gw-crash"),
            siteDirectory: TestKit.repositoryRoot.appendingPathComponent("geo/mumianling"), logger: logger)
        return try await run.run()
    }

    @Test(.timeLimit(.minutes(3)))
    func aCrashedGatewayIsLostThenResumedAndNothingIsLost() async throws {
        let result = try await Self.simulate()
        let lines = result.lines
        #expect(lines.filter { $0 == "registered gw-b1" }.count == 2, "a new session after the restart")
        // Last heartbeat at 94 s (03:01:34), lost 3 s later.
        #expect(lines.contains { $0.hasPrefix("lost gw-b1 ") })
        let lost = try #require(lines.first { $0.hasPrefix("lost gw-b1 ") })
        let at = try #require(ISO8601DateFormatter().date(from: "2026-11-25T03:01:37+08:00"))
        #expect(lost == "lost gw-b1 \(EventLog.ms(at))")
        #expect(lines.contains("resumed gw-b1"))
        let gateway = try #require(result.sensors?.gateways["gw-b1"])
        #expect(gateway.restarts == 1)
        // Reports every 10 s from 0 to 300 s, but none at 100, 110 and 120 s while it was down.
        #expect(gateway.readingsSent == 50 * (31 - 3))
        #expect(lines.contains("readings \(50 * 28)"), "every reading stored once")
    }

    @Test(.timeLimit(.minutes(3)))
    func twoRunsGiveTheSameLogHash() async throws {
        let first = try await Self.simulate()
        let second = try await Self.simulate()
        #expect(first.lines == second.lines)
        #expect(first.hash == second.hash)
    }
}
