import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink
@testable import patrol

/// A device whose clock is 45 s ahead: the coordinator estimates the offset from its hello and
/// heartbeats and moves the device's timestamps onto its own clock; a device within tolerance is
/// left alone.
@Suite(.timeLimit(.minutes(1)))
struct ClockSkewTests {
    @Test func aSkewedDevicesTimestampsAreCorrected() async throws {
        let t0 = Date(timeIntervalSince1970: 1_764_036_000)
        let skew = 45.0
        let clock = VirtualClock(start: t0)
        let context = ZMQContext()
        defer { context.shutdown() }
        var logger = Logger(label: "clock-skew")
        logger.logLevel = .critical
        let store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://skew-\(UUID().uuidString)", logger: logger, now: { clock.now() })
        defer { server.close() }
        let coordinator = try Coordinator(store: store, link: server, clock: clock, logger: logger)
        let service = Task { await coordinator.run() }
        let skewed = try LinkClient(context: context, endpoint: server.endpoint, identity: "drone-9", logger: logger)
        let exact = try LinkClient(context: context, endpoint: server.endpoint, identity: "drone-8", logger: logger)
        var events = coordinator.events.makeAsyncIterator()

        skewed.send(.hello(Hello(kind: .drone, capabilities: [])), time: clock.now() + skew)
        guard case .deviceRegistered("drone-9") = await events.next() else { Issue.record("not registered"); return }
        exact.send(.hello(Hello(kind: .drone, capabilities: [])), time: clock.now() + 0.3)
        guard case .deviceRegistered("drone-8") = await events.next() else { Issue.record("not registered"); return }
        var replies = skewed.inbound.makeAsyncIterator()
        // The welcome is dated by the coordinator's clock: a device can see its own offset too.
        let welcome = try #require(await replies.next()).get()
        #expect(welcome.time == t0)
        for _ in 0..<3 {
            clock.advance(by: 1)
            skewed.send(.heartbeat, time: clock.now() + skew)
            #expect(try #require(await replies.next()).get().message == .heartbeat)
        }
        let offset = try #require(await coordinator.clockOffset(of: "drone-9"))
        #expect(abs(offset.offset - skew) < 0.001)
        #expect(offset.samples == 4)
        #expect(offset.corrected)
        let near = try #require(await coordinator.clockOffset(of: "drone-8"))
        #expect(!near.corrected)

        // A detection stamped by the fast clock is recorded at the coordinator's time.
        let seen = clock.now()
        let detection = Detection(
            id: "drone-9/det-1", time: seen + skew, kind: .smoke, confidence: 0.95,
            position: LonLat(lon: 114.0585, lat: 22.5436), positionError: 5)
        skewed.send(.detection(DetectionReport(flightID: nil, detection: detection)), time: seen + skew)
        var opened: Alert?
        while let event = await events.next() {
            if case .alertOpened(let alert) = event {
                opened = alert
                break
            }
        }
        #expect(opened?.firstSeen == seen)

        // The device within tolerance keeps its own timestamps.
        let other = Detection(
            id: "drone-8/det-1", time: seen + 0.3, kind: .fire, confidence: 0.95,
            position: LonLat(lon: 114.1585, lat: 22.6436), positionError: 5)
        exact.send(.detection(DetectionReport(flightID: nil, detection: other)), time: seen + 0.3)
        opened = nil
        while let event = await events.next() {
            if case .alertOpened(let alert) = event {
                opened = alert
                break
            }
        }
        #expect(opened?.firstSeen == seen + 0.3)
        skewed.close()
        exact.close()
        server.close()
        await service.value
    }
}

/// The clock-skew fault in a scenario: gw-b2's clock two minutes fast. The coordinator corrects
/// its timestamps, so the run's log (alert times included) is the same as without the fault.
struct ClockSkewScenarioTests {
    @Test(.timeLimit(.minutes(3)))
    func aSkewedGatewayChangesNothingInTheRecord() async throws {
        let directory = TestKit.temporaryDirectory("skew-scenario")
        let original = try String(contentsOf: TestKit.file("simulators/basement-co.yaml"), encoding: .utf8)
        let skewed = original.replacingOccurrences(
            of: "  - id: gw-b2\n", with: "  - id: gw-b2\n    clock_skew_s: 120\n")
        #expect(skewed != original)
        let file = try TestKit.write(skewed, to: "basement-co-skewed.yaml", in: directory)
        let scenario = try SensorScenario.load(from: file)
        #expect(scenario.gateways.first { $0.id == "gw-b2" }?.clockSkew == 120)

        let plain = try await BasementCOTests.simulate()
        var logger = Logger(label: "sim")
        logger.logLevel = .critical
        let run = SimRun(
            scenarioFile: file, outputDirectory: TestKit.temporaryDirectory("sim-skew"),
            siteDirectory: TestKit.file("geo/mumianling"), logger: logger)
        let result = try await run.run()
        #expect(result.lines == plain.lines)
        #expect(result.hash == plain.hash)
    }
}
