import Foundation
import PatrolLink
import PatrolTestKit
import Testing

/// SIGHUP on `patrol serve` reloads the operators for the event stream too: one allowlist serves
/// the operator channel and the stream, so a revoked operator is cut off and refused, and a new
/// one is admitted, over real CURVE sockets and real processes.
@Suite(.serialized)
struct ServeKeyReloadTests {
    @Test(.timeLimit(.minutes(3)))
    func aRevokedOperatorStopsWatchingAndANewOneMayAfterSIGHUP() async throws {
        let serveTests = ServeTests()
        let site = try await serveTests.makeSite()
        let events = "tcp://127.0.0.1:\(try WatchCommandTests.freePort())"
        let text = try String(contentsOf: site.config, encoding: .utf8)
            .replacingOccurrences(of: "endpoints:\n", with: "endpoints:\n  events: \(events)\n")
        try text.write(to: site.config, atomically: true, encoding: .utf8)
        let serve = try ServeTests.Child(
            ["serve", "--config", site.config.path], log: site.directory.appendingPathComponent("serve.log"))
        let coordinatorKey = site.keys.appendingPathComponent("coordinator.key").path
        let vicKey = site.keys.appendingPathComponent("vic.key").path
        func watch(_ key: String, timeout: String) async throws -> CommandLineTests.Outcome {
            try await CommandLineTests.run([
                "watch", "--connect", events, "--key", key, "--server-key", coordinatorKey, "--plain",
                "--until", "sys.heartbeat", "--timeout", timeout,
            ])
        }

        // vic may watch before the reload.
        var first: CommandLineTests.Outcome?
        for _ in 0..<20 {
            first = try await watch(vicKey, timeout: "10")
            if first?.status == 0 { break }
        }
        #expect(first?.status == 0, "\(first?.stdout ?? "") \(serve.output)")

        // vic keeps watching; nina is not an operator yet and is refused.
        let watcherLog = site.directory.appendingPathComponent("vic-watch.log")
        let watcher = try ServeTests.Child(
            [
                "watch", "--connect", events, "--key", vicKey, "--server-key", coordinatorKey, "--plain",
                "--silence", "2", "--timeout", "90",
            ], log: watcherLog)
        let newcomers = site.directory.appendingPathComponent("newcomers")
        let made = try await CommandLineTests.run([
            "keys", "generate", "nina", "--operator", "--role", "viewer", "--dir", newcomers.path,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let ninaKey = newcomers.appendingPathComponent("nina.key").path
        #expect(try await watch(ninaKey, timeout: "4").status != 0)
        try await waitFor(30) { watcher.output.contains("stream   connected") }
        #expect(watcher.output.contains("stream   connected"), "\(watcher.output)")

        // Revoke vic, admit nina, SIGHUP.
        let file = site.keys.appendingPathComponent("operators.yaml")
        var operators = try OperatorAllowlist.load(from: file)
        #expect(operators.removeValue(forKey: "vic") != nil)
        operators["nina"] = OperatorAllowlist.Entry(
            role: .viewer, publicKey: try CurveKeyPair.load(from: URL(fileURLWithPath: ninaKey)).publicKey)
        try OperatorAllowlist.render(operators).write(to: file, atomically: true, encoding: .utf8)
        kill(serve.process.processIdentifier, SIGHUP)
        try await waitFor(30) { serve.output.contains("event stream reopened") }
        #expect(serve.output.contains("keys reloaded"), "\(serve.output)")
        #expect(serve.output.contains("event stream reopened"), "\(serve.output)")

        // The watcher that was connected is cut off: no heartbeat comes back to it.
        try await waitFor(30) { watcher.output.contains("reconnecting") }
        #expect(watcher.output.contains("no heartbeat for 2 s: reconnecting"), "\(watcher.output)")
        try await Task.sleep(for: .seconds(3))
        let afterCut = watcher.output.components(separatedBy: "reconnecting").last ?? ""
        #expect(!afterCut.contains("stream   back"), "\(watcher.output)")
        _ = try await watcher.terminate()

        // A new watch as vic is refused; nina is admitted.
        #expect(try await watch(vicKey, timeout: "4").status != 0)
        var second: CommandLineTests.Outcome?
        for _ in 0..<10 {
            second = try await watch(ninaKey, timeout: "10")
            if second?.status == 0 { break }
        }
        #expect(second?.status == 0, "\(second?.stdout ?? "") \(serve.output)")
        #expect(try await serve.terminate() == 0, "\(serve.output)")
    }

    /// Under `patrol serve` each coordinator event is logged once (by the coordinator, where it
    /// happens), with the device id as metadata: a drone's hello gives one "device registered"
    /// line, and serve adds no `event: …` copy.
    @Test(.timeLimit(.minutes(3)))
    func eachEventIsLoggedOnceUnderServe() async throws {
        let serveTests = ServeTests()
        let site = try await serveTests.makeSite()
        let serve = try serveTests.serve(site, log: "serve.log")
        let drone = try serveTests.drone(site, "drone-1")
        try await waitFor(60) { serve.output.contains("device registered") }
        // Any late copy would come right after the first line; give it time.
        try await Task.sleep(for: .seconds(2))
        _ = try await drone.terminate()
        let output = serve.output
        #expect(try await serve.terminate() == 0, "\(output)")
        let registered = output.split(separator: "\n").filter { $0.contains("device registered") }
        #expect(registered.count == 1, "\(output)")
        #expect(registered.first?.contains("device.id=drone-1") == true, "\(output)")
        #expect(!output.contains("event: "), "\(output)")
    }

    /// Polls `condition` every 250 ms for up to `seconds` (a hang guard, not a timing).
    func waitFor(_ seconds: Double, _ condition: @Sendable () -> Bool) async throws {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end, !condition() { try await Task.sleep(for: .milliseconds(250)) }
    }
}
