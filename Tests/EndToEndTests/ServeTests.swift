import Foundation
import PatrolCoordinator
import PatrolStore
import PatrolTestKit
import Testing

/// `patrol serve` as deployed: the built binary as its own process, simulated drones as their own
/// processes connecting over CURVE, and operators driving it only through the CLI.
@Suite(.serialized)
struct ServeTests {
    /// Virtual seconds per real second for the simulated drones: the 15-minute hill patrol in about 90 s.
    static let pace = "10"

    /// A running child process whose output goes to files.
    final class Child: @unchecked Sendable {
        let process = ChildProcess()
        let log: URL

        init(_ arguments: [String], log: URL) throws {
            self.log = log
            process.executableURL = CommandLineTests.binary
            process.arguments = arguments
            process.currentDirectoryURL = TestKit.repositoryRoot
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Sends SIGTERM and waits for the exit status.
        func terminate() async throws -> Int32 {
            process.terminate()
            return try await TestKit.offPool {
                self.process.waitUntilExit()
                return self.process.terminationStatus
            }
        }

        deinit { if process.isRunning { process.terminate() } }
    }

    struct Site {
        var directory: URL
        var config: URL
        var keys: URL
        var operators: String
        var devices: String
    }

    /// Keys for the coordinator, two drones and three operators (and a stranger), and a config on ipc endpoints.
    func makeSite(onShutdown: String = "hold") async throws -> Site {
        let directory = TestKit.temporaryDirectory("patrol-serve")
        let keys = directory.appendingPathComponent("keys")
        for arguments in [
            ["coordinator", "--server"], ["drone-1"], ["drone-2"], ["alice", "--operator", "--role", "admin"],
            ["olga", "--operator", "--role", "operator"], ["vic", "--operator", "--role", "viewer"],
        ] {
            let r = try await CommandLineTests.run(["keys", "generate"] + arguments + ["--dir", keys.path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let stranger = try await CommandLineTests.run([
            "keys", "generate", "eve", "--dir", directory.appendingPathComponent("stranger").path,
        ])
        #expect(stranger.status == 0)
        let devices = "ipc://\(directory.path)/devices.ipc"
        let operators = "ipc://\(directory.path)/operators.ipc"
        let root = TestKit.repositoryRoot.path
        let config = try TestKit.write(
            """
            site: \(root)/geo/mumianling/site.yaml
            fleet: \(root)/geo/mumianling/fleet.yaml
            alerts: \(root)/geo/mumianling
            missions:
              - \(root)/missions/hill-fire-patrol.yaml
              - \(root)/missions/rooftop-thermal-patrol.yaml
            keys:
              coordinator: keys/coordinator.key
              devices: keys/devices.yaml
              operators: keys/operators.yaml
            database: out/patrol.sqlite
            reports: out/reports
            endpoints:
              devices: \(devices)
              operators: \(operators)
            on_shutdown: \(onShutdown)
            rate_limit_scale: 10           # the drones fly at 10 times real time
            command_timeout_s: 15
            """, to: "patrol.yaml", in: directory)
        return Site(directory: directory, config: config, keys: keys, operators: operators, devices: devices)
    }

    /// Runs an operator command as `name` and returns the outcome.
    func cli(_ site: Site, as name: String, _ arguments: [String], keyDirectory: URL? = nil, timeout: Int = 20)
        async throws -> CommandLineTests.Outcome
    {
        let key = (keyDirectory ?? site.keys).appendingPathComponent("\(name).key").path
        return try await CommandLineTests.run(
            arguments + [
                "--connect", site.operators, "--key", key, "--server-key",
                site.keys.appendingPathComponent("coordinator.key").path, "--timeout", "\(timeout)",
            ])
    }

    func status(_ site: Site) async throws -> StatusSnapshot? {
        let r = try await cli(site, as: "vic", ["status", "--json"])
        guard r.status == 0 else { return nil }
        return try JSONDecoder.operatorAPI.decode(OperatorResponse.self, from: Data(r.stdout.utf8)).status
    }

    /// Polls `status` until `condition` holds; fails after a generous real-time guard.
    func waitFor(
        _ what: String, _ site: Site, guard seconds: Double = 60, _ condition: (StatusSnapshot) -> Bool
    ) async throws -> StatusSnapshot {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if let snapshot = try await status(site), condition(snapshot) { return snapshot }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    func serve(_ site: Site, log name: String) throws -> Child {
        try Child(["serve", "--config", site.config.path], log: site.directory.appendingPathComponent(name))
    }

    func drone(_ site: Site, _ id: String) throws -> Child {
        try Child(
            [
                "device", "drone", "--connect", site.devices, "--key",
                site.keys.appendingPathComponent("\(id).key").path,
                "--server-key", site.keys.appendingPathComponent("coordinator.key").path, "--pace", Self.pace,
            ], log: site.directory.appendingPathComponent("\(id).log"))
    }

    @Test(.timeLimit(.minutes(5)))
    func operatorsDriveAServedFleetThroughTheCommandLine() async throws {
        let site = try await makeSite()
        var server = try serve(site, log: "serve-1.log")
        let drones = [try drone(site, "drone-1"), try drone(site, "drone-2")]
        defer { for d in drones where d.process.isRunning { d.process.terminate() } }
        _ = try await waitFor("both drones connected", site) { s in
            s.vehicles.filter { $0.kind == "drone" }.allSatisfy(\.connected)
        }

        // A viewer cannot launch; an unknown key gets nothing at all.
        let viewer = try await cli(site, as: "vic", ["launch", "hill-fire-patrol"])
        #expect(viewer.status == 1)
        #expect(viewer.stderr.contains("role not allowed"), "\(viewer.stderr)")
        let stranger = try await cli(
            site, as: "eve", ["status"], keyDirectory: site.directory.appendingPathComponent("stranger"), timeout: 3)
        #expect(stranger.status == 2)
        #expect(stranger.stdout.isEmpty)
        #expect(stranger.stderr.contains("no answer"), "\(stranger.stderr)")

        // Launch a sortie and see it progress.
        let launch = try await cli(site, as: "olga", ["launch", "hill-fire-patrol", "--vehicle", "drone-1"])
        #expect(launch.status == 0, "\(launch.stderr)")
        let a = try #require(
            launch.stdout.split(separator: "\n").first { $0.hasPrefix("sortie ") }?.split(separator: " ").last
                .map(String.init))
        var snapshot = try await waitFor("sortie \(a) under way", site) { s in
            (s.sorties.first { $0.id == a }?.waypoint ?? 0) >= 2
        }
        #expect(snapshot.vehicles.first { $0.id == "drone-1" }?.sortie == a)

        // Pause it, then resume it.
        let pause = try await cli(site, as: "olga", ["pause", a])
        #expect(pause.status == 0, "\(pause.stderr)")
        #expect(pause.stdout.contains("accepted by the vehicle"))
        let paused = try await waitFor("\(a) paused", site) { s in
            s.sorties.first { $0.id == a }?.vehicleState == "paused"
        }
        #expect(paused.sorties.first { $0.id == a }?.sortieState == "paused")
        let resume = try await cli(site, as: "olga", ["resume", a])
        #expect(resume.status == 0, "\(resume.stderr)")
        snapshot = try await waitFor("\(a) flying again", site) { s in
            let sortie = s.sorties.first { $0.id == a }
            return sortie?.vehicleState != "paused" && sortie?.control == "resume"
        }

        // Abort another over the estate: refused without confirmation, done with it.
        let other = try await cli(site, as: "olga", ["launch", "rooftop-thermal-patrol", "--vehicle", "drone-2"])
        #expect(other.status == 0, "\(other.stderr)")
        let b = try #require(
            other.stdout.split(separator: "\n").first { $0.hasPrefix("sortie ") }?.split(separator: " ").last
                .map(String.init))
        _ = try await waitFor("\(b) reporting", site) { s in s.sorties.first { $0.id == b }?.waypoint != nil }
        let unconfirmed = try await cli(site, as: "olga", ["abort", b])
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("confirmation needed"), "\(unconfirmed.stderr)")
        let abort = try await cli(site, as: "olga", ["abort", b, "--confirm"])
        #expect(abort.status == 0, "\(abort.stderr)")
        #expect(try await status(site)?.sorties.first { $0.id == b }?.sortieState == "aborted")

        // Restart mid-flight: the sortie is held, then taken back from the database.
        let before = try #require(try await status(site)?.sorties.first { $0.id == a })
        let exit = try await server.terminate()
        #expect(exit == 0, "\(server.output)")
        #expect(server.output.contains("sortie told at shutdown"), "\(server.output)")
        server = try serve(site, log: "serve-2.log")
        snapshot = try await waitFor("\(a) back after the restart", site) { s in
            s.sorties.first { $0.id == a }?.connected == true
        }
        #expect(server.output.contains("flight resumed from the record"), "\(server.output)")
        let held = try #require(snapshot.sorties.first { $0.id == a })
        #expect(held.control == "pause")
        #expect((held.waypoint ?? 0) >= (before.waypoint ?? 0))
        let again = try await cli(site, as: "alice", ["resume", a])
        #expect(again.status == 0, "\(again.stderr)")
        _ = try await waitFor("\(a) progressing after the restart", site) { s in
            (s.sorties.first { $0.id == a }?.waypoint ?? 0) > (held.waypoint ?? 0)
        }

        // A launch for later waits in the sortie queue, where status and schedule-show see it.
        let later = Date().addingTimeInterval(3600).formatted(.iso8601)
        let queued = try await cli(site, as: "olga", ["launch", "hill-fire-patrol", "--at", later])
        #expect(queued.status == 0, "\(queued.stderr)")
        #expect(queued.stdout.contains("queued"), "\(queued.stdout)")
        let show = try await cli(site, as: "vic", ["schedule-show"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("queued"), "\(show.stdout)")
        #expect(try await status(site)?.queue.count == 1)
        let apply = try await cli(site, as: "olga", ["schedule-apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("needs the admin role"), "\(apply.stderr)")

        // Everything that acted, and every refusal, is in the audit log with who and when.
        #expect(try await server.terminate() == 0)
        let store = try PatrolStore(path: site.directory.appendingPathComponent("out/patrol.sqlite").path)
        let audit = try store.auditLog()
        #expect(audit.contains { $0.operatorName == "vic" && $0.command == "launch" && $0.outcome == "refused" })
        #expect(audit.contains { $0.operatorName == "olga" && $0.command == "pause" && $0.outcome == "ok" })
        #expect(
            audit.contains { $0.operatorName == "olga" && $0.command == "abort" && $0.args["confirm"] == "true" })
        #expect(audit.contains { $0.operatorName == "alice" && $0.role == "admin" && $0.command == "resume" })
        #expect(!audit.contains { $0.operatorName == "eve" })
    }

    @Test(.timeLimit(.minutes(3)))
    func aReturnPolicySendsSortiesHomeAtShutdown() async throws {
        let site = try await makeSite(onShutdown: "return")
        let server = try serve(site, log: "serve.log")
        let drone = try drone(site, "drone-1")
        defer { if drone.process.isRunning { drone.process.terminate() } }
        _ = try await waitFor("drone-1 connected", site) { s in
            s.vehicles.first { $0.id == "drone-1" }?.connected == true
        }
        let launch = try await cli(site, as: "olga", ["launch", "hill-fire-patrol"])
        #expect(launch.status == 0, "\(launch.stderr)")
        let id = try #require(
            launch.stdout.split(separator: "\n").first { $0.hasPrefix("sortie ") }?.split(separator: " ").last
                .map(String.init))
        _ = try await waitFor("\(id) under way", site) { s in (s.sorties.first { $0.id == id }?.waypoint ?? 0) >= 2 }
        #expect(try await server.terminate() == 0)
        #expect(server.output.contains("command.action=return_to_hive"), "\(server.output)")
        #expect(server.output.contains("command.outcome=accepted"), "\(server.output)")
        // Nothing accepted was lost: the telemetry received before the stop is in the record.
        let store = try PatrolStore(path: site.directory.appendingPathComponent("out/patrol.sqlite").path)
        #expect(try store.telemetryCount(flightID: id) > 0)
        #expect(try store.commands(flightID: id).contains { $0.action == "return_to_hive" && $0.accepted == true })
    }
}
