import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// The coordinator's own watch: a registered device that falls silent is flagged lost by the
/// periodic check on the injected clock, with no frame to trigger it, and is back when it speaks.
@Suite(.timeLimit(.minutes(1)))
struct LivenessTests {
    @Test func silentDeviceIsLostByTheWatchAndBackWhenItSpeaks() async throws {
        let t0 = Date(timeIntervalSince1970: 1_764_036_000)
        let clock = VirtualClock(start: t0)
        let context = ZMQContext()
        defer { context.shutdown() }
        var logger = Logger(label: "liveness")
        logger.logLevel = .critical
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(context: context, endpoint: "inproc://live-\(UUID().uuidString)", logger: logger)
        defer { server.close() }
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(livenessCheckInterval: .milliseconds(10)), logger: logger)
        let service = Task { await coordinator.run() }
        let client = try LinkClient(context: context, endpoint: server.endpoint, identity: "robot-7", logger: logger)
        var events = coordinator.events.makeAsyncIterator()

        client.send(.hello(Hello(kind: .robot, capabilities: [])), time: t0)
        guard case .deviceRegistered("robot-7") = await events.next() else { Issue.record("not registered"); return }
        clock.advance(by: 2.9)
        try await Task.sleep(for: .milliseconds(100))
        clock.advance(by: 0.2)  // 3.1 s of silence: over the 3 s timeout
        guard case .deviceLost("robot-7", nil, let heard, let lostAt) = await events.next() else {
            Issue.record("not lost")
            return
        }
        #expect(heard == t0)
        #expect(lostAt == t0.addingTimeInterval(3))

        client.send(.heartbeat, time: clock.now())
        guard case .deviceResumed("robot-7", nil) = await events.next() else { Issue.record("not back"); return }
        client.close()
        server.close()
        await service.value
    }
}
