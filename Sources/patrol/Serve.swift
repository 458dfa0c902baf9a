import ArgumentParser
import Dispatch
import Foundation
import Logging
import PatrolCoordinator
import PatrolModel

extension Patrol {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the coordinator as a long-running service: devices, operators, store.",
            discussion: """
                Reads the configuration (see deploy/patrol.yaml): site, fleet, launchable missions, keys, \
                database, endpoints and the shutdown policy. Starts the store, the device link (CURVE, \
                keys/devices.yaml), the coordinator (taking back flights in progress and open incidents from \
                the database), escalation of incidents (with alerts:) and the operator channel (CURVE, keys/operators.yaml), in that order. On SIGTERM or \
                SIGINT it stops them in reverse: sorties in the air are told to hold or return (on_shutdown), \
                buffered telemetry is written, and it exits 0. SIGHUP reloads the device and operator allowlists. \
                Logs go to standard error, one line per event.
                """)

        @Option(help: "The configuration file.")
        var config = "deploy/patrol.yaml"

        @Flag(help: "Check the configuration and the files it names, then exit.")
        var check = false

        func run() async throws {
            let configuration: ServeConfiguration
            let setup: ServeSetup
            do {
                configuration = try ServeConfiguration.load(from: URL(fileURLWithPath: config))
                setup = try ServeSetup.load(configuration)
            } catch {
                throw fail(error)
            }
            if check {
                print(
                    "config   \(config): site \(setup.site.id), \(setup.fleet.drones.count) drones, "
                        + "missions \(setup.missions.keys.sorted().joined(separator: ", "))")
                return
            }
            let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "patrol.serve")
            let server = PatrolServer(
                configuration: configuration, setup: setup, logger: logger,
                extensions: ServeObservability.extensions(configuration))

            // Signals are handled on a dispatch queue, not by the default action, so shutdown is graceful.
            let (stopRequests, stopContinuation) = AsyncStream.makeStream(of: Int32.self)
            var sources: [any DispatchSourceSignal] = []
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { stopContinuation.yield(number) }
                source.resume()
                sources.append(source)
            }
            // SIGHUP reloads the allowlists, as daemons reload their configuration.
            signal(SIGHUP, SIG_IGN)
            let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            hangup.setEventHandler {
                do { try server.reloadKeys() } catch {
                    logger.error("cannot reload the keys; the old lists stay", metadata: ["error": "\(error)"])
                }
            }
            hangup.resume()
            sources.append(hangup)
            defer { sources.forEach { $0.cancel() } }

            do {
                try await server.start()
            } catch {
                throw fail(error)
            }
            logger.notice(
                "serving",
                metadata: [
                    "devices.endpoint": "\(server.deviceEndpoint ?? "?")",
                    "operators.endpoint": "\(server.operatorEndpoint ?? "?")",
                    "flights.resumed": "\(server.resumedFlights.joined(separator: ","))",
                    "pid": "\(ProcessInfo.processInfo.processIdentifier)",
                ])
            var iterator = stopRequests.makeAsyncIterator()
            let number = await iterator.next() ?? SIGTERM
            logger.notice(
                "shutting down",
                metadata: [
                    "signal": "\(number == SIGINT ? "SIGINT" : "SIGTERM")",
                    "policy": "\(configuration.onShutdown.rawValue)",
                ])
            await server.stop()
            logger.notice("stopped")
        }
    }
}
