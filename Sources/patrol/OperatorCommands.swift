import ArgumentParser
import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolLink

/// Reading the coordinator's public key: from a key file's `public:` line, or given as is.
enum OperatorKeys {
    static func publicKey(_ fileOrKey: String) throws -> String {
        if fileOrKey.count == 40, !FileManager.default.fileExists(atPath: fileOrKey) {
            try CurveKeyPair.check(fileOrKey, what: "server key")
            return fileOrKey
        }
        let text: String
        do {
            text = try String(contentsOfFile: fileOrKey, encoding: .utf8)
        } catch {
            throw CommandFailure("\(fileOrKey): cannot read the coordinator's key: \(error.localizedDescription)")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("public:") {
            let key = line.dropFirst("public:".count).trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            try CurveKeyPair.check(key, what: "\(fileOrKey): public")
            return key
        }
        throw CommandFailure("\(fileOrKey): no `public:` line")
    }
}

/// How an operator command reaches the coordinator: endpoint, the operator's key pair, the
/// coordinator's public key. Each falls back to an environment variable.
struct OperatorConnection: ParsableArguments {
    @Option(help: "The coordinator's operator endpoint (env PATROL_CONNECT; default tcp://127.0.0.1:5556).")
    var connect: String?

    @Option(help: "Your operator key pair, from `patrol keys generate NAME --operator` (env PATROL_KEY).")
    var key: String?

    @Option(
        help: "The coordinator's public key: a file with a `public:` line, or the key (env PATROL_SERVER_KEY).")
    var serverKey: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 20

    @Flag(help: "Print the coordinator's answer as JSON.")
    var json = false

    /// Sends one request and returns the answer, or throws when none comes.
    func request(_ command: String, _ args: [String: String] = [:]) async throws -> OperatorResponse {
        let environment = ProcessInfo.processInfo.environment
        let endpoint = connect ?? environment["PATROL_CONNECT"] ?? "tcp://127.0.0.1:5556"
        guard let keyFile = key ?? environment["PATROL_KEY"] else {
            throw CommandFailure("no operator key: pass --key FILE or set PATROL_KEY")
        }
        let pair = try CurveKeyPair.load(from: URL(fileURLWithPath: keyFile))
        let serverPublic = try OperatorKeys.publicKey(
            serverKey ?? environment["PATROL_SERVER_KEY"] ?? ProjectFiles.locate("keys/coordinator.key").path)
        var logger = Logger(label: "patrol.operator")
        logger.logLevel = .error
        let context = ZMQContext()
        defer { context.shutdown() }
        let client = try OperatorClient(
            context: context, endpoint: endpoint, keys: pair, serverPublicKey: serverPublic, logger: logger)
        defer { client.close() }
        let id = UUID().uuidString.lowercased()
        let body = try JSONEncoder.operatorAPI.encode(OperatorRequest(id: id, command: command, args: args))
        let reply = try await client.request(Array(body), timeout: .seconds(timeout))
        let response = try JSONDecoder.operatorAPI.decode(OperatorResponse.self, from: Data(reply))
        guard response.id == id || response.id.isEmpty else {
            throw CommandFailure("the answer is for another request (\(response.id))")
        }
        return response
    }

    /// Sends, prints the outcome, and exits 1 on a refusal (2 when no answer came).
    func perform(_ command: String, _ args: [String: String]) async throws -> OperatorResponse {
        let response: OperatorResponse
        do {
            response = try await request(command, args)
        } catch let error as LinkError where error.code == .timeout {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(2)
        } catch {
            throw fail(error)
        }
        if json {
            let encoder = JSONEncoder.operatorAPI
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(response), as: UTF8.self))
        }
        guard response.ok else {
            FileHandle.standardError.write(Data("refused: \(response.reason ?? "no reason given")\n".utf8))
            throw ExitCode.failure
        }
        if !json, let message = response.message { print("ok       \(message)") }
        return response
    }
}

extension Patrol {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fleet, hives and weather, sorties in flight and open incidents, from a running coordinator.")

        @OptionGroup var connection: OperatorConnection

        func run() async throws {
            let response = try await connection.perform("status", [:])
            guard !connection.json, let status = response.status else { return }
            let time = status.time.formatted(.iso8601)
            print("site     \(status.site) at \(time) (you: \(response.operatorName ?? "?"), \(response.role ?? "?"))")
            for v in status.vehicles {
                let link = v.connected ? "connected" : "not connected"
                print(
                    "vehicle  \(v.id.padded(10)) \(v.kind.padded(6)) \((v.hive ?? "-").padded(8)) "
                        + "\(v.state.padded(12)) \(link.padded(14)) \(v.sortie.map { "sortie \($0)" } ?? "idle")")
            }
            for h in status.hives {
                var weather = "no weather report"
                if let wind = h.windSpeed, let rain = h.rain, let temperature = h.temperature {
                    weather = String(format: "wind %.1f m/s, rain %.1f mm/h, %.0f °C", wind, rain, temperature)
                }
                print(
                    "hive     \(h.id.padded(10)) \(h.state.padded(12)) \(weather); "
                        + (h.outsideLimits.map { "OUTSIDE LIMITS: \($0)" } ?? "within limits"))
            }
            if status.sorties.isEmpty { print("sorties  none in flight") }
            for s in status.sorties {
                let progress = String(format: "%3.0f%%", s.progress * 100)
                let waypoint = s.waypoint.map { "wp \($0)/\(s.waypoints)" } ?? "no telemetry yet"
                let battery = s.battery.map { String(format: "battery %.0f%%", $0 * 100) } ?? ""
                print(
                    "sortie   \(s.id) \(s.vehicle) \(s.status) \(s.vehicleState ?? "-") "
                        + "\(progress) \(waypoint) \(battery)"
                        + (s.control.map { " control \($0)" } ?? "") + (s.connected ? "" : " (vehicle not connected)"))
            }
            for q in status.queue {
                print(
                    "queued   \(q.id) \(q.missionID) on \(q.vehicle ?? "any") at \(q.plannedLaunch.formatted(.iso8601))"
                        + (q.reason.map { " (\($0))" } ?? ""))
            }
            if status.incidents.isEmpty { print("incidents none open") }
            for i in status.incidents {
                print(
                    String(
                        format: "incident %@ %@ %@ at %.6f,%.6f confidence %.2f%@", i.id, i.kind, i.state,
                        i.position.lon, i.position.lat, i.confidence, i.confirmed ? " confirmed" : ""))
            }
        }
    }

    struct Launch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Launch a mission on a running coordinator, now or at a time.",
            discussion: """
                Refused with the reason when the vehicle is not ready (not connected, flying, in maintenance), the \
                weather at its hive is outside limits (an admin may --override-weather --confirm), or the route \
                breaks the geofence. Needs the operator role.
                """)

        @Argument(help: "The mission id (see `patrol status`).")
        var mission: String

        @Option(help: "The vehicle (default: the first free connected drone of the mission's hive).")
        var vehicle: String?

        @Option(help: "When: an ISO 8601 time, or HH:MM today in the fleet's time zone (default: now).")
        var at: String?

        @Flag(help: "Launch although the weather is outside the hive's limits (admin; needs --confirm).")
        var overrideWeather = false

        @Flag(help: "Confirm a dangerous command.")
        var confirm = false

        @OptionGroup var connection: OperatorConnection

        func run() async throws {
            var args = ["mission": mission]
            if let vehicle { args["vehicle"] = vehicle }
            if let at { args["at"] = at }
            if overrideWeather { args["override_weather"] = "true" }
            if confirm { args["confirm"] = "true" }
            let response = try await connection.perform("launch", args)
            if !connection.json, let sortie = response.sortie { print("sortie   \(sortie)") }
        }
    }

    struct SortieCommand: ParsableArguments {
        @Argument(help: "The sortie (see `patrol status`).")
        var sortie: String

        @Flag(help: "Confirm a dangerous command (abort over a populated area).")
        var confirm = false

        @OptionGroup var connection: OperatorConnection

        func send(_ command: String) async throws {
            var args = ["sortie": sortie]
            if confirm { args["confirm"] = "true" }
            _ = try await connection.perform(command, args)
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hold a sortie where it is (operator role).")
        @OptionGroup var options: SortieCommand
        func run() async throws { try await options.send("pause") }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a held sortie (operator role).")
        @OptionGroup var options: SortieCommand
        func run() async throws { try await options.send("resume") }
    }

    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "return", abstract: "Send a sortie back to its hive (operator role).")
        @OptionGroup var options: SortieCommand
        func run() async throws { try await options.send("return") }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Abort a sortie (operator role); over the site or a tower it needs --confirm.")
        @OptionGroup var options: SortieCommand
        func run() async throws { try await options.send("abort") }
    }
}
