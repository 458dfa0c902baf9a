import ArgumentParser
import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolStore

extension Patrol.Bench {
    struct LinkBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Measure Patrol's full telemetry ingest over loopback TCP.",
            discussion: """
                Starts the coordinator (ROUTER on tcp://127.0.0.1, decode, validate, coordinator state, \
                PatrolStore in WAL, 200 rows a transaction) and runs the C sender `linkbench send` against it: \
                hello, FRAMES telemetry frames of about 230 bytes, then a heartbeat whose echo ends the clock \
                (the coordinator handles frames in order). benchmarks/link/run prints it beside the C baselines.
                """)

        @Option(help: "Telemetry frames to send.")
        var frames = 200_000

        @Option(help: "Instead of flooding, send this many frames a second and time detections to their acks.")
        var pace: Int?

        @Option(help: "With --pace: for how many seconds.")
        var seconds = 10.0

        @Option(help: "With --pace: every how many frames a detection (each opens an alert).")
        var every = 1000

        @Flag(help: "Publish the event stream too (a PUB socket and one subscriber), to measure what it costs.")
        var events = false

        @Option(help: "The store's durability: full (fsync each commit, Patrol's default) or normal.")
        var durability: String = "full"

        @Option(
            help:
                "WAL checkpoints: background (a WALCheckpointer thread, as `patrol serve` by default) or writer (SQLite's default)."
        )
        var checkpoints: String = "background"

        @Option(help: "The C sender (benchmarks/link/linkbench.c, built by benchmarks/link/run).")
        var sender: String = "benchmarks/link/linkbench"

        func validate() throws {
            guard frames > 0, frames % 200 == 0 else { throw ValidationError("--frames: a positive multiple of 200") }
            guard Durability(rawValue: durability) != nil else { throw ValidationError("--durability: full or normal") }
            guard ["background", "writer"].contains(checkpoints) else {
                throw ValidationError("--checkpoints: background or writer")
            }
            guard FileManager.default.isExecutableFile(atPath: sender) else {
                throw ValidationError("no sender at \(sender); run benchmarks/link/run, which builds it")
            }
        }

        func run() async throws {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "patrol-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try PatrolStore(
                path: directory.appendingPathComponent("bench.sqlite").path,
                durability: Durability(rawValue: durability) ?? .full)
            let checkpointer = checkpoints == "background" ? try WALCheckpointer(store: store) : nil
            defer { checkpointer?.stop() }
            let context = ZMQContext()
            defer { context.shutdown() }
            // The sender floods faster than the coordinator stores: let the inbound buffer hold the
            // whole run, so the figure is the ingest rate and not the default overload policy (drop
            // the newest past 100,000 buffered frames, counted; devices resend what needs an ack).
            var options = LinkOptions()
            options.maximumBufferedInbound = frames + 1000
            // One sender stands for a whole site's devices: per-device limits would refuse it.
            options.limits = nil
            let server = try LinkServer(
                context: context, endpoint: "tcp://127.0.0.1:*", logger: logger, options: options)
            defer { server.close() }
            let coordinator = try Coordinator(
                store: store, link: server, clock: SystemClock(),
                configuration: CoordinatorConfiguration(telemetryBatch: 200), logger: logger)
            var stream: (EventPublisher, EventSubscriber, Task<Int, Never>)?
            if events {
                let publisher = try EventPublisher(
                    context: context, endpoint: "tcp://127.0.0.1:*", clock: SystemClock(), logger: logger)
                let subscriber = try EventSubscriber(context: context, endpoint: publisher.endpoint, logger: logger)
                let counter = Task {
                    var count = 0
                    for await _ in subscriber.events { count += 1 }
                    return count
                }
                await coordinator.publishEvents(to: publisher)
                stream = (publisher, subscriber, counter)
            }
            let service = Task { await coordinator.run() }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: sender)
            process.arguments =
                if let pace {
                    ["pace", server.endpoint, String(pace), String(seconds), String(every)]
                } else {
                    ["send", server.endpoint, String(frames)]
                }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = readToEnd(output.fileHandleForReading)
            process.waitUntilExit()
            server.close()
            await service.value
            if let (publisher, subscriber, counter) = stream {
                publisher.close()
                subscriber.close()
                FileHandle.standardError.write(
                    Data("events   \(publisher.published) published, \(await counter.value) received\n".utf8))
            }
            guard process.terminationStatus == 0 else { throw fail(CommandFailure("the sender failed")) }
            let stored = try store.telemetryCount(flightID: "bench")
            let statistics = server.statistics
            if statistics.dropped > 0 {
                // On stderr: benchmarks/link/run reads the one result line from stdout.
                FileHandle.standardError.write(
                    Data("link dropped \(statistics.dropped) messages: \(statistics)\n".utf8))
            }
            print(String(decoding: data, as: UTF8.self), terminator: "")
            guard pace != nil || stored == frames else {
                throw fail(CommandFailure("stored \(stored) of \(frames) frames"))
            }
        }
    }
}
