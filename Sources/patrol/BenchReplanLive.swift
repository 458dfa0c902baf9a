import Foundation
import Logging
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore
import Synchronization

/// `patrol bench replan --live`: a running coordinator (real sockets, in-process, wall clock)
/// re-plans a seeded benchmark day while a device pings it; the heartbeat round trips during the
/// solve, with the solve off the actor (as the coordinator runs) and on it (as it did).
enum ReplanLiveBench {
    struct Row {
        var solveMilliseconds: Double
        var waitMilliseconds: Double
        var answered: Int
        var maximum: Double
        var median: Double
    }

    static func run(sizes: [Int], seeds: Int, at now: Double) async throws {
        let loaded = try Mission.load(from: URL(fileURLWithPath: "missions/hill-fire-patrol.yaml"))
        print(
            "| instance | drones | solved | solve ms | wait ms | heartbeats answered during it | RTT max ms | RTT p50 ms |"
        )
        print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for size in sizes {
            for seed in 1...UInt64(max(1, seeds)) {
                for (label, applying) in [
                    ("off the actor", LiveReplanPolicy.Applying.whenReady), ("on the actor", .onActor),
                ] {
                    let row = try await once(
                        size: size, seed: seed, at: now, applying: applying, mission: loaded.mission, site: loaded.site)
                    print(
                        "| v\(size)-s\(seed) | \(size) | \(label) | \(String(format: "%.0f", row.solveMilliseconds)) "
                            + "| \(String(format: "%.0f", row.waitMilliseconds)) | \(row.answered) "
                            + "| \(String(format: "%.1f", row.maximum)) | \(String(format: "%.1f", row.median)) |")
                }
            }
        }
    }

    /// One re-plan of the day `size`/`seed` at `now` (seconds after midnight), set off by its first
    /// hive reporting its door stuck, while a device sends heartbeats one after another.
    static func once(
        size: Int, seed: UInt64, at now: Double, applying: LiveReplanPolicy.Applying, mission: Mission, site: Site
    ) async throws -> Row {
        var logger = Logger(label: "bench-replan-live")
        logger.logLevel = .error
        let problem = SchedulingBenchmark.instance(drones: size, seed: seed)
        let day = Scheduler.schedule(problem)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-bench-replan-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try PatrolStore(path: folder.appendingPathComponent("p.sqlite").path)
        let context = ZMQContext()
        defer { context.shutdown() }
        // No rate limits: the pinger sends heartbeats back to back.
        var options = LinkOptions()
        options.limits = nil
        let server = try LinkServer(
            context: context, endpoint: "inproc://bench-replan-\(UUID().uuidString)", logger: logger, options: options)
        let coordinator = try Coordinator(store: store, link: server, clock: SystemClock(), logger: logger)
        let service = Task { await coordinator.run() }
        let replanned = Mutex<DayReplan?>(nil)
        let watcher = Task {
            for await event in coordinator.events {
                if case .dayReplanned(let r) = event {
                    replanned.withLock { $0 = r }
                    return
                }
            }
        }
        await coordinator.configureReplanning(LiveReplanPolicy(applying: applying))
        // The day's sorties are not queued (their patrols have no missions): the re-plan solves
        // the whole day, and one operator sortie tomorrow keeps the sortie layer running.
        _ = await coordinator.applyDay(
            day, problem: problem, midnight: Date().addingTimeInterval(-now), missions: [], site: site)
        _ = await coordinator.request(
            SortieRequest(mission: mission, site: site, notBefore: Date().addingTimeInterval(86_400)))
        let hiveID = problem.fleet.hives.first?.id ?? "hive-1"
        let hive = try LinkClient(context: context, endpoint: server.endpoint, identity: hiveID, logger: logger)
        let pinger = try LinkClient(context: context, endpoint: server.endpoint, identity: "bench-ping", logger: logger)
        defer {
            hive.close()
            pinger.close()
        }
        var hiveInbound = hive.inbound.makeAsyncIterator()
        var pings = pinger.inbound.makeAsyncIterator()
        hive.send(.hello(Hello(kind: .hive, capabilities: [])), time: Date())
        pinger.send(.hello(Hello(kind: .drone, capabilities: [])), time: Date())
        _ = await next(&hiveInbound) { if case .welcome = $0 { true } else { false } }
        _ = await next(&pings) { if case .welcome = $0 { true } else { false } }
        // The trigger, then heartbeats one after another until the re-plan is applied.
        hive.send(
            .hiveStatus(HiveStatus(door: .stuck, charging: true, windSpeed: 2, windFrom: 90, rain: 0, temperature: 20)),
            time: Date())
        var trips: [Double] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while replanned.withLock({ $0 }) == nil, ContinuousClock.now < deadline {
            let sent = ContinuousClock.now
            pinger.send(.heartbeat, time: Date())
            guard await next(&pings, { $0 == .heartbeat }) != nil else { break }
            let trip = ContinuousClock.now - sent
            trips.append(Double(trip.components.seconds) * 1000 + Double(trip.components.attoseconds) / 1e15)
        }
        let replan = replanned.withLock { $0 }
        server.close()
        await service.value
        watcher.cancel()
        trips.sort()
        return Row(
            solveMilliseconds: replan?.solveMilliseconds ?? .nan, waitMilliseconds: replan?.waitMilliseconds ?? .nan,
            answered: max(0, trips.count - 1), maximum: trips.last ?? .nan,
            median: trips.isEmpty ? .nan : trips[trips.count / 2])
    }

    static func next(
        _ inbound: inout AsyncStream<Result<Envelope, LinkError>>.Iterator, _ matches: (WireMessage) -> Bool
    ) async -> WireMessage? {
        while let frame = await inbound.next() {
            if case .success(let envelope) = frame, matches(envelope.message) { return envelope.message }
        }
        return nil
    }
}
