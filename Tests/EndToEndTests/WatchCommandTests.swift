import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolSim
import PatrolTestKit
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `patrol watch` as an operator runs it, against `patrol serve-test` in another process: it
/// waits through a coordinator that is not there yet ("reconnecting…"), then shows the sortie's
/// progress and its incident as a simulated drone flies.
@Suite(.serialized)
struct WatchCommandTests {
    /// A child process whose standard output is read as it comes.
    final class Child: Sendable {
        let process: ChildProcess
        private final class Output: Sendable {
            let text = Mutex<String>("")
        }

        private let output = Output()

        init(_ arguments: [String]) throws {
            let process = ChildProcess()
            process.executableURL = CommandLineTests.binary
            process.arguments = arguments
            process.currentDirectoryURL = TestKit.repositoryRoot
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            self.process = process
            let handle = pipe.fileHandleForReading
            let output = output
            let reader = Thread {
                while true {
                    let data = PipeReading.readSome(handle)
                    if data.isEmpty { return }
                    output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
                }
            }
            reader.start()
        }

        var text: String { output.text.withLock { $0 } }

        /// Waits (30 s at most, a hang guard) until the output contains `needle`.
        func waitFor(_ needle: String, within seconds: Double = 30) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while !text.contains(needle) {
                if Date() > deadline { return false }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return true
        }

        func exitStatus() async throws -> Int32 {
            let process = process
            return try await TestKit.offPool {
                process.waitUntilExit()
                return process.terminationStatus
            }
        }

        func stop() { if process.isRunning { process.terminate() } }
    }

    /// A loopback TCP port free right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        struct NoFreePort: Error {}
        guard ok else { throw NoFreePort() }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test(.timeLimit(.minutes(3)))
    func watchWaitsForTheCoordinatorThenShowsSortieProgressAndTheIncident() async throws {
        let port = try Self.freePort()
        let events = "tcp://127.0.0.1:\(port)"
        let directory = TestKit.temporaryDirectory("patrol-watch")
        let link = "ipc://\(directory.path)/link"

        let watch = try Child([
            "watch", "--connect", events, "--plain", "--silence", "1", "--until", "sortie.landed", "--timeout", "150",
        ])
        defer { watch.stop() }
        // Nothing serves the stream yet: the view says so and keeps trying.
        #expect(await watch.waitFor("reconnecting…"), "\(watch.text)")

        let serve = try Child([
            "serve-test", "--endpoint", link, "--out", directory.appendingPathComponent("out").path, "--events",
            events, "--metrics", "127.0.0.1:0", "--timeout", "120", "--linger", "1",
        ])
        defer { serve.stop() }
        #expect(await serve.waitFor("metrics  http://"), "\(serve.text)")
        // Its first heartbeat after the silence: connected (it never was before).
        #expect(await watch.waitFor("stream   connected"), "\(watch.text)")

        // The simulated drone, as a separate peer over IPC.
        var logger = Logger(label: "watch-e2e")
        logger.logLevel = .critical
        let scenario = try Scenario.load(from: TestKit.defaultScenario)
        let loaded = try Mission.load(from: scenario.missionFile)
        let hive = try #require(loaded.site.hive(loaded.mission.hive))
        let context = ZMQContext()
        defer { context.shutdown() }
        let client = try LinkClient(context: context, endpoint: link, identity: scenario.drone.id, logger: logger)
        defer { client.close() }
        let drone = try SimulatedDrone(
            scenario: scenario, camera: loaded.mission.camera, hive: hive, crs: loaded.site.crs,
            clock: VirtualClock(start: scenario.start), link: client, logger: logger)
        _ = try await drone.run()

        #expect(try await watch.exitStatus() == 0, "\(watch.text)")
        #expect(try await serve.exitStatus() == 0, "\(serve.text)")
        let lines = watch.text.split(separator: "\n")
        #expect(lines.contains { $0.contains("device   drone-1 online") }, "\(watch.text)")
        #expect(lines.contains { $0.contains("uploaded to drone-1") })
        let bars = lines.filter { $0.contains("sortie") && $0.contains("waypoint") && $0.contains("[") }
        #expect(bars.count > 5)
        #expect(bars.contains { $0.contains("[####") })
        #expect(lines.contains { $0.contains("incident alert-1 opened") }, "\(watch.text)")
        #expect(lines.contains { $0.contains("telemetry drone-1") && $0.contains("battery") })
        #expect(lines.last?.contains("landed") == true, "\(lines.suffix(3))")
    }

    /// Runs `patrol keys generate NAME` in `directory`; returns the key file.
    static func key(_ name: String, in directory: URL, server: Bool = false) async throws -> URL {
        let r = try await CommandLineTests.run(
            ["keys", "generate", name, "--dir", directory.path] + (server ? ["--server"] : []))
        #expect(r.status == 0, "\(r.stderr)")
        return directory.appendingPathComponent("\(name).key")
    }

    @Test(.timeLimit(.minutes(3)))
    func overCurveAListedSubscriberWatchesAndAStrangerGetsNothing() async throws {
        let directory = TestKit.temporaryDirectory("patrol-watch-curve")
        let keys = directory.appendingPathComponent("keys")
        let coordinatorKey = try await Self.key("coordinator", in: keys, server: true)
        let droneKey = try await Self.key("drone-1", in: keys)
        // Subscribers live in a list of their own, in the allowlist's format.
        let viewers = directory.appendingPathComponent("viewers")
        let viewerKey = try await Self.key("viewer-1", in: viewers)
        try FileManager.default.copyItem(
            at: viewers.appendingPathComponent("devices.yaml"), to: keys.appendingPathComponent("subscribers.yaml"))
        let strangerKey = try await Self.key("stranger", in: directory.appendingPathComponent("strangers"))

        let events = "tcp://127.0.0.1:\(try Self.freePort())"
        let link = "ipc://\(directory.path)/link"
        let serve = try Child([
            "serve-test", "--endpoint", link, "--out", directory.appendingPathComponent("out").path, "--keys",
            keys.path, "--events", events, "--timeout", "120", "--linger", "1",
        ])
        defer { serve.stop() }
        #expect(await serve.waitFor("events   "), "\(serve.text)")
        let viewer = try Child([
            "watch", "--connect", events, "--key", viewerKey.path, "--server-key", coordinatorKey.path, "--plain",
            "--until", "sortie.landed", "--timeout", "150",
        ])
        defer { viewer.stop() }
        let stranger = try Child([
            "watch", "--connect", events, "--key", strangerKey.path, "--server-key", coordinatorKey.path, "--plain",
            "--silence", "1", "--until", "sys.", "--timeout", "6",
        ])
        defer { stranger.stop() }
        #expect(await viewer.waitFor("stream   connected"), "\(viewer.text)")

        var logger = Logger(label: "watch-curve")
        logger.logLevel = .critical
        let scenario = try Scenario.load(from: TestKit.defaultScenario)
        let loaded = try Mission.load(from: scenario.missionFile)
        let hive = try #require(loaded.site.hive(loaded.mission.hive))
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.security = .curveClient(
            try CurveKeyPair.load(from: droneKey),
            serverPublicKey: try CurveKeyPair.load(from: coordinatorKey).publicKey)
        let client = try LinkClient(
            context: context, endpoint: link, identity: scenario.drone.id, logger: logger, options: options)
        defer { client.close() }
        let drone = try SimulatedDrone(
            scenario: scenario, camera: loaded.mission.camera, hive: hive, crs: loaded.site.crs,
            clock: VirtualClock(start: scenario.start), link: client, logger: logger)
        _ = try await drone.run()

        #expect(try await viewer.exitStatus() == 0, "\(viewer.text)")
        #expect(viewer.text.contains("incident alert-1 opened"), "\(viewer.text)")
        #expect(viewer.text.contains("[####"))
        // The stranger heard not even a heartbeat in all that time: it gave up at its timeout.
        #expect(try await stranger.exitStatus() != 0, "\(stranger.text)")
        let heard = stranger.text.split(separator: "\n").filter {
            !$0.hasPrefix("stream   ") && !$0.hasPrefix("error:")
        }
        #expect(heard.isEmpty, "\(stranger.text)")
        #expect(stranger.text.contains("reconnecting…"))
        #expect(try await serve.exitStatus() == 0, "\(serve.text)")
    }

    @Test(.timeLimit(.minutes(3)))
    func watchSurvivesACoordinatorRestart() async throws {
        let events = "tcp://127.0.0.1:\(try Self.freePort())"
        let directory = TestKit.temporaryDirectory("patrol-watch-restart")
        let link = "ipc://\(directory.path)/link"
        func serve(_ name: String) throws -> Child {
            try Child([
                "serve-test", "--endpoint", link, "--out", directory.appendingPathComponent(name).path, "--events",
                events, "--timeout", "120", "--linger", "1",
            ])
        }
        let first = try serve("first")
        defer { first.stop() }
        #expect(await first.waitFor("events   "), "\(first.text)")
        let watch = try Child([
            "watch", "--connect", events, "--plain", "--silence", "1.5", "--until", "sortie.landed", "--timeout", "150",
        ])
        defer { watch.stop() }
        #expect(await watch.waitFor("stream   connected"), "\(watch.text)")

        // The coordinator goes away mid-session; the view notices the silence.
        first.process.terminate()
        _ = try await first.exitStatus()
        #expect(await watch.waitFor("reconnecting…"), "\(watch.text)")

        // A new coordinator on the same endpoints: the subscription comes back by itself.
        let second = try serve("second")
        defer { second.stop() }
        #expect(await watch.waitFor("stream   back"), "\(watch.text)")
        #expect(await watch.waitFor("the coordinator restarted"), "\(watch.text)")

        var logger = Logger(label: "watch-restart")
        logger.logLevel = .critical
        let scenario = try Scenario.load(from: TestKit.defaultScenario)
        let loaded = try Mission.load(from: scenario.missionFile)
        let hive = try #require(loaded.site.hive(loaded.mission.hive))
        let context = ZMQContext()
        defer { context.shutdown() }
        let client = try LinkClient(context: context, endpoint: link, identity: scenario.drone.id, logger: logger)
        defer { client.close() }
        let drone = try SimulatedDrone(
            scenario: scenario, camera: loaded.mission.camera, hive: hive, crs: loaded.site.crs,
            clock: VirtualClock(start: scenario.start), link: client, logger: logger)
        _ = try await drone.run()

        #expect(try await watch.exitStatus() == 0, "\(watch.text)")
        #expect(watch.text.contains("incident alert-1 opened"), "\(watch.text)")
        #expect(try await second.exitStatus() == 0, "\(second.text)")
    }
}
