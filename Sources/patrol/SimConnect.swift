import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolSim

/// A field test of a separately started coordinator: the simulated devices of a sensor scenario
/// connect to `endpoint` (over TCP from another process or machine) and run in real time, the
/// virtual clock paced by the wall clock and started at the current time, so their timestamps
/// are the coordinator's time. With `keys`, each device speaks CURVE with `DIR/DEVICE.key` (as
/// `patrol keys generate DEVICE` writes it) against the coordinator's public key.
struct SimConnect {
    var scenarioFile: URL
    var endpoint: String
    var keysDirectory: URL?
    /// The coordinator's public key (Z85); by default the `public:` line of `DIR/coordinator.key`.
    var serverKey: String?
    var logger: Logger

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws -> (SensorSimulation.Summary, wallSeconds: Double) {
        guard SensorScenario.describesSensors(scenarioFile) else {
            throw Failure(
                description: """
                    \(scenarioFile.path): --connect runs sensor scenarios (with `gateways:`); a drone scenario's \
                    flight is planned by the coordinator it connects to, so fly it with `patrol demo` or `serve-test`
                    """)
        }
        var scenario = try SensorScenario.load(from: scenarioFile)
        // Whole milliseconds, as on the wire; the devices' clock is the wall clock from here on.
        let now = Date()
        scenario.start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded(.up) / 1000)
        let options = try deviceOptions()
        let clock = VirtualClock(start: scenario.start)
        let context = ZMQContext()
        defer { context.shutdown() }
        let began = ContinuousClock.now
        let wallStart = scenario.start
        logger.notice(
            "connecting the scenario's devices in real time",
            metadata: ["link.endpoint": "\(endpoint)", "sim.scenario": "\(scenario.id)"])
        let summary = try await SensorSimulation(scenario: scenario, logger: logger)
            .run(
                context: context, endpoint: endpoint, clock: clock, options: options,
                pace: { time in
                    let wait = time.timeIntervalSince(Date())
                    if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                },
                step: { time in
                    let behind = Date().timeIntervalSince(time)
                    if behind > 1 {
                        logger.warning(
                            "devices are behind real time: the coordinator answers slowly",
                            metadata: ["sim.behind": "\(String(format: "%.1f", behind))", "sim.start": "\(wallStart)"])
                    }
                })
        return (summary, (ContinuousClock.now - began).seconds)
    }

    /// Plain text without keys; CURVE with each device's own pair with them.
    private func deviceOptions() throws -> (String) throws -> LinkOptions {
        guard let keysDirectory else {
            if serverKey != nil { throw Failure(description: "--server-key needs --keys DIR with the devices' pairs") }
            return { _ in LinkOptions() }
        }
        let server = try serverKey ?? Self.publicKey(in: keysDirectory.appendingPathComponent("coordinator.key"))
        return { device in
            let pair = try CurveKeyPair.load(from: keysDirectory.appendingPathComponent("\(device).key"))
            var options = LinkOptions()
            options.security = .curveClient(pair, serverPublicKey: server)
            return options
        }
    }

    /// The `public:` half of a key file.
    static func publicKey(in file: URL) throws -> String {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw Failure(description: "\(file.path): cannot read the coordinator's key; give --server-key")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("public:") {
            return line.dropFirst("public:".count).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        }
        throw Failure(description: "\(file.path): no `public:` line")
    }
}
