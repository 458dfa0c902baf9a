import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Synchronization
import Testing

@testable import patrol

/// The simulated hive over the real link: the demo flies from it (door, precision landing,
/// charging, weather over the day in `hive_status`), it refuses launches with a jammed door or
/// outside its weather limits, and the coordinator flags it when it goes silent or jams.
@Suite(.serialized)
struct SimulatedHiveTests {
    static func fly(_ scenario: String) async throws -> (DemoRun.Result, [CoordinatorEvent]) {
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let seen = Mutex<[CoordinatorEvent]>([])
        let run = DemoRun(
            scenarioFile: TestKit.file("simulators/\(scenario)"),
            outputDirectory: TestKit.temporaryDirectory("patrol-hive"), logger: logger)
        let result = try await run.run { event in seen.withLock { $0.append(event) } }
        return (result, seen.withLock { $0 })
    }

    @Test(.timeLimit(.minutes(3)))
    func demoFliesFromTheHive() async throws {
        let (result, _) = try await Self.fly("hill-fire.yaml")
        #expect(result.flight.status == .completed)
        let store = try PatrolStore(path: result.database.path)
        let start = try #require(result.flight.startedAt)
        let end = try #require(result.flight.endedAt)
        let statuses = try store.hiveStatuses(hive: "hive-1", from: start, to: end)
        // The door opened for take-off and again for the landing, and the drone came home charging.
        let doors = statuses.map(\.door)
        #expect(doors.first == "closed")
        #expect(doors.filter { $0 == "open" }.count == 2, "\(doors)")
        #expect(statuses.last?.charging == true)
        #expect(statuses.dropLast().allSatisfy { !$0.charging })
        // At least once a minute, and the weather follows the scenario's day (3 m/s rising to 4.5 over 2 h).
        for (a, b) in zip(statuses, statuses.dropFirst()) {
            #expect(b.time.timeIntervalSince(a.time) <= 60.001)
        }
        let last = try #require(statuses.last)
        #expect(last.windSpeed > 3 && last.windSpeed < 3.5, "\(last.windSpeed)")
        #expect(last.temperature > 24 && last.temperature < 25, "\(last.temperature)")
        // Precision landing within the pad's tolerance.
        let landing = try #require(result.drone.landing)
        #expect(landing.docked && landing.offset <= 0.25)
        let landed = try #require(try store.events(flightID: result.flight.id).first { $0.kind == "landed" })
        #expect(landed.detail?.contains("on the pad of hive-1") == true, "\(landed.detail ?? "")")
        // The report shows the hive, not "no hive status".
        let html = try String(
            contentsOf: try #require(result.reportFiles.first { $0.pathExtension == "html" }), encoding: .utf8)
        #expect(!html.contains("no hive status recorded"))
        #expect(html.contains("Hive door and charger"))
        #expect(html.contains("last status: door moving, charging"))
    }

    @Test(.timeLimit(.minutes(3)))
    func hiveGoingOfflineIsAnEquipmentFault() async throws {
        let (result, events) = try await Self.fly("hive-offline.yaml")
        #expect(result.flight.status == .completed)
        #expect(result.hive.offline)
        let lost = events.compactMap { e -> (String, Date)? in
            if case .deviceLost(let device, _, _, let at) = e { (device, at) } else { nil }
        }
        #expect(lost.map(\.0) == ["hive-1"])
        // Silent from 8 min after the start; flagged 3 s after its last heartbeat.
        let offlineAt = result.scenario.start.addingTimeInterval(8 * 60)
        let lostAt = try #require(lost.first?.1)
        #expect(lostAt > offlineAt && lostAt.timeIntervalSince(offlineAt) <= 3.001)

        let store = try PatrolStore(path: result.database.path)
        let event = try #require(try store.events(flightID: result.flight.id).first { $0.kind == "hive_offline" })
        #expect(event.deviceID == "hive-1")
        #expect(event.time == lostAt)
        let faults = try store.alerts().filter { $0.kind == .equipmentFault }
        #expect(faults.count == 1)
        let fault = try #require(faults.first)
        #expect(fault.source == "hive-1")
        #expect(fault.flightID == result.flight.id)
        #expect(fault.firstSeen == lostAt)
        let hive = try #require(try Mission.load(from: result.scenario.missionFile).site.hive("hive-1"))
        #expect(AlertFusion.distance(fault.position, hive.position) < 1)
        // In the flight's alerts, so its report lists it.
        #expect(result.alerts.map(\.kind) == [.equipmentFault])
    }

    @Test(.timeLimit(.minutes(3)))
    func stuckDoorRefusesTheLaunch() async throws {
        let (result, events) = try await Self.fly("hive-door-stuck.yaml")
        #expect(result.flight.status == .aborted)
        #expect(result.drone.launchRefused == "hive hive-1: door stuck")
        #expect(result.telemetryRows == 0)
        #expect(!events.contains { if case .flightStarted = $0 { true } else { false } })
        let store = try PatrolStore(path: result.database.path)
        #expect(try store.commands(flightID: result.flight.id).map(\.accepted) == [false])
        let refused = try #require(
            try store.events(flightID: result.flight.id).first { $0.kind == "launch_refused" })
        #expect(refused.detail == "hive hive-1: door stuck")
        // The jammed door is an equipment fault at the hive, flagged once.
        let faults = try store.alerts().filter { $0.kind == .equipmentFault }
        #expect(faults.count == 1 && faults.first?.source == "hive-1")
        #expect(try store.flight(result.flight.id)?.status == .aborted)
    }

    @Test(.timeLimit(.minutes(3)))
    func doorJammedDuringTheFlightLeavesTheDroneBesideThePad() async throws {
        let directory = TestKit.temporaryDirectory("patrol-hive-jam")
        let text = try String(contentsOf: TestKit.file("simulators/hive-door-stuck.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "../missions/hill-fire-patrol.yaml", with: TestKit.defaultMission.path)
            .replacingOccurrences(of: "door_stuck_at_min: 0", with: "door_stuck_at_min: 5")
        let scenario = try TestKit.write(text, to: "jam.yaml", in: directory)
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let result = try await DemoRun(
            scenarioFile: scenario, outputDirectory: directory.appendingPathComponent("out"), logger: logger
        ).run()
        // It flew (the door was open at the start), came back to a door jammed shut, and landed on the roof.
        #expect(result.flight.status == .completed)
        let landing = try #require(result.drone.landing)
        #expect(!landing.docked)
        let store = try PatrolStore(path: result.database.path)
        let events = try store.events(flightID: result.flight.id)
        let landed = try #require(events.first { $0.kind == "landed" })
        #expect(landed.detail?.contains("beside the pad of hive-1, not charging: its door is not open") == true)
        let jam = try #require(events.first { $0.kind == "hive_door_stuck" })
        #expect(jam.deviceID == "hive-1")
        #expect(jam.time == result.scenario.start.addingTimeInterval(5 * 60))
        #expect(result.alerts.map(\.kind) == [.equipmentFault])
        let html = try String(
            contentsOf: try #require(result.reportFiles.first { $0.pathExtension == "html" }), encoding: .utf8)
        #expect(html.contains("door reported stuck in"))
        #expect(html.contains("last status: door stuck, not charging"))
    }

    @Test(.timeLimit(.minutes(3)))
    func windAboveTheLimitRefusesTheLaunch() async throws {
        let (result, _) = try await Self.fly("hive-high-wind.yaml")
        #expect(result.flight.status == .aborted)
        let reason = try #require(result.drone.launchRefused)
        #expect(reason == "hive hive-1: wind 14.0 m/s is above the launch limit 12.0 m/s")
        let store = try PatrolStore(path: result.database.path)
        // Weather is no equipment fault.
        #expect(try store.alerts().isEmpty)
        let status = try #require(
            try store.hiveStatuses(
                hive: "hive-1", from: result.scenario.start, to: result.scenario.start.addingTimeInterval(60)
            ).first)
        #expect(status.windSpeed == 14 && status.door == "closed")
    }

    @Test(.timeLimit(.minutes(3)))
    func dockedDroneChargesAlongTheCurve() async throws {
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let directory = TestKit.temporaryDirectory("patrol-hive-charge")
        let store = try PatrolStore(path: directory.appendingPathComponent("patrol.sqlite").path)
        let start = Date(timeIntervalSince1970: 1_795_564_800)
        let clock = VirtualClock(start: start)
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(
            context: context, endpoint: "inproc://hive-charge-\(UUID())", logger: logger, now: { clock.now() })
        let coordinator = try Coordinator(store: store, link: server, clock: clock, logger: logger)
        let service = Task { await coordinator.run() }
        let client = try LinkClient(context: context, endpoint: server.endpoint, identity: "hive-1", logger: logger)
        let spec = HiveSpec()
        let hive = SimulatedHive(
            id: "hive-1", spec: spec,
            weather: WeatherTimeline(constant: .init(windSpeed: 2, windFrom: 0, rain: 0, temperature: 20)),
            start: start, seed: 1, clock: clock, link: client, logger: logger)
        try await hive.hello()
        hive.dock(battery: 0.3)
        hive.step()
        try await hive.settle()
        let expected = spec.charger.time(from: 0.3, to: spec.charger.full)
        var seconds = 0.0
        while seconds < expected + 120 {
            clock.advance(by: 1)
            seconds += 1
            hive.step()
            try await hive.settle()
        }
        client.close()
        server.close()
        await service.value
        #expect(try #require(hive.padBattery) >= spec.charger.full - 1e-9)
        let statuses = try store.hiveStatuses(hive: "hive-1", from: start, to: clock.now())
        #expect(statuses.first?.charging == true)
        #expect(statuses.last?.charging == false)
        // Charging stopped when the curve says the battery is full, give or take a status.
        let stopped = try #require(statuses.first { !$0.charging })
        #expect(abs(stopped.time.timeIntervalSince(start) - expected) <= 2, "\(stopped.time) vs \(expected) s")
        #expect(statuses.allSatisfy { $0.door == "closed" })
    }
}

/// The hive's models without a link: the charging curve and the weather over the day.
struct HiveModelTests {
    @Test func chargingCurveTapersAboveEightyPercent() {
        // The fleet's hive-1: 400 W, taper from 80 % down to 20 % of the power at 100 %.
        let curve = ChargingCurve(power: 400, capacity: 262, taper: 0.8, taperEnd: 0.2, full: 1)
        // Constant current: 0.3 to 0.8 is 131 Wh at 400 W, 1179 s.
        #expect(abs(curve.time(from: 0.3, to: 0.8) - 1179) <= 2)
        // The taper: 262 Wh × 3600 / 400 W / 4 × ln 2 = 409 s for 85 to 95 %, against 236 s for 60 to 70 %.
        let bulk = curve.time(from: 0.6, to: 0.7)
        let taper = curve.time(from: 0.85, to: 0.95)
        #expect(abs(bulk - 236) <= 2 && abs(taper - 409) <= 3, "\(bulk) \(taper)")
        #expect(curve.charge(from: 0.5, for: 10_000) == curve.full)
        #expect(curve.power(at: 1) == 0)
    }

    @Test func weatherFollowsTheDay() {
        let day = WeatherTimeline(points: [
            .init(at: 0, weather: .init(windSpeed: 2, windFrom: 350, rain: 0, temperature: 20)),
            .init(at: 3600, weather: .init(windSpeed: 6, windFrom: 10, rain: 4, temperature: 30)),
        ])
        let noon = day.weather(at: 1800)
        #expect(abs(noon.windSpeed - 4) < 1e-9 && abs(noon.rain - 2) < 1e-9 && abs(noon.temperature - 25) < 1e-9)
        // The wind turns the short way round, through north.
        #expect(noon.windFrom < 1e-9 || noon.windFrom > 360 - 1e-9)
        #expect(day.weather(at: -5).windSpeed == 2 && day.weather(at: 99_999).windSpeed == 6)
    }

    @Test func launchLimits() {
        let spec = HiveSpec(maxWind: 12, maxRain: 4, minTemperature: -20, maxTemperature: 50)
        #expect(spec.launchRefusal(.init(windSpeed: 11.9, windFrom: 0, rain: 3.9, temperature: 49)) == nil)
        #expect(
            spec.launchRefusal(.init(windSpeed: 2, windFrom: 0, rain: 6, temperature: 20))?.contains("rain") == true)
        #expect(
            spec.launchRefusal(.init(windSpeed: 2, windFrom: 0, rain: 0, temperature: -25))?.contains("temperature")
                == true)
    }

    @Test func scenarioFileNamesTheFieldAndLine() throws {
        let directory = TestKit.temporaryDirectory("patrol-hive-yaml")
        let file = try TestKit.write(
            """
            id: bad
            mission: x.yaml
            start: "2026-11-25T10:00:00+08:00"
            drone:
              id: d
            hive:
              limits:
                max_wind_mps: fast
            """, to: "bad.yaml", in: directory)
        #expect {
            try Scenario.load(from: file)
        } throws: { error in
            "\(error)".contains("bad.yaml:8")
        }
    }
}
