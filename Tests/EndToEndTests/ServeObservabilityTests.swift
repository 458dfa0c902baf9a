import Foundation
import PatrolTestKit
import Testing

/// `patrol serve` with its event stream and metrics endpoint: operators' keys may watch, a
/// stranger's may not, and `/metrics` answers.
@Suite(.serialized)
struct ServeObservabilityTests {
    @Test(.timeLimit(.minutes(3)))
    func servedCoordinatorStreamsToOperatorsOnlyAndServesMetrics() async throws {
        let serveTests = ServeTests()
        let site = try await serveTests.makeSite()
        let events = "tcp://127.0.0.1:\(try WatchCommandTests.freePort())"
        let metricsPort = try WatchCommandTests.freePort()
        let text = try String(contentsOf: site.config, encoding: .utf8)
            .replacingOccurrences(
                of: "endpoints:\n", with: "endpoints:\n  events: \(events)\n  metrics: 127.0.0.1:\(metricsPort)\n")
        try text.write(to: site.config, atomically: true, encoding: .utf8)
        let serve = try ServeTests.Child(
            ["serve", "--config", site.config.path], log: site.directory.appendingPathComponent("serve.log"))
        let coordinatorKey = site.keys.appendingPathComponent("coordinator.key").path

        // A viewer hears the stream (a heartbeat comes every second).
        var watched: CommandLineTests.Outcome?
        for _ in 0..<20 {
            let r = try await CommandLineTests.run([
                "watch", "--connect", events, "--key", site.keys.appendingPathComponent("vic.key").path,
                "--server-key", coordinatorKey, "--plain", "--until", "sys.heartbeat", "--timeout", "10",
            ])
            watched = r
            if r.status == 0 { break }
        }
        #expect(watched?.status == 0, "\(watched?.stdout ?? "") \(serve.output)")
        #expect(watched?.stdout.contains("stream   connected") == true)

        // A stranger's key hears nothing, not even the heartbeat.
        let stranger = try await CommandLineTests.run([
            "watch", "--connect", events, "--key",
            site.directory.appendingPathComponent("stranger/eve.key").path, "--server-key", coordinatorKey,
            "--plain", "--until", "sys.", "--timeout", "5",
        ])
        #expect(stranger.status != 0)
        #expect(!stranger.stdout.contains("connected"), "\(stranger.stdout)")

        let (head, body) = try await TestKit.offPool { try ObservabilityTests.get("/metrics", port: metricsPort) }
        #expect(head.hasPrefix("HTTP/1.1 200"), "\(serve.output)")
        let samples = try ObservabilityTests.parse(body)
        #expect(samples["patrol_devices_online"] == 0)
        #expect(try await serve.terminate() == 0, "\(serve.output)")
    }
}
