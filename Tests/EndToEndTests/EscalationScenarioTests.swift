import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// Incidents escalating on the injected clock over a real SQLite file, with the Mumianling policy files.
struct EscalationScenarioTests {
    let path = TestKit.temporaryDirectory("patrol-escalation").appendingPathComponent("patrol.sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    let rules: AlertPolicy
    /// The central plaza, outside every tower and area.
    static let plaza = LonLat(lon: 114.1324807, lat: 22.5717153)
    /// The middle of tower T07.
    static let tower7 = LonLat(lon: 114.131216, lat: 22.571354)

    init() throws {
        rules = try AlertPolicy.load(siteDirectory: TestKit.file("geo/mumianling"))
    }

    func engine(_ clock: VirtualClock) throws -> EscalationEngine {
        EscalationEngine(
            store: try PatrolStore(path: path), rules: rules, clock: clock,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// A camera sees something; fusion opens an incident, the store records it, escalation starts.
    @discardableResult
    func sighting(_ kind: DetectionClass, at position: LonLat, engine: EscalationEngine) throws -> Alert {
        var fusion = AlertFusion(nextNumber: try engine.store.nextAlertNumber())
        let detection = Detection(
            id: "cam-\(kind.rawValue)", time: engine.clock.now(), kind: kind, confidence: 0.9, position: position,
            positionError: 3)
        guard case .opened(let alert) = fusion.fold(detection, source: "cam-17", flightID: nil) else {
            throw AlertCommandError(message: "no incident opened")
        }
        try engine.store.save(
            alert, detectionID: nil, deviceID: nil, actor: "fusion", reason: "opened by cam-17", at: detection.time)
        try engine.start(alert)
        return alert
    }

    /// Each notification as `minute:level:recipient`, with `r` for a reminder.
    func log(_ store: PatrolStore, _ id: String) throws -> [String] {
        try store.notifications(alertID: id).map {
            "\(Int($0.due.timeIntervalSince(t0) / 60))\($0.reminder ? "r" : ""):\($0.level):\($0.recipient)"
        }
    }

    /// Advances the clock minute by minute to `minute`, firing what falls due.
    func run(_ engine: EscalationEngine, _ clock: VirtualClock, to minute: Int) throws {
        while clock.now() < t0.addingTimeInterval(Double(minute) * 60) {
            clock.advance(by: 60)
            try engine.fireDue()
        }
    }

    static let garbageLadder = [
        "0:outer_loop:luohu-sanitation", "10r:outer_loop:luohu-sanitation", "20r:outer_loop:luohu-sanitation",
        "30:community_office:mumianling-office", "40r:community_office:mumianling-office",
        "50r:community_office:mumianling-office", "60:street_enforcement:street-enforcement",
        "70r:street_enforcement:street-enforcement",
    ]

    @Test func unacknowledgedGarbageGoesToTheOfficeThenStreetEnforcement() throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        let alert = try sighting(.garbage, at: Self.plaza, engine: engine)
        #expect(try engine.store.alert(alert.id)?.state == .dispatched)
        try run(engine, clock, to: 29)
        #expect(try log(engine.store, alert.id).count == 3, "nobody above the outer loop before 30 minutes")
        try run(engine, clock, to: 75)
        #expect(try log(engine.store, alert.id) == Self.garbageLadder)
        #expect(try engine.store.deadline(alertID: alert.id)?.due == t0 + 80 * 60)
    }

    @Test func aRestartInBetweenChangesNothing() throws {
        let clock = VirtualClock(start: t0)
        var engine = try engine(clock)
        let alert = try sighting(.garbage, at: Self.plaza, engine: engine)
        try run(engine, clock, to: 25)
        let before = try engine.store.deadlines()
        // A new process: new store and engine objects over the same file, and a new clock at the same time.
        let restarted = VirtualClock(start: clock.now())
        engine = try self.engine(restarted)
        #expect(try engine.store.deadlines() == before)
        try run(engine, restarted, to: 75)
        #expect(try log(engine.store, alert.id) == Self.garbageLadder)
    }

    @Test func acknowledgingStopsEscalation() throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        let alert = try sighting(.garbage, at: Self.plaza, engine: engine)
        try run(engine, clock, to: 25)
        try engine.act(.acknowledge, alertID: alert.id, by: "luohu-sanitation", reason: "crew on the way")
        #expect(try engine.store.deadlines().isEmpty)
        try run(engine, clock, to: 120)
        #expect(try log(engine.store, alert.id) == Array(Self.garbageLadder.prefix(3)))
        let transitions = try engine.store.alertTransitions(alertID: alert.id)
        #expect(transitions.map(\.to) == [.new, .dispatched, .acknowledged])
        #expect(transitions.last?.actor == "luohu-sanitation" && transitions.last?.at == t0 + 25 * 60)
        try engine.act(.resolve, alertID: alert.id, by: "luohu-sanitation")
        try engine.act(.reopen, alertID: alert.id, by: "cam-17", reason: "seen again")
        #expect(
            try log(engine.store, alert.id).last == "120:outer_loop:luohu-sanitation", "a reopened incident starts over"
        )
    }

    @Test func aFireNotifiesEveryLevelAtOnce() throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        let alert = try sighting(.fire, at: Self.tower7, engine: engine)
        #expect(rules.placement(of: alert).tower == "T07")
        #expect(
            try log(engine.store, alert.id) == [
                "0:outer_loop:mml-emergency", "0:community_office:mumianling-office",
                "0:street_enforcement:street-enforcement",
            ])
        #expect(try engine.store.deadline(alertID: alert.id)?.due == t0 + 5 * 60)
    }

    @Test func anInvalidTransitionIsRefusedAndNothingChanges() throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        let alert = try sighting(.garbage, at: Self.plaza, engine: engine)
        #expect(throws: LifecycleError.self) { try engine.act(.close, alertID: alert.id, by: "operator") }
        #expect(throws: AlertCommandError.self) { try engine.act(.acknowledge, alertID: "alert-99", by: "operator") }
        #expect(try engine.store.alertTransitions(alertID: alert.id).count == 2)
        #expect(try engine.store.deadline(alertID: alert.id) != nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func theServiceSleepsUntilTheNextDeadlineInVirtualTime() async throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        let alert = try sighting(.garbage, at: Self.plaza, engine: engine)
        let service = Task { await EscalationService(engine: engine).run() }
        for (minute, expected) in [(10, 2), (20, 3), (30, 4)] {
            while clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(2)) }
            clock.advance(to: t0.addingTimeInterval(Double(minute) * 60))
            while try engine.store.notifications(alertID: alert.id).count < expected {
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        #expect(try log(engine.store, alert.id) == Array(Self.garbageLadder.prefix(4)))
        service.cancel()
        await service.value
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func aStoppedServiceAndANewOneOverTheSameFileMissNothing() async throws {
        let clock = VirtualClock(start: t0)
        let first = try engine(clock)
        let alert = try sighting(.garbage, at: Self.plaza, engine: first)
        var service = Task { await EscalationService(engine: first).run() }
        while clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(2)) }
        service.cancel()
        await service.value
        // Down for 35 minutes: the reminders at 10 and 20 and the office at 30 are overdue.
        clock.advance(by: 35 * 60)
        let second = try engine(clock)
        service = Task { await EscalationService(engine: second).run() }
        while try second.store.notifications(alertID: alert.id).count < 3 {
            try await Task.sleep(for: .milliseconds(2))
        }
        while clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(2)) }
        service.cancel()
        await service.value
        // One catch-up reminder, then the office: no burst, no level skipped, nothing twice.
        #expect(
            try log(second.store, alert.id) == [
                "0:outer_loop:luohu-sanitation", "10r:outer_loop:luohu-sanitation",
                "30:community_office:mumianling-office",
            ])
        #expect(try second.store.notifications(alertID: alert.id).allSatisfy { $0.at == t0 || $0.at == t0 + 35 * 60 })
        #expect(try second.store.deadline(alertID: alert.id)?.due == t0 + 40 * 60)
    }
}
