import Foundation
import PatrolGeo
import PatrolStore
import PatrolTestKit
import Testing

/// The `patrol` executable run as a real process, as an operator runs it.
@Suite(.serialized)
struct CommandLineTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The built `patrol` binary, next to the test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("patrol")
    }

    func patrol(_ arguments: String...) async throws -> Outcome {
        try await Self.run(arguments)
    }

    /// Runs the binary from the repository root with `arguments`, feeding `input` on standard input.
    static func run(_ arguments: [String], input: String? = nil) async throws -> Outcome {
        try await TestKit.offPool { try runBlocking(arguments, input: input) }
    }

    private static func runBlocking(_ arguments: [String], input: String?) throws -> Outcome {
        let process = ChildProcess()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = TestKit.repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        // Write from another thread so a big input cannot deadlock against a full stdout pipe.
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let stdout = PipeReading.readToEnd(out.fileHandleForReading)
        let stderr = PipeReading.readToEnd(err.fileHandleForReading)
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A copy of the default mission with `edit` applied, pointing at the real site.
    func mission(_ edit: (String) -> String) throws -> URL {
        let text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        return try TestKit.write(edit(text), to: "mission.yaml", in: TestKit.temporaryDirectory("patrol-cli"))
    }

    @Test func binaryIsBuilt() {
        #expect(
            FileManager.default.isExecutableFile(atPath: Self.binary.path), "no patrol binary at \(Self.binary.path)")
    }

    @Test(.timeLimit(.minutes(2)))
    func simPrintsTheSameHashTwiceThenTheRatio() async throws {
        var hashes: [String] = []
        for _ in 0..<2 {
            let out = TestKit.temporaryDirectory("patrol-sim").path
            let r = try await patrol("sim", "simulators/basement-co.yaml", "--out", out)
            #expect(r.status == 0, "\(r.stderr)")
            let last = r.stdout.split(separator: "\n").suffix(2)
            #expect(last.first?.hasPrefix("hash     fnv1a64:") == true, "\(r.stdout)")
            #expect(last.last?.hasPrefix("ratio    ") == true, "\(r.stdout)")
            hashes.append(String(last.first ?? ""))
        }
        #expect(hashes[0] == hashes[1])
    }

    @Test func validateAcceptsTheDefaultMission() async throws {
        let r = try await patrol("validate", "missions/hill-fire-patrol.yaml")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.hasPrefix("ok  ")
                && r.stdout.contains("missions/hill-fire-patrol.yaml: mission `hill-fire-patrol`"))
    }

    @Test(arguments: [
        ("yaml error", "speed_mps: 8", "speed_mps: [8", ":11:", "YAML syntax error"),
        (
            "unknown field", "speed_mps: 8", "speed_mps: 8\nspeed_kmh: 30", ":11:1: speed_kmh: unknown field",
            "expected one of"
        ),
        (
            "open polygon", "area: hill ",
            "area: [[114.131, 22.576], [114.134, 22.576], [114.134, 22.578], [114.131, 22.578]] ",
            ":6:", "does not close"
        ),
    ])
    func validateNamesFileLineAndField(name: String, find: String, replace: String, location: String, message: String)
        async throws
    {
        let file = try mission { $0.replacingOccurrences(of: find, with: replace) }
        let r = try await patrol("validate", file.path)
        #expect(r.status == 1, "\(name): exit \(r.status)")
        #expect(r.stderr.hasPrefix("error: \(file.path)\(location)"), "\(name): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(name): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func planWritesGeoJSON() async throws {
        let out = TestKit.temporaryDirectory("patrol-cli").appendingPathComponent("route.geojson")
        let r = try await patrol("plan", "missions/hill-fire-patrol.yaml", "--geojson", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sweep "))
        let features = try GeoJSON.features(from: Data(contentsOf: out), file: out.path)
        #expect(features.contains { $0.properties["role"] == "route" })
        #expect(features.filter { $0.properties["role"] == "waypoint" }.count > 10)
    }

    @Test(.timeLimit(.minutes(3)))
    func demoThenAlerts() async throws {
        let out = TestKit.temporaryDirectory("patrol-cli-demo")
        let demo = try await patrol("demo", "--out", out.path)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("alerts   1: alert-1"))
        #expect(demo.stdout.contains("report   \(out.path)/flight-"))
        let alerts = try await patrol("alerts", "--db", out.appendingPathComponent("patrol.sqlite").path)
        #expect(alerts.status == 0, "\(alerts.stderr)")
        #expect(alerts.stdout.contains("alert-1"))
        let missing = try await patrol("alerts", "--db", out.appendingPathComponent("nope.sqlite").path)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no database"))
    }

    @Test(.timeLimit(.minutes(3)))
    func alertCommandsDriveTheLifecycle() async throws {
        let out = TestKit.temporaryDirectory("patrol-cli-alerts")
        #expect(try await patrol("demo", "--out", out.path).status == 0)
        let db = out.appendingPathComponent("patrol.sqlite").path
        let list = try await patrol("alerts", "list", "--db", db, "--json")
        #expect(list.status == 0 && list.stdout.contains("\"id\" : \"alert-1\""), "\(list.stderr)")
        let show = try await patrol("alerts", "show", "alert-1", "--db", db)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(
            show.stdout.contains("responsible  hill-greening") && show.stdout.contains("street_enforcement"),
            "\(show.stdout)")
        #expect(try await patrol("alerts", "escalations", "--db", db).stdout.contains("reminder: every level"))

        let ack = try await patrol(
            "alerts", "ack", "alert-1", "--db", db, "--by", "mml-emergency", "--note", "team on the hill")
        #expect(
            ack.status == 0 && ack.stdout == "alert-1: acknowledged by mml-emergency; escalation stopped\n",
            "\(ack.stderr)")
        #expect(try await patrol("alerts", "escalations", "--db", db).stdout == "no pending escalations\n")
        let again = try await patrol("alerts", "ack", "alert-1", "--db", db, "--by", "mml-emergency")
        #expect(
            again.status == 1 && again.stderr.contains("cannot acknowledge an alert that is acknowledged"),
            "\(again.stderr)")
        let unknown = try await patrol("alerts", "resolve", "alert-99", "--db", db, "--by", "x")
        #expect(unknown.status == 1 && unknown.stderr.contains("no alert `alert-99`"))
        let nobody = try await patrol("alerts", "ack", "alert-1", "--db", db)
        #expect(nobody.status != 0 && nobody.stderr.contains("--by"))
        #expect(try await patrol("alerts", "resolve", "alert-1", "--db", db, "--by", "mml-emergency").status == 0)
        #expect(try await patrol("alerts", "show", "alert-1", "--db", db).stdout.contains("acknowledged -> resolved"))

        let figures = try await patrol("alerts", "figures", "--db", db)
        #expect(
            figures.status == 0 && figures.stdout.contains("\nfire ") && figures.stdout.contains("\nhill-greening "))

        let cap = out.appendingPathComponent("alert-1.xml")
        let export = try await patrol("alerts", "export", "--cap", "alert-1", "--db", db, "--out", cap.path)
        #expect(export.status == 0, "\(export.stderr)")
        let xml = try String(contentsOf: cap, encoding: .utf8)
        #expect(
            xml.contains("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">")
                && xml.contains("<category>Fire</category>"))
    }

    @Test func aBadPolicyFileNamesFileLineAndField() async throws {
        let out = TestKit.temporaryDirectory("patrol-cli-policy")
        let site = out.appendingPathComponent("site")
        try FileManager.default.copyItem(at: TestKit.file("geo/mumianling"), to: site)
        let policy = site.appendingPathComponent("escalation.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8).replacingOccurrences(
            of: "after_min: 30", with: "after_mins: 30")
        try text.write(to: policy, atomically: true, encoding: .utf8)
        let db = out.appendingPathComponent("patrol.sqlite").path
        _ = try PatrolStore(path: db)
        let r = try await patrol("alerts", "escalations", "--db", db, "--site", site.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(policy.path):10:5: levels[1].after_mins: unknown field"), "\(r.stderr)")
    }

    @Test func unknownScenarioFileIsAClearError() async throws {
        let r = try await patrol(
            "demo", "--scenario", "/nonexistent/scenario.yaml", "--out", TestKit.temporaryDirectory().path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/scenario.yaml: cannot read the file"))
    }
}
