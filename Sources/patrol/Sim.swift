import ArgumentParser
import Foundation
import Logging
import PatrolSim

extension Patrol {
    struct Sim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a simulation scenario and print its event log hash and speed.",
            discussion: """
                Runs a drone scenario as `patrol demo` does, or a sensor scenario (one with `gateways:`: sensor \
                gateways, their fans and a hive) against a real coordinator on a virtual clock. Writes the \
                canonical event log to OUT/sim-log.txt. The last two lines are the log's FNV-1a 64 hash (the same \
                for the same files and seed) and the simulated-to-wall time ratio.
                """)

        @Argument(help: "The scenario file, e.g. simulators/basement-co.yaml.")
        var scenario: String

        @Option(help: "Where the database and the log go.")
        var out: String = "patrol-out/sim"

        @Option(help: "The site folder with thresholds.yaml, responsibility.yaml and escalation.yaml.")
        var site: String?

        @Option(help: "For a day scenario (one with `fleet:`): simulate this many hours instead of its `duration_h`.")
        var hours: Double?

        @Flag(help: "Log every message exchange.")
        var verbose = false

        func run() async throws {
            var logger = Logger(label: "patrol")
            logger.logLevel = verbose ? .debug : .error
            let out = URL(fileURLWithPath: out)
            let run = SimRun(
                scenarioFile: URL(fileURLWithPath: scenario), outputDirectory: out,
                siteDirectory: site.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.locate("geo/mumianling"),
                logger: logger, hours: hours)
            let result = try await run.run()
            try (result.lines.joined(separator: "\n") + "\n").write(
                to: out.appendingPathComponent("sim-log.txt"), atomically: true, encoding: .utf8)
            for line in result.lines.suffix(12) { print(line) }
            if let sensors = result.sensors {
                let readings = sensors.readingsSent
                print(
                    String(
                        format: "sensors  %d readings from %d gateways in %.2f s of wall time: %.0f readings/s",
                        readings, sensors.gateways.count, result.wallSeconds, Double(readings) / result.wallSeconds))
                for (gateway, summary) in sensors.gateways.sorted(by: { $0.key < $1.key }) {
                    for (fan, at) in summary.switchedOn.sorted(by: { $0.key < $1.key }) {
                        print("fan      \(gateway)/\(fan) on at \(at.formatted(.iso8601))")
                    }
                }
            }
            print("log      \(result.lines.count) lines in \(out.appendingPathComponent("sim-log.txt").path)")
            print(String(format: "hash     fnv1a64:%016llx", result.hash))
            print(
                String(
                    format: "ratio    %.0fx simulated-to-wall (%.0f s simulated in %.2f s)",
                    result.simulated / result.wallSeconds, result.simulated, result.wallSeconds))
        }
    }
}
