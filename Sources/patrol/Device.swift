import ArgumentParser
import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolSim

extension Patrol {
    struct Device: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a simulated device as its own process against a running coordinator.",
            subcommands: [Drone.self])
    }
}

extension Patrol.Device {
    struct Drone: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A simulated hive drone that connects to `patrol serve` and flies the sorties it is given.",
            discussion: """
                Connects with CURVE (its own key pair, the coordinator's public key), says hello and waits in its \
                hive, heartbeating, for an operator's launch; flies each uploaded mission with the scenario's \
                drone, camera and fires on a clock PACE times faster than real time; obeys pause, resume, return \
                and abort; and waits for the next sortie. If the coordinator restarts, it says hello again and \
                goes on with its flight. Runs until stopped (or for --sorties sorties).
                """)

        @Option(help: "The coordinator's device endpoint.")
        var connect = "tcp://127.0.0.1:5555"

        @Option(help: "The drone's key pair (from `patrol keys generate ID`); its id is the file's name.")
        var key: String

        @Option(help: "The coordinator's public key: a key file with a `public:` line, or the key itself.")
        var serverKey = "keys/coordinator.key"

        @Option(help: "The drone's id (default: the key file's name).")
        var id: String?

        @Option(help: "The scenario with the drone's figures, the fires and the seed.")
        var scenario: String?

        @Option(help: "Virtual seconds flown per real second.")
        var pace: Double = 1

        @Option(help: "Stop after this many sorties (default: run until stopped).")
        var sorties: Int?

        @Flag(help: "Log every message exchange.")
        var verbose = false

        func validate() throws {
            guard pace > 0, pace <= 1000 else { throw ValidationError("--pace: 0 to 1000") }
        }

        func run() async throws {
            var logger = Logger(label: "patrol.device")
            logger.logLevel = verbose ? .debug : .notice
            do {
                let keyURL = URL(fileURLWithPath: key)
                let pair = try CurveKeyPair.load(from: keyURL)
                let serverPublic = try OperatorKeys.publicKey(serverKey)
                let identity = id ?? keyURL.deletingPathExtension().lastPathComponent
                var loadedScenario = try Scenario.load(
                    from: scenario.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.defaultScenario)
                loadedScenario.drone.id = identity
                let loaded = try Mission.load(from: loadedScenario.missionFile)
                guard let hive = loaded.site.hive(loaded.mission.hive) else {
                    throw CommandFailure("the scenario's mission names no hive of its site")
                }
                let context = ZMQContext()
                defer { context.shutdown() }
                var flown = 0
                print("device   \(identity) connecting to \(connect)")
                while sorties.map({ flown < $0 }) ?? true {
                    var options = LinkOptions()
                    options.security = .curveClient(pair, serverPublicKey: serverPublic)
                    let client = try LinkClient(
                        context: context, endpoint: connect, identity: identity, logger: logger, options: options)
                    defer { client.close() }
                    let clock = VirtualClock(start: Date())
                    let drone = try SimulatedDrone(
                        scenario: loadedScenario, camera: loaded.mission.camera, hive: hive, crs: loaded.site.crs,
                        clock: clock, link: client, logger: logger)
                    drone.pace = pace
                    drone.standbyHeartbeat = .seconds(1)
                    // Long enough to ride out a coordinator restart mid-flight.
                    drone.answerTimeout = .seconds(120)
                    let summary = try await drone.run()
                    flown += 1
                    print(
                        "sortie   \(summary.flightID ?? "?") landed: \(summary.telemetrySent) telemetry, "
                            + "\(summary.detectionsSent) detections, battery \(Int(summary.batteryRemaining * 100))%")
                    client.close()
                }
            } catch {
                throw fail(error)
            }
        }
    }
}
