import Foundation
import PatrolGeo
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

    func patrol(_ arguments: String...) throws -> Outcome {
        try Self.run(arguments)
    }

    /// Runs the binary from the repository root with `arguments`, feeding `input` on standard input.
    static func run(_ arguments: [String], input: String? = nil) throws -> Outcome {
        let process = Process()
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
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A copy of the default mission with `edit` applied, pointing at the real site.
    func mission(_ edit: (String) -> String) throws -> URL {
        let text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        return try TestKit.write(edit(text), to: "mission.yaml", in: TestKit.temporaryDirectory("patrol-cli"))
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "no patrol binary at \(Self.binary.path)")
    }

    @Test func validateAcceptsTheDefaultMission() throws {
        let r = try patrol("validate", "missions/hill-fire-patrol.yaml")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("ok  ") && r.stdout.contains("missions/hill-fire-patrol.yaml: mission `hill-fire-patrol`"))
    }

    @Test(arguments: [
        ("yaml error", "speed_mps: 8", "speed_mps: [8", ":11:", "YAML syntax error"),
        ("unknown field", "speed_mps: 8", "speed_mps: 8\nspeed_kmh: 30", ":11:1: speed_kmh: unknown field", "expected one of"),
        (
            "open polygon", "area: hill ", "area: [[114.131, 22.576], [114.134, 22.576], [114.134, 22.578], [114.131, 22.578]] ",
            ":6:", "does not close"
        ),
    ])
    func validateNamesFileLineAndField(name: String, find: String, replace: String, location: String, message: String) throws {
        let file = try mission { $0.replacingOccurrences(of: find, with: replace) }
        let r = try patrol("validate", file.path)
        #expect(r.status == 1, "\(name): exit \(r.status)")
        #expect(r.stderr.hasPrefix("error: \(file.path)\(location)"), "\(name): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(name): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func planWritesGeoJSON() throws {
        let out = TestKit.temporaryDirectory("patrol-cli").appendingPathComponent("route.geojson")
        let r = try patrol("plan", "missions/hill-fire-patrol.yaml", "--geojson", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sweep "))
        let features = try GeoJSON.features(from: Data(contentsOf: out), file: out.path)
        #expect(features.contains { $0.properties["role"] == "route" })
        #expect(features.filter { $0.properties["role"] == "waypoint" }.count > 10)
    }

    @Test(.timeLimit(.minutes(3)))
    func demoThenAlerts() throws {
        let out = TestKit.temporaryDirectory("patrol-cli-demo")
        let demo = try patrol("demo", "--out", out.path)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("alerts   1: alert-1"))
        #expect(demo.stdout.contains("report   \(out.path)/flight-"))
        let alerts = try patrol("alerts", "--db", out.appendingPathComponent("patrol.sqlite").path)
        #expect(alerts.status == 0, "\(alerts.stderr)")
        #expect(alerts.stdout.contains("alert-1"))
        let missing = try patrol("alerts", "--db", out.appendingPathComponent("nope.sqlite").path)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no database"))
    }

    @Test func unknownScenarioFileIsAClearError() throws {
        let r = try patrol("demo", "--scenario", "/nonexistent/scenario.yaml", "--out", TestKit.temporaryDirectory().path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/scenario.yaml: cannot read the file"))
    }
}
