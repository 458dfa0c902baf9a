import ArgumentParser
import Foundation
import Logging
import PatrolLink

#if canImport(Glibc)
    import Glibc
#endif

extension Patrol {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Watch a coordinator live: devices, sorties with progress bars, incident events.",
            discussion: """
                Subscribes to the coordinator's event stream (docs/events.md). On a terminal it redraws a view of \
                devices (state, battery), sorties (progress bars) and the latest incident events; otherwise, or \
                with --plain, it prints one line per event. It survives a coordinator restart: the subscription \
                reconnects by itself, and when no heartbeat has come for --silence seconds it says \
                "reconnecting…" until the stream is back.
                """)

        @Option(help: "The coordinator's event stream.")
        var connect = "tcp://127.0.0.1:5557"

        @Option(help: "Your CURVE key pair file (`patrol keys generate NAME`); without it the stream is plaintext.")
        var key: String?

        @Option(help: "The coordinator's public key: Z85 text or a key file (default: coordinator.key beside --key).")
        var serverKey: String?

        @Flag(help: "One line per event, no redrawing (the default when standard output is not a terminal).")
        var plain = false

        @Option(help: "Topic prefixes to show, comma-separated (e.g. incident.,sortie.); all by default.")
        var topics: String?

        @Option(help: "Seconds without a heartbeat before the stream counts as lost.")
        var silence: Double = 3

        @Option(help: "Exit 0 after the first event whose topic starts with this (for scripts and tests).")
        var until: String?

        @Option(help: "Exit non-zero after this many seconds (0: never).")
        var timeout: Double = 0

        func validate() throws {
            guard silence > 0 else { throw ValidationError("--silence: expected seconds > 0") }
            guard connect.contains("://") else {
                throw ValidationError("--connect: expected an endpoint such as tcp://HOST:PORT, found \(connect)")
            }
        }

        func run() async throws {
            var logger = Logger(label: "patrol.watch")
            logger.logLevel = .error
            var options = LinkOptions()
            if let key {
                let pair = try CurveKeyPair.load(from: URL(fileURLWithPath: key))
                options.security = .curveClient(pair, serverPublicKey: try serverPublicKey(beside: key))
            }
            // Heartbeats are always wanted, whatever the filter: they tell quiet from lost.
            var prefixes = topics.map { $0.split(separator: ",").map(String.init) } ?? [""]
            if !prefixes.contains("") { prefixes.append(EventPublisher.heartbeatTopic) }
            let context = ZMQContext()
            defer { context.shutdown() }
            let subscriber = try EventSubscriber(
                context: context, endpoint: connect, topics: prefixes, logger: logger, options: options)
            defer { subscriber.close() }

            let plainMode = plain || isatty(STDOUT_FILENO) == 0
            var view = WatchView(endpoint: connect, plain: plainMode)
            view.filtered = topics != nil
            view.connecting()

            enum Input: Sendable {
                case event(ReceivedEvent)
                case tick
                case ended
            }
            let (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
            let reader = Task {
                for await event in subscriber.events { continuation.yield(.event(event)) }
                continuation.yield(.ended)
            }
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    continuation.yield(.tick)
                }
            }
            defer {
                reader.cancel()
                ticker.cancel()
            }
            let began = ContinuousClock.now
            var lastHeard: ContinuousClock.Instant?
            var silent = false
            for await input in inputs {
                let now = ContinuousClock.now
                switch input {
                case .event(let event):
                    lastHeard = now
                    if silent {
                        silent = false
                        view.resumed()
                    }
                    view.receive(event)
                    if let until, event.topic.hasPrefix(until) {
                        return
                    }
                case .tick:
                    let quietSince = lastHeard ?? began
                    if !silent, now - quietSince > .milliseconds(Int(silence * 1000)) {
                        silent = true
                        view.reconnecting(after: silence)
                    }
                    view.tick()
                case .ended:
                    return
                }
                if timeout > 0, now - began > .milliseconds(Int(timeout * 1000)) {
                    throw fail(CommandFailure("watch: nothing ended the watch within \(timeout) s"))
                }
            }
        }

        /// The coordinator's public key: `--server-key` as Z85 text or a key file, else the
        /// `coordinator.key` beside the subscriber's own key.
        func serverPublicKey(beside key: String) throws -> String {
            if let serverKey, serverKey.count == 40, !FileManager.default.fileExists(atPath: serverKey) {
                return serverKey
            }
            let file =
                serverKey.map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: key).deletingLastPathComponent().appendingPathComponent("coordinator.key")
            return try Self.publicHalf(of: file)
        }

        /// The `public:` line of a key file (a pair file or a public-only file).
        static func publicHalf(of url: URL) throws -> String {
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw CommandFailure("\(url.path): cannot read the coordinator's key: \(error.localizedDescription)")
            }
            for line in text.split(separator: "\n") where line.hasPrefix("public:") {
                let value = line.dropFirst("public:".count).trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if value.count == 40 { return value }
            }
            throw CommandFailure("\(url.path): no `public: \"KEY\"` line (40 Z85 characters)")
        }
    }
}
