import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Live re-planning of the applied day with the scheduler, against real sockets on a virtual
/// clock: devices are played by hand (hello, heartbeats, a landing), the coordinator runs the
/// hill patrol's day (every 2 hours from 06:00 to 22:00) and re-plans it when a hive goes
/// offline, a drone is lost or a sortie runs long.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LiveReplanTests {
    /// Local midnight of the day (Asia/Shanghai, the fleet's zone).
    static let midnight = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24T16:00:00Z

    /// A coordinator with the fleet, and devices that keep their heartbeats while `alive`.
    final class Rig: @unchecked Sendable {
        let clock: VirtualClock
        let context = ZMQContext()
        let server: LinkServer
        var coordinator: Coordinator
        let store: PatrolStore
        var service: Task<Void, Never>
        let logger: Logger
        var clients: [String: LinkClient] = [:]
        let fleet: Fleet
        let positions: [String: XY]
        let hill: LoadedMission

        init(fleet: Fleet, positions: [String: XY], hill: LoadedMission, start: Date, database: URL? = nil) throws {
            clock = VirtualClock(start: start)
            var logger = Logger(label: "replan")
            logger.logLevel = .critical
            self.logger = logger
            store = try PatrolStore(
                path: (database ?? TestKit.temporaryDirectory("patrol-replan").appendingPathComponent("p.sqlite")).path)
            let clock = clock
            server = try LinkServer(
                context: context, endpoint: "inproc://replan-\(UUID().uuidString)", logger: logger,
                now: { clock.now() })
            // Silence for 5 minutes loses a device; the test steps the clock a minute at a time.
            coordinator = try Coordinator(
                store: store, link: server, clock: clock,
                configuration: CoordinatorConfiguration(heartbeatTimeout: 300, livenessCheckInterval: .seconds(3600)),
                logger: logger)
            let coordinator = coordinator
            service = Task { await coordinator.run() }
            (self.fleet, self.positions, self.hill) = (fleet, positions, hill)
        }

        func configure() async {
            await coordinator.configureSorties(SortieFleet(fleet: fleet, hivePositions: positions))
        }

        func connect(_ id: String, kind: DeviceKind, hive: String? = nil) async throws {
            let client = try LinkClient(context: context, endpoint: server.endpoint, identity: id, logger: logger)
            client.send(.hello(Hello(kind: kind, capabilities: [], hive: hive)), time: clock.now())
            #expect(await SortieTests.next(client) { if case .welcome = $0 { true } else { false } } != nil)
            clients[id] = client
        }

        /// Steps the clock a minute at a time to `end`; the devices in `alive` send a heartbeat at
        /// each step (waiting for its echo), and the sortie queue runs.
        func run(to end: Date, alive: [String]) async {
            while clock.now() < end {
                clock.advance(to: min(end, clock.now().addingTimeInterval(60)))
                for id in alive.sorted() {
                    guard let client = clients[id] else { continue }
                    client.send(.heartbeat, time: clock.now())
                    _ = await SortieTests.next(client) { $0 == .heartbeat }
                }
                await coordinator.runSorties()
                // A re-plan solved off the actor is applied before the clock moves on.
                await coordinator.settled()
            }
        }

        /// The day's hill patrol from `from` on, scheduled and applied.
        func applyDay(from: Double) async throws -> ScheduleProblem {
            let plan = try CoveragePlanner.plan(hill.mission, site: hill.site)
            let task = try #require(PatrolTask(mission: hill.mission, plan: plan))
            let problem = ScheduleProblem(fleet: fleet, hivePositions: positions, patrols: [task])
            var day = Scheduler.schedule(problem)
            day.sorties.removeAll { $0.start < from }
            _ = await coordinator.applyDay(
                day, problem: problem, midnight: LiveReplanTests.midnight, missions: [hill.mission], site: hill.site)
            return problem
        }

        func close() async {
            for client in clients.values { client.close() }
            server.close()
            await service.value
        }

        deinit { context.shutdown() }
    }

    static func at(_ hours: Double) -> Date { midnight.addingTimeInterval(hours * 3600) }

    /// The Mumianling fleet with a second hive 400 m east of the first: drone-1 in hive-1,
    /// drone-3 in hive-2.
    static func twoHives() throws -> (Fleet, [String: XY], LoadedMission) {
        let hill = try Mission.load(from: TestKit.defaultMission)
        var fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        var positions = try ScheduleProblem.hivePositions(of: fleet, site: hill.site)
        var hive2 = try #require(fleet.hive("hive-1"))
        hive2.id = "hive-2"
        fleet.hives.append(hive2)
        var drone3 = try #require(fleet.drone("drone-1"))
        drone3.id = "drone-3"
        drone3.hive = "hive-2"
        fleet.drones = [try #require(fleet.drone("drone-1")), drone3]
        positions["hive-2"] = positions["hive-1"]! + XY(400, 0)
        return (fleet, positions, hill)
    }

    /// What the queue holds, for comparing runs: id, state, drone, planned launch, reason.
    static func snapshot(_ sorties: [SortieStatus]) -> [String] {
        sorties.map {
            "\($0.missionID) \($0.state.rawValue) \($0.vehicle ?? "-") \(Int($0.plannedLaunch.timeIntervalSince(midnight))) "
                + "from=\($0.resumeFrom) \($0.reason ?? "")"
        }
    }

    /// Hive-1 falls silent at 11:54 and is lost at 11:59 (the 5 min timeout); the afternoon's
    /// sorties move to drone-3 of hive-2 before their launch times. Returns the queue then.
    func hiveOfflineAtNoon(_ rig: Rig) async throws -> [SortieStatus] {
        await rig.configure()
        for (id, kind, hive) in [
            ("hive-1", DeviceKind.hive, nil), ("hive-2", .hive, nil), ("drone-1", .drone, "hive-1"),
            ("drone-3", .drone, "hive-2"),
        ] {
            try await rig.connect(id, kind: kind, hive: hive)
        }
        let problem = try await rig.applyDay(from: 11.5 * 3600)
        let before = await rig.coordinator.sorties()
        #expect(before.count == 6 && before.allSatisfy { $0.vehicle == "drone-1" && $0.state == .queued })
        await rig.run(to: Self.at(11.9), alive: ["hive-1", "hive-2", "drone-1", "drone-3"])
        #expect(await rig.coordinator.replanCounts().isEmpty)
        await rig.run(to: Self.at(12), alive: ["hive-2", "drone-1", "drone-3"])
        let after = await rig.coordinator.sorties()
        #expect(await rig.coordinator.replanCounts() == ["hive-offline": 1])
        // Every afternoon sortie now flies from hive-2, before it was due to launch from hive-1.
        #expect(after.count == 6)
        for (old, new) in zip(before, after) {
            #expect(new.vehicle == "drone-3", "\(new.id): \(new.vehicle ?? "-") \(new.reason ?? "")")
            #expect(new.plannedLaunch >= old.plannedLaunch)
            if new.state == .queued {
                #expect(
                    new.reason?.hasPrefix("re-planned (hive-offline hive-1): drone-3 at ") == true,
                    "\(new.reason ?? "")")
            } else {
                // The 12:00 one was due at once: launched on drone-3 at its time.
                #expect(new.state == .uploading && new.launchedAt == new.plannedLaunch)
            }
        }
        // The live plan keeps pad intervals and airspace apart, and matches the queue.
        let live = try #require(await rig.coordinator.liveSchedule())
        #expect(live.sorties.map(\.drone) == Array(repeating: "drone-3", count: 6))
        #expect(live.unscheduled.isEmpty)
        for (a, b) in zip(live.sorties, live.sorties.dropFirst()) where a.hive == b.hive {
            #expect(b.start - a.start >= problem.padInterval && b.start >= a.end)
        }
        #expect(after.map { $0.plannedLaunch.timeIntervalSince(Self.midnight) } == live.sorties.map(\.start))
        return after
    }

    @Test func aHiveOfflineAtNoonMovesItsAfternoonSortiesToTheOtherHive() async throws {
        let (fleet, positions, hill) = try Self.twoHives()
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(11.5))
        let after = try await hiveOfflineAtNoon(rig)
        // The 12:00 sortie launches on drone-3 at its new time.
        let first = after[0]
        await rig.run(to: first.plannedLaunch, alive: ["hive-2", "drone-1", "drone-3"])
        let launched = try #require(await rig.coordinator.sortie(first.id))
        #expect(launched.state == .uploading && launched.vehicle == "drone-3", "\(launched.reason ?? "")")

        // Hive-1 reports back at 13:00: the day is re-planned again, and the sorties not yet
        // launched go home to drone-1.
        await rig.run(to: Self.at(13), alive: ["hive-2", "drone-1", "drone-3"])
        try await rig.connect("hive-1", kind: .hive)
        await rig.run(to: Self.at(13) + 60, alive: ["hive-1", "hive-2", "drone-1", "drone-3"])
        #expect(await rig.coordinator.replanCounts()["hive-back"] == 1)
        let back = await rig.coordinator.sorties().filter { $0.state == .queued }
        #expect(back.count == 5)
        #expect(back.allSatisfy { $0.vehicle == "drone-1" }, "\(Self.snapshot(back))")
        let metrics = await rig.coordinator.metricsText()
        #expect(metrics.contains("patrol_replans_total{trigger=\"hive-offline\"} 1"), "\(metrics)")
        await rig.close()
    }

    @Test func theSameEventsGiveTheSameQueueTwice() async throws {
        let (fleet, positions, hill) = try Self.twoHives()
        var runs: [[String]] = []
        for _ in 0..<2 {
            let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(11.5))
            runs.append(Self.snapshot(try await hiveOfflineAtNoon(rig)))
            await rig.close()
        }
        #expect(runs[0] == runs[1])
    }

    @Test func aRestartInTheMiddleKeepsTheReplannedQueue() async throws {
        let (fleet, positions, hill) = try Self.twoHives()
        let database = TestKit.temporaryDirectory("patrol-replan-restart").appendingPathComponent("p.sqlite")
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(11.5), database: database)
        let after = try await hiveOfflineAtNoon(rig)
        let live = await rig.coordinator.liveSchedule()
        await rig.close()

        // A new coordinator on the same database, a minute later.
        let again = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(12) + 60, database: database)
        await again.configure()
        let resumed = try await again.coordinator.resumeQueuedSorties()
        func plan(_ s: [SortieStatus]) -> [String] {
            s.filter { $0.state == .queued }.map {
                "\($0.missionID) \($0.vehicle ?? "-") \(Int($0.plannedLaunch.timeIntervalSince(Self.midnight)))"
            }
        }
        #expect(plan(resumed) == plan(after))
        #expect(await again.coordinator.liveSchedule() == live)
        // The hive outage is still known: hive-1 back re-plans the afternoon onto drone-1 again.
        for (id, kind, hive) in [
            ("hive-2", DeviceKind.hive, nil), ("drone-1", .drone, "hive-1"), ("drone-3", .drone, "hive-2"),
        ] {
            try await again.connect(id, kind: kind, hive: hive)
        }
        await again.run(to: Self.at(12) + 120, alive: ["hive-2", "drone-1", "drone-3"])
        #expect(await again.coordinator.replanCounts() == ["hive-offline": 1])
        try await again.connect("hive-1", kind: .hive)
        await again.run(to: Self.at(12) + 180, alive: ["hive-1", "hive-2", "drone-1", "drone-3"])
        #expect(await again.coordinator.replanCounts()["hive-back"] == 1)
        let home = await again.coordinator.sorties().filter { $0.state == .queued }
        #expect(!home.isEmpty && home.allSatisfy { $0.vehicle == "drone-1" }, "\(Self.snapshot(home))")
        await again.close()
    }

    /// The fleet file's two drones in hive-1.
    static func oneHive() throws -> (Fleet, [String: XY], LoadedMission) {
        let hill = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        return (fleet, try ScheduleProblem.hivePositions(of: fleet, site: hill.site), hill)
    }

    /// The one-hive fleet's two drones connected and the hill patrol's day applied from `hours`
    /// (with `policy` for re-planning when given).
    static func hillDay(from hours: Double, policy: LiveReplanPolicy? = nil) async throws -> Rig {
        let (fleet, positions, hill) = try oneHive()
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: at(hours))
        await rig.configure()
        if let policy { await rig.coordinator.configureReplanning(policy) }
        for id in ["drone-1", "drone-2"] { try await rig.connect(id, kind: .drone, hive: "hive-1") }
        _ = try await rig.applyDay(from: hours * 3600)
        return rig
    }

    @Test func aDroneLostAt1005HasItsLaterSortiesReassigned() async throws {
        let rig = try await Self.hillDay(from: 9.75)
        let before = await rig.coordinator.sorties()
        #expect(before.count == 7 && before.allSatisfy { $0.vehicle == "drone-1" })
        // drone-1 launches the 10:00 patrol and falls silent: lost at 10:05.
        await rig.run(to: Self.at(10), alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.sortie(before[0].id)?.state == .uploading)
        await rig.run(to: Self.at(10) + 6 * 60, alive: ["drone-2"])
        let after = await rig.coordinator.sorties()
        let cut = try #require(after.first { $0.id == before[0].id })
        #expect(cut.state == .cutShort)
        #expect(await rig.coordinator.replanCounts() == ["drone-lost": 1])
        // One re-plan for the loss and the cut of the same second; 12:00 to 22:00 go to drone-2.
        for old in before.dropFirst() {
            let new = try #require(after.first { $0.id == old.id })
            #expect(new.vehicle == "drone-2" && new.state == .queued, "\(Self.snapshot([new]))")
            #expect(new.reason?.hasPrefix("re-planned (drone-lost drone-1, cut-short \(cut.id))") == true)
        }
        await rig.close()
    }

    @Test func aDroneReportingAFaultOnTheGroundIsOutUntilItClearsIt() async throws {
        let rig = try await Self.hillDay(from: 9.75)
        let before = await rig.coordinator.sorties()
        #expect(before.count == 7 && before.allSatisfy { $0.vehicle == "drone-1" })
        let pad = try #require(rig.hill.site.hives.first).position
        func report(_ state: VehicleState) throws {
            let client = try #require(rig.clients["drone-1"])
            let telemetry = Telemetry(
                time: rig.clock.now(), position: pad, altitude: 0, heading: 0, speed: 0, battery: 1, state: state,
                waypointIndex: 0)
            client.send(.telemetry(TelemetryReport(flightID: nil, telemetry: telemetry)), time: rig.clock.now())
        }
        // 09:50: drone-1 reports an emergency on its pad; its day moves to drone-2.
        await rig.run(to: Self.at(9 + 50.0 / 60), alive: ["drone-1", "drone-2"])
        try report(.emergency)
        await rig.run(to: Self.at(9 + 52.0 / 60), alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.replanCounts() == ["drone-fault": 1])
        for old in before {
            let new = try #require(await rig.coordinator.sortie(old.id))
            #expect(new.vehicle == "drone-2" && new.state == .queued, "\(Self.snapshot([new]))")
            #expect(new.reason?.hasPrefix("re-planned (drone-fault drone-1)") == true, "\(new.reason ?? "")")
        }
        // 09:53: the fault is cleared; the day goes back to drone-1, as applied.
        try report(.landed)
        await rig.run(to: Self.at(9 + 54.0 / 60), alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.replanCounts() == ["drone-fault": 1, "drone-back": 1])
        for old in before {
            let new = try #require(await rig.coordinator.sortie(old.id))
            #expect(new.vehicle == "drone-1" && new.state == .queued, "\(Self.snapshot([new]))")
        }
        await rig.close()
    }

    @Test func aSortieRunningLongMovesItsDronesNextSortie() async throws {
        let rig = try await Self.hillDay(from: 9.75, policy: LiveReplanPolicy(runningLong: 300))
        let before = await rig.coordinator.sorties()
        await rig.run(to: Self.at(10), alive: ["drone-1", "drone-2"])
        let flying = try #require(await rig.coordinator.sortie(before[0].id))
        #expect(flying.state == .uploading && flying.vehicle == "drone-1")
        // Planned to land after about 17 minutes; still up 5 minutes past that.
        let plan = try CoveragePlanner.plan(rig.hill.mission, site: rig.hill.site)
        let duration = try #require(PatrolTask(mission: rig.hill.mission, plan: plan)).profile(
            from: rig.positions["hive-1"]!, drone: try #require(rig.fleet.drone("drone-1"))
        ).duration
        await rig.run(to: Self.at(10) + duration + 240, alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.replanCounts().isEmpty)
        await rig.run(to: Self.at(10) + duration + 360, alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.replanCounts() == ["running-long": 1])
        let next = try #require(await rig.coordinator.sortie(before[1].id))
        #expect(next.vehicle == "drone-2", "\(Self.snapshot([next]))")
        #expect(next.reason?.hasPrefix("re-planned (running-long \(flying.id)): drone-2 at 12:00") == true)

        // It lands: drone-1 is back in the plan, and takes its sorties again.
        let one = try #require(rig.clients["drone-1"])
        one.send(.event(DeviceEvent(id: "e-1", kind: .landed, flightID: flying.id)), time: rig.clock.now())
        #expect(await SortieTests.next(one) { if case .eventAck = $0 { true } else { false } } != nil)
        await rig.run(to: rig.clock.now() + 60, alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.replanCounts()["landed"] == 1)
        #expect(await rig.coordinator.sortie(before[1].id)?.vehicle == "drone-1")
        await rig.close()
    }

    @Test func windOverAHivesLimitsMovesItsSortiesUntilItIsCalmAgain() async throws {
        let (fleet, positions, hill) = try Self.twoHives()
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(11.5))
        await rig.configure()
        for (id, kind, hive) in [
            ("hive-1", DeviceKind.hive, nil), ("hive-2", .hive, nil), ("drone-1", .drone, "hive-1"),
            ("drone-3", .drone, "hive-2"),
        ] {
            try await rig.connect(id, kind: kind, hive: hive)
        }
        let all = ["hive-1", "hive-2", "drone-1", "drone-3"]
        _ = try await rig.applyDay(from: 11.5 * 3600)
        let before = await rig.coordinator.sorties()
        func report(wind: Double) async throws {
            let hive = try #require(rig.clients["hive-1"])
            hive.send(
                .hiveStatus(
                    HiveStatus(door: .closed, charging: true, windSpeed: wind, windFrom: 90, rain: 0, temperature: 20)),
                time: rig.clock.now())
            hive.send(.heartbeat, time: rig.clock.now())
            #expect(await SortieTests.next(hive) { $0 == .heartbeat } != nil)
            await rig.coordinator.runSorties()
            await rig.coordinator.settled()
        }
        await rig.run(to: Self.at(11) + 55 * 60, alive: all)
        try await report(wind: 14)
        #expect(await rig.coordinator.replanCounts() == ["hive-weather": 1])
        // The wind changing within the spell is not a new event.
        await rig.run(to: Self.at(11) + 57 * 60, alive: all)
        try await report(wind: 15.5)
        #expect(await rig.coordinator.replanCounts() == ["hive-weather": 1])
        // The wind is assumed to hold 30 min: the 12:00 sortie moves to hive-2, the later ones stay.
        let windy = await rig.coordinator.sorties()
        #expect(windy[0].vehicle == "drone-3", "\(Self.snapshot(windy))")
        #expect(
            windy[0].reason?.hasPrefix("re-planned (hive-weather hive-1): drone-3 at 12:00:00, was drone-1 at 12:00:00")
                == true, "\(windy[0].reason ?? "")")
        #expect(windy.dropFirst().allSatisfy { $0.vehicle == "drone-1" }, "\(Self.snapshot(windy))")
        // Still windy at 12:25 (no calmer report): assumed for another 30 min, and re-planned.
        await rig.run(to: Self.at(12) + 26 * 60, alive: all)
        #expect(await rig.coordinator.replanCounts() == ["hive-weather": 2])
        #expect(await rig.coordinator.sortie(windy[0].id)?.vehicle == "drone-3")
        // Calm again at 12:30: hive-1 is back in the plan.
        await rig.run(to: Self.at(12.5), alive: all)
        try await report(wind: 3)
        let counts = await rig.coordinator.replanCounts()
        #expect(counts["hive-weather"] == 2 && counts["hive-back"] == 1, "\(counts)")
        let calm = await rig.coordinator.sorties()
        #expect(calm.filter { $0.state == .queued }.map(\.id) == before.dropFirst().map(\.id))
        #expect(calm.filter { $0.state == .queued }.allSatisfy { $0.vehicle == "drone-1" }, "\(Self.snapshot(calm))")
        await rig.close()
    }

    /// A sortie moved by a re-plan to the end of its window holds to its patrol's window, counted
    /// from its due time: still windy there, it is refused, not flown up to 30 min later.
    @Test func aSortieMovedToTheEndOfItsWindowIsRefusedWhenTheWindowEnds() async throws {
        var (fleet, positions, hill) = try Self.oneHive()
        fleet.drones = [try #require(fleet.drone("drone-1"))]
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(11.25))
        await rig.configure()
        try await rig.connect("hive-1", kind: .hive)
        try await rig.connect("drone-1", kind: .drone, hive: "hive-1")
        let all = ["hive-1", "drone-1"]
        _ = try await rig.applyDay(from: 11.25 * 3600)
        let noon = try #require(await rig.coordinator.sorties().first)
        #expect(noon.plannedLaunch == Self.at(12))
        await rig.run(to: Self.at(11.5), alive: all)
        let hive = try #require(rig.clients["hive-1"])
        hive.send(
            .hiveStatus(
                HiveStatus(door: .closed, charging: true, windSpeed: 14, windFrom: 90, rain: 0, temperature: 20)),
            time: rig.clock.now())
        hive.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(hive) { $0 == .heartbeat } != nil)
        // Assumed windy until 12:00, then (no calmer report) until 12:30: the end of its window.
        await rig.run(to: Self.at(12) + 5, alive: all)
        let moved = try #require(await rig.coordinator.sortie(noon.id))
        #expect(moved.state == .queued && moved.plannedLaunch == Self.at(12.5), "\(Self.snapshot([moved]))")
        await rig.run(to: Self.at(12.5) + 5, alive: all)
        let refused = try #require(await rig.coordinator.sortie(noon.id))
        #expect(refused.state == .refused, "\(Self.snapshot([refused]))")
        #expect(refused.reason?.contains("wind 14.0 m/s") == true, "\(refused.reason ?? "")")
        await rig.close()
    }

    /// drone-1 flies the 10:00 patrol towards waypoint 6 and falls silent: lost at 10:05.
    func lostAtWaypoint6(_ rig: Rig, alive: [String]) async throws -> SortieStatus {
        await rig.run(to: Self.at(10), alive: ["drone-1"] + alive)
        let flying = try #require(await rig.coordinator.sorties().first)
        #expect(flying.state == .uploading && flying.vehicle == "drone-1")
        let one = try #require(rig.clients["drone-1"])
        one.send(
            .telemetry(
                TelemetryReport(
                    flightID: flying.id,
                    telemetry: Telemetry(
                        time: rig.clock.now(), position: LonLat(lon: 114.133, lat: 22.577), altitude: 50, heading: 90,
                        speed: 8, battery: 0.8, state: .surveying, waypointIndex: 6))), time: rig.clock.now())
        one.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(one) { $0 == .heartbeat } != nil)
        await rig.run(to: Self.at(10) + 6 * 60, alive: alive)
        let cut = try #require(await rig.coordinator.sortie(flying.id))
        #expect(cut.state == .cutShort && cut.lastWaypoint == 6, "\(Self.snapshot([cut]))")
        return cut
    }

    /// The rest of a cut-short sortie is placed by the re-plan: on the other drone, once the lost
    /// drone's sky is free by the model (its planned landing), from the waypoint it stopped at.
    @Test func theRestOfACutShortSortieIsPlacedByTheReplan() async throws {
        let rig = try await Self.hillDay(from: 9.75)
        let cut = try await lostAtWaypoint6(rig, alive: ["drone-2"])
        #expect(await rig.coordinator.replanCounts() == ["drone-lost": 1])
        let restID = try #require(cut.continuedBy, "the re-plan queued no rest")
        let rest = try #require(await rig.coordinator.sortie(restID))
        #expect(rest.state == .queued && rest.vehicle == "drone-2" && rest.resumeFrom == 6, "\(Self.snapshot([rest]))")
        #expect(
            rest.reason?.hasPrefix(
                "the rest of \(cut.id) from waypoint 6, placed by a re-plan (drone-lost drone-1, cut-short \(cut.id))")
                == true, "\(rest.reason ?? "")")
        // Where the day as re-planned has it: after drone-1's planned landing (same sky), in its hold.
        let live = try #require(await rig.coordinator.liveSchedule())
        let placed = try #require(live.sorties.first { $0.patrol == "hill-fire-patrol+rest:\(cut.id)" })
        #expect(placed.drone == "drone-2" && placed.resumeFrom == 6)
        #expect(abs(rest.plannedLaunch.timeIntervalSince(Self.midnight) - placed.start) < 1e-3)
        let flown = live.sorties.first { $0.patrol == "hill-fire-patrol" && $0.drone == "drone-1" && $0.due == 36000 }
        let landing = try #require(flown).end
        #expect(placed.start >= landing && placed.start <= 10.5 * 3600 + 5 * 60, "\(placed.start) \(landing)")
        // It launches at that time on drone-2.
        await rig.run(to: rest.plannedLaunch, alive: ["drone-2"])
        let flying = try #require(await rig.coordinator.sortie(restID))
        #expect(flying.state == .uploading && flying.vehicle == "drone-2", "\(Self.snapshot([flying]))")
        #expect(flying.launchedAt == rest.plannedLaunch)
        // Launched where the re-plan placed it: no re-plan for it.
        await rig.run(to: rest.plannedLaunch + 60, alive: ["drone-2"])
        #expect(await rig.coordinator.replanCounts() == ["drone-lost": 1])
        await rig.close()
    }

    /// With live re-planning off, the rest is queued at once by the local fallback, as before.
    @Test func withoutLiveReplanningTheRestIsQueuedAtOnce() async throws {
        let rig = try await Self.hillDay(from: 9.75, policy: LiveReplanPolicy(enabled: false))
        let cut = try await lostAtWaypoint6(rig, alive: ["drone-2"])
        let restID = try #require(cut.continuedBy)
        let rest = try #require(await rig.coordinator.sortie(restID))
        #expect(rest.resumeFrom == 6 && rest.reason?.contains("placed by a re-plan") != true, "\(rest.reason ?? "")")
        #expect(await rig.coordinator.replanCounts().isEmpty)
        await rig.close()
    }

    /// A rest that no drone can fly within its hold: the patrol's next sortie resumes where it
    /// stopped; what only the lost drone can fly is kept queued for its return.
    @Test func aRestWithNoDroneInItsHoldMakesThePatrolsNextSortieResumeWhereItStopped() async throws {
        var (fleet, positions, hill) = try Self.oneHive()
        fleet.drones = [try #require(fleet.drone("drone-1"))]
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(9.75))
        await rig.configure()
        try await rig.connect("drone-1", kind: .drone, hive: "hive-1")
        _ = try await rig.applyDay(from: 9.75 * 3600)
        // Lost at 10:05 with no other drone: the rest has no drone until its hold ends at 10:35,
        // nor has the rest of the day.
        let cut = try await lostAtWaypoint6(rig, alive: [])
        #expect(cut.continuedBy == nil)
        // The day's later sorties, which only drone-1 can fly, are kept queued for its return
        // rather than refused (and queued anew when it is back).
        let kept = await rig.coordinator.sorties().filter { $0.id != cut.id }
        #expect(kept.count == 6)
        #expect(
            kept.allSatisfy {
                $0.state == .queued
                    && $0.reason?.contains("; kept for drone-1, lost on the link")
                        == true
            }, "\(Self.snapshot(kept))")
        #expect(await rig.coordinator.replanCounts() == ["drone-lost": 1])
        // drone-1 is back at 10:40.
        await rig.run(to: Self.at(10) + 40 * 60, alive: [])
        try await rig.connect("drone-1", kind: .drone, hive: "hive-1")
        await rig.run(to: Self.at(10) + 41 * 60, alive: ["drone-1"])
        let queued = await rig.coordinator.sorties().filter { $0.state == .queued }
        #expect(queued.map(\.id) == kept.map(\.id), "\(Self.snapshot(queued))")
        let next = try #require(queued.first)
        #expect(next.plannedLaunch == Self.at(12) && next.vehicle == "drone-1")
        #expect(next.resumeFrom == 6, "the 12:00 patrol resumes where the 10:00 one stopped")
        #expect(
            next.reason
                == "re-planned (drone-back drone-1): drone-1 at 12:00:00, was drone-1 at 12:00:00, from waypoint 6",
            "\(next.reason ?? "")")
        #expect(queued.dropFirst().allSatisfy { $0.resumeFrom == 0 })
        await rig.close()
    }

    @Test func twoPatrolsOfAHiveOfflineMoveToTheOtherHiveSeparatedAndPadIntervalsApart() async throws {
        // Two drones a hive, and a second hill patrol at the same times over the same sky.
        var (fleet, positions, hill) = try Self.twoHives()
        var drone2 = try #require(fleet.drone("drone-1"))
        drone2.id = "drone-2"
        var drone4 = try #require(fleet.drone("drone-3"))
        drone4.id = "drone-4"
        fleet.drones += [drone2, drone4]
        var second = hill.mission
        second.id = "hill-second"
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: Self.at(11.5))
        await rig.configure()
        let devices: [(String, DeviceKind, String?)] = [
            ("hive-1", .hive, nil), ("hive-2", .hive, nil), ("drone-1", .drone, "hive-1"),
            ("drone-2", .drone, "hive-1"), ("drone-3", .drone, "hive-2"), ("drone-4", .drone, "hive-2"),
        ]
        for (id, kind, hive) in devices { try await rig.connect(id, kind: kind, hive: hive) }
        var tasks: [PatrolTask] = []
        for mission in [hill.mission, second] {
            let plan = try CoveragePlanner.plan(mission, site: hill.site)
            tasks.append(try #require(PatrolTask(mission: mission, plan: plan)))
        }
        let problem = ScheduleProblem(fleet: fleet, hivePositions: positions, patrols: tasks)
        var day = Scheduler.schedule(problem)
        day.sorties.removeAll { $0.start < 11.5 * 3600 }
        _ = await rig.coordinator.applyDay(
            day, problem: problem, midnight: Self.midnight, missions: [hill.mission, second], site: hill.site)
        let before = await rig.coordinator.sorties()
        #expect(before.count == 12 && before.allSatisfy { ["drone-1", "drone-2"].contains($0.vehicle) })
        let alive = devices.map(\.0).filter { $0 != "hive-1" }
        await rig.run(to: Self.at(11.9), alive: devices.map(\.0))
        await rig.run(to: Self.at(12), alive: alive)
        #expect(await rig.coordinator.replanCounts() == ["hive-offline": 1])
        let after = await rig.coordinator.sorties()
        #expect(
            after.allSatisfy { ["drone-3", "drone-4"].contains($0.vehicle) },
            "\(Self.snapshot(after).joined(separator: "\n"))")
        // The day as re-planned: pads and airspace kept apart, as the queue holds it.
        let live = try #require(await rig.coordinator.liveSchedule())
        #expect(live.unscheduled.isEmpty && live.sorties.count == 12)
        for (i, a) in live.sorties.enumerated() {
            for b in live.sorties[(i + 1)...] where a.drone != b.drone {
                if a.hive == b.hive {
                    #expect(abs(a.start - b.start) >= problem.padInterval - 1e-6, "\(a.drone) \(b.drone) \(a.start)")
                    #expect(abs(a.end - b.end) >= problem.padInterval - 1e-6, "\(a.drone) \(b.drone) \(a.end)")
                }
                #expect(
                    !a.conflicts(with: b, buffer: problem.horizontalBuffer, vertical: problem.verticalSeparation),
                    "\(a.patrol) on \(a.drone) and \(b.patrol) on \(b.drone) share the sky at \(a.start)")
            }
        }
        // To the millisecond: the queue's times are dates, the plan's seconds after midnight.
        func ms(_ t: Double) -> Int { Int((t * 1000).rounded()) }
        let planned = Set(live.sorties.map { "\($0.patrol) \($0.drone) \(ms($0.start))" })
        for s in after {
            let line = "\(s.missionID) \(s.vehicle ?? "-") \(ms(s.plannedLaunch.timeIntervalSince(Self.midnight)))"
            #expect(planned.contains(line), "\(line)")
        }
        await rig.close()
    }

    @Test func aDroneTurningBackOnItsOwnIsOutUntilItLands() async throws {
        let rig = try await Self.hillDay(from: 11.75)
        let before = await rig.coordinator.sorties()
        let one = try #require(rig.clients["drone-1"])
        // drone-1 takes the 12:00 patrol: upload accepted, start accepted.
        await rig.run(to: Self.at(12) - 60, alive: ["drone-1", "drone-2"])
        rig.clock.advance(to: Self.at(12))
        await rig.coordinator.runSorties()
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                one, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload")
            return
        }
        one.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        guard case .command(let start) = await SortieTests.next(one, { if case .command = $0 { true } else { false } })
        else {
            Issue.record("no start")
            return
        }
        one.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        // Five minutes in, its failsafe turns it back with the survey unfinished.
        await rig.run(to: Self.at(12) + 300, alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.sortie(upload.flightID)?.state == .inFlight)
        one.send(
            .telemetry(
                TelemetryReport(
                    flightID: upload.flightID,
                    telemetry: Telemetry(
                        time: rig.clock.now(), position: LonLat(lon: 114.133, lat: 22.577), altitude: 50, heading: 90,
                        speed: 8, battery: 0.3, state: .returning, waypointIndex: 5))), time: rig.clock.now())
        one.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(one) { $0 == .heartbeat } != nil)
        await rig.run(to: Self.at(12) + 360, alive: ["drone-1", "drone-2"])
        let cut = try #require(await rig.coordinator.sortie(upload.flightID))
        #expect(cut.reason?.contains("turned back on its own") == true, "\(cut.reason ?? "")")
        let counts = await rig.coordinator.replanCounts()
        #expect(counts.values.reduce(0, +) == 1 && counts["cut-short"] == 1, "\(counts)")
        let next = try #require(await rig.coordinator.sortie(before[1].id))
        #expect(next.vehicle == "drone-2", "\(Self.snapshot([next]))")
        #expect(
            next.reason?.hasPrefix("re-planned (cut-short \(cut.id), drone-fault drone-1): drone-2 at 14:00") == true)
        // It lands: back in the plan.
        one.send(.event(DeviceEvent(id: "e-1", kind: .landed, flightID: cut.id)), time: rig.clock.now())
        #expect(await SortieTests.next(one) { if case .eventAck = $0 { true } else { false } } != nil)
        await rig.run(to: rig.clock.now() + 60, alive: ["drone-1", "drone-2"])
        #expect(await rig.coordinator.replanCounts()["landed"] == 1)
        #expect(await rig.coordinator.sortie(before[1].id)?.vehicle == "drone-1")
        await rig.close()
    }
}
