import ArgumentParser
import Foundation
import Logging
import PatrolSim

extension Patrol {
    struct Sim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a simulation scenario and print its event log hash and speed.",
            discussion: """
                Runs a drone scenario as `patrol demo` does, a sensor scenario (one with `gateways:`: sensor \
                gateways, their fans and a hive) or a ground robot scenario (one with `robot:`: a robot round with \
                gas leaks, blocked paths and objects to find) against a real coordinator on a virtual clock. Writes the \
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

        @Option(
            help: ArgumentHelp(
                "Field-test mode: connect the scenario's devices in real time to a coordinator already listening here.",
                valueName: "tcp://HOST:PORT"))
        var connect: String?

        @Option(help: "With --connect: speak CURVE, each device with DIR/DEVICE.key (patrol keys generate DEVICE).")
        var keys: String?

        @Option(
            help: "With --keys: the coordinator's public key (Z85); default: the public line of DIR/coordinator.key.")
        var serverKey: String?

        func run() async throws {
            var logger = Logger(label: "patrol")
            logger.logLevel = verbose ? .debug : .error
            if let connect {
                logger.logLevel = verbose ? .debug : .warning
                try await runConnected(to: connect, logger: logger)
                return
            }
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
            if let robot = result.robot { Self.printRobot(robot) }
            print("log      \(result.lines.count) lines in \(out.appendingPathComponent("sim-log.txt").path)")
            print(String(format: "hash     fnv1a64:%016llx", result.hash))
            print(
                String(
                    format: "ratio    %.0fx simulated-to-wall (%.0f s simulated in %.2f s)",
                    result.simulated / result.wallSeconds, result.simulated, result.wallSeconds))
        }
    }
}

extension Patrol.Sim {
    /// `--connect`: real time against a separately started coordinator; prints what the devices did.
    func runConnected(to endpoint: String, logger: Logger) async throws {
        let connect = SimConnect(
            scenarioFile: URL(fileURLWithPath: scenario), endpoint: endpoint,
            keysDirectory: keys.map { URL(fileURLWithPath: $0) }, serverKey: serverKey, logger: logger)
        let (summary, wall) = try await connect.run()
        for (id, gateway) in summary.gateways.sorted(by: { $0.key < $1.key }).prefix(20) {
            print(
                "device   \(id): \(gateway.readingsSent) readings in \(gateway.batchesSent) batches, "
                    + "\(gateway.resends) resent, \(gateway.switchedOn.count) actuators switched on, "
                    + "\(gateway.refusedCommands) commands refused")
        }
        if summary.gateways.count > 20 { print("device   … \(summary.gateways.count - 20) more gateways") }
        print("hive     \(summary.hiveStatuses) statuses")
        print(
            String(
                format: "connect  %d devices, %d readings, %.0f s simulated in %.1f s of wall time",
                summary.gateways.count + (summary.hiveStatuses > 0 ? 1 : 0), summary.readingsSent, summary.simulated,
                wall))
    }
}
