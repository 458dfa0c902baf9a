import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink
@testable import patrol

/// `simulators/stress-1000.yaml`: a thousand devices, each on its own connection to one
/// coordinator; and `patrol sim --connect`, the devices of a scenario against a coordinator
/// started on its own, in real time.
@Suite(.serialized)
struct StressAndConnectTests {
    /// In a `patrol sim` process of its own: its thousand connections (and their descriptors)
    /// stay out of the test process, whose children are spawned by `ChildProcess`, which closes
    /// every descriptor but the standard streams in the child.
    @Test(.timeLimit(.minutes(5)))
    func aThousandDevicesAreServedAndNoneIsLost() async throws {
        let out = TestKit.temporaryDirectory("patrol-stress-1000")
        let run = try await CommandLineTests.run(["sim", "simulators/stress-1000.yaml", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("hash     fnv1a64:"))
        #expect(run.stdout.contains("fan      gw-b2/fan-b2-north on at"), "\(run.stdout)")
        let lines = try String(contentsOf: out.appendingPathComponent("sim-log.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let scenario = try SensorScenario.load(from: TestKit.file("simulators/stress-1000.yaml"))
        let devices = scenario.gateways.count + 1
        #expect(devices == 1000)
        #expect(lines.filter { $0.hasPrefix("registered ") }.count == devices)
        #expect(!lines.contains { $0.hasPrefix("lost ") || $0.hasPrefix("device-error") })
        let store = try PatrolStore(path: out.appendingPathComponent("patrol.sqlite").path)
        let expected = scenario.gateways.reduce(0) { $0 + $1.sensors } * (Int(scenario.duration / 60) + 1)
        #expect(try store.readingCount() == expected, "every reading stored once")
        #expect(try store.alerts().map(\.kind) == [.gas], "one incident: the car park's CO rise")
    }

    @Test(.timeLimit(.minutes(2)))
    func simulatedDevicesConnectInRealTimeToACoordinatorOfTheirOwn() async throws {
        let directory = TestKit.temporaryDirectory("connect")
        let scenarioFile = try TestKit.write(
            """
            id: connect-short
            seed: 3
            start: 2026-11-25T08:00:00+08:00
            duration_min: 0.1
            report_every_s: 2
            gateways:
              - id: gw-a
                count: 3
                sensors: 50
                kinds: [co, smoke]
                zones: [z1]
                building: tower
                floor: 1
            hive:
              id: hive-9
            """, to: "short.yaml", in: directory)
        var logger = Logger(label: "connect")
        logger.logLevel = .critical
        // The coordinator: its own context, the wall clock, a TCP port, as `patrol serve` runs it.
        let context = ZMQContext()
        defer { context.shutdown() }
        let store = try PatrolStore(path: directory.appendingPathComponent("p.sqlite").path)
        let server = try LinkServer(context: context, endpoint: "tcp://127.0.0.1:*", logger: logger)
        let coordinator = try Coordinator(store: store, link: server, clock: SystemClock(), logger: logger)
        let service = Task { await coordinator.run() }
        let before = Date()

        let (summary, wall) = try await SimConnect(
            scenarioFile: scenarioFile, endpoint: server.endpoint, keysDirectory: nil, serverKey: nil, logger: logger
        ).run()
        server.close()
        await service.value
        #expect(summary.gateways.count == 3)
        // 4 rounds (at 0, 2, 4 and 6 s) of 150 readings, each stored once.
        #expect(summary.readingsSent == 4 * 150)
        #expect(try store.readingCount() == 4 * 150)
        #expect(wall >= 5, "real time: 6 simulated seconds take about 6 s")
        // The devices' clock is the wall clock: no correction needed.
        let offset = try #require(await coordinator.clockOffset(of: "gw-a-1"))
        #expect(!offset.corrected)
        #expect(abs(offset.offset) < 2)
        #expect(Date().timeIntervalSince(before) < 60)
    }
}

/// `patrol sim --connect --keys DIR`: each simulated device speaks CURVE with its own pair.
@Suite(.enabled(if: CurveKeyPair.isSupported))
struct ConnectWithKeysTests {
    @Test(.timeLimit(.minutes(2)))
    func simulatedDevicesConnectWithTheirOwnKeys() async throws {
        let directory = TestKit.temporaryDirectory("connect-keys")
        let scenarioFile = try TestKit.write(
            """
            id: connect-keys
            start: 2026-11-25T08:00:00+08:00
            duration_min: 0.1
            report_every_s: 3
            gateways:
              - id: gw-k
                count: 2
                sensors: 10
                kinds: [co]
                zones: [z1]
                building: tower
                floor: 1
            """, to: "short.yaml", in: directory)
        let server = try CurveKeyPair.generate()
        try server.fileText(owner: "coordinator").write(
            to: directory.appendingPathComponent("coordinator.key"), atomically: true, encoding: .utf8)
        var devices: [String: String] = [:]
        for id in ["gw-k-1", "gw-k-2"] {
            let pair = try CurveKeyPair.generate()
            devices[id] = pair.publicKey
            try pair.fileText(owner: id).write(
                to: directory.appendingPathComponent("\(id).key"), atomically: true, encoding: .utf8)
        }
        var logger = Logger(label: "connect-keys")
        logger.logLevel = .critical
        let context = ZMQContext()
        defer { context.shutdown() }
        let allowlist = try DeviceAllowlist(devices: devices)
        let zap = try ZAPHandler(context: context, allowlist: allowlist, logger: logger)
        defer { zap.close() }
        var options = LinkOptions()
        options.security = .curveServer(server, domain: LinkSecurity.defaultDomain)
        let store = try PatrolStore(path: directory.appendingPathComponent("p.sqlite").path)
        let link = try LinkServer(
            context: context, endpoint: "tcp://127.0.0.1:*", logger: logger, options: options, allowlist: allowlist)
        let coordinator = try Coordinator(store: store, link: link, clock: SystemClock(), logger: logger)
        let service = Task { await coordinator.run() }

        let (summary, _) = try await SimConnect(
            scenarioFile: scenarioFile, endpoint: link.endpoint, keysDirectory: directory, serverKey: nil,
            logger: logger
        ).run()
        link.close()
        await service.value
        #expect(summary.readingsSent == 3 * 20)
        #expect(try store.readingCount() == 3 * 20)
        #expect(zap.statistics.accepted == 2)
        #expect(allowlist.refused == 0)
    }
}

/// The adversarial-device fault: malformed, replayed and oversized frames in the middle of a
/// scenario are each answered with an error, and the scenario's outcome is unchanged.
struct AdversaryScenarioTests {
    @Test(.timeLimit(.minutes(3)))
    func everyHostileFrameIsAnsweredAndTheOthersAreStillServed() async throws {
        let result = try await BasementCOTests.simulate("simulators/basement-co-adversary.yaml")
        let adversary = try #require(result.sensors?.adversary)
        let rounds = 15 / 1 + 1  // a round a minute over 15 minutes, from minute 0
        #expect(adversary.malformed == rounds)
        #expect(adversary.replayed == rounds - 1)  // each but the first replays the heartbeat of the step before
        #expect(adversary.oversized == 1)
        #expect(adversary.errorsReceived == adversary.attacks, "every hostile frame answered")
        #expect(adversary.errors == ["bad_frame": rounds + 1, "bad_value": rounds - 1])
        let store = try PatrolStore(path: result.database.path)
        #expect(try store.alerts().map(\.kind) == [.gas])
        #expect(result.sensors?.gateways["gw-b2"]?.switchedOn["fan-b2-north"] != nil)
        #expect(!result.lines.contains { $0.hasPrefix("lost ") })
        #expect(result.lines.contains { $0.hasPrefix("device-error rogue-cam bad_value: seq:") })
    }
}
