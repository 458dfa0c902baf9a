import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// Silences, maintenance windows and inhibition on the injected clock, over a real SQLite file
/// with the Mumianling policy files.
struct SilenceScenarioTests {
    let path = TestKit.temporaryDirectory("patrol-silence").appendingPathComponent("patrol.sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    let rules: AlertPolicy

    init() throws {
        rules = try AlertPolicy.load(siteDirectory: TestKit.file("geo/mumianling"))
    }

    func engine(_ clock: VirtualClock) throws -> EscalationEngine {
        EscalationEngine(
            store: try PatrolStore(path: path), rules: rules, clock: clock,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// An incident stored as fusion and the coordinator store it, with its first deadline.
    @discardableResult
    func incident(
        _ id: String, _ kind: DetectionClass, at position: LonLat, sources: [String: Double] = ["cam-17": 0.9],
        engine: EscalationEngine
    ) throws -> Alert {
        let now = engine.clock.now()
        let alert = Alert(
            id: id, kind: kind, state: .new, position: position, positionError: 3, firstSeen: now, lastSeen: now,
            observations: sources.count, confidence: 0.9, source: sources.keys.sorted()[0], flightID: nil,
            sources: sources, confirmed: sources.count > 1)
        try engine.store.recordObservation(
            Detection(id: "d-\(id)", time: now, kind: kind, confidence: 0.9, position: position, positionError: 3),
            deviceID: alert.source, flightID: nil,
            incident: IncidentChange(
                alert: alert, actor: "fusion", reason: "opened", at: now, deadline: engine.firstDeadline(for: alert)))
        try engine.fireDue()
        return alert
    }

    func minutes(_ store: PatrolStore, _ id: String) throws -> [String] {
        try store.notifications(alertID: id).map {
            "\(Int($0.at.timeIntervalSince(t0) / 60))\($0.reminder ? "r" : ""):\($0.level)"
        }
    }

    func run(_ engine: EscalationEngine, _ clock: VirtualClock, to minute: Int) throws {
        while clock.now() < t0.addingTimeInterval(Double(minute) * 60) {
            clock.advance(by: 60)
            try engine.fireDue()
        }
    }

    @Test func aMaintenanceWindowHoldsNotificationsUntilItEndsAndSurvivesARestart() throws {
        let clock = VirtualClock(start: t0)
        var engine = try engine(clock)
        try engine.store.add(
            Silence(
                id: "hive-service", start: t0 - 60, end: t0 + 45 * 60, classes: [.garbage], sources: ["drone-1"],
                by: "ops-chen", reason: "hive 1 under service"), at: t0)
        let silenced = try incident(
            "alert-1", .garbage, at: EscalationScenarioTests.plaza, sources: ["drone-1": 0.9], engine: engine)
        let other = try incident(
            "alert-2", .garbage, at: LonLat(lon: 114.1330, lat: 22.5720), sources: ["cam-17": 0.9], engine: engine)
        #expect(try minutes(engine.store, silenced.id).isEmpty)
        #expect(try minutes(engine.store, other.id) == ["0:outer_loop"], "another source is not covered")
        #expect(try engine.store.alert(silenced.id)?.state == .new, "recorded, not dispatched")
        let held = try engine.store.suppressions(alertID: silenced.id)
        #expect(held.map(\.cause) == ["hive-service"])
        #expect(held.first?.until == t0 + 45 * 60)

        try run(engine, clock, to: 20)
        engine = try self.engine(clock)  // a restart in the window
        try run(engine, clock, to: 44)
        #expect(try minutes(engine.store, silenced.id).isEmpty)
        try run(engine, clock, to: 46)
        // At the end of the window the ladder goes on where it stands, caught up as after a
        // restart: the outer loop, the community office already due at 30 minutes, and the one
        // reminder of that level that fell due meanwhile.
        let log = try minutes(engine.store, silenced.id)
        #expect(log == ["45:outer_loop", "45:community_office", "45r:community_office"], "\(log)")
        #expect(try engine.store.suppressions(alertID: silenced.id).count == 1, "recorded once")
    }

    @Test func anOperatorSilenceFromTheCommandLineStoreAndEndedEarly() throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        try engine.store.add(
            Silence(id: "silence-1", start: t0, end: t0 + 3600, places: ["T07"], by: "ops", reason: "drill"), at: t0)
        let alert = try incident("alert-1", .corridorClutter, at: EscalationScenarioTests.tower7, engine: engine)
        #expect(try minutes(engine.store, alert.id).isEmpty)
        try run(engine, clock, to: 10)
        #expect(try engine.store.endSilence("silence-1", at: clock.now()))
        // Held until the silence's end as it was; ended early, the next look finds nothing holding it.
        try engine.store.schedule(
            EscalationDeadline(
                alertID: alert.id, due: clock.now(), startedAt: t0, levels: [0], reminder: false,
                responsible: rules.map.responsible(for: .corridorClutter, at: rules.placement(of: alert)).id))
        try engine.fireDue()
        #expect(try minutes(engine.store, alert.id) == ["10:outer_loop"])
    }

    @Test func aConfirmedFireInTower7MutesTheSmokeAlarmsItCausesThere() throws {
        let clock = VirtualClock(start: t0)
        let engine = try engine(clock)
        let fire = try incident(
            "alert-1", .fire, at: EscalationScenarioTests.tower7, sources: ["drone-1": 0.8, "gw-t7/smoke-1": 1],
            engine: engine)
        #expect(try minutes(engine.store, fire.id).count == 3, "the fire calls everyone at once")
        clock.advance(by: 60)
        let smoke = try incident(
            "alert-2", .smoke, at: LonLat(lon: 114.131216, lat: 22.571300), sources: ["gw-t7/smoke-9": 1],
            engine: engine)
        #expect(try minutes(engine.store, smoke.id).isEmpty)
        #expect(try engine.store.suppressions(alertID: smoke.id).map(\.kind) == ["inhibition"])
        #expect(try engine.store.suppressions(alertID: smoke.id).first?.cause == fire.id)
        try run(engine, clock, to: 20)
        #expect(try minutes(engine.store, smoke.id).isEmpty, "muted while the fire is open")
        #expect(try engine.store.suppressions(alertID: smoke.id).count == 1, "recorded once")
        // The fire resolved, the smoke alarm's escalation is asked again at its next reminder.
        _ = try engine.act(.resolve, alertID: fire.id, by: "fire-service", reason: "out")
        try run(engine, clock, to: 30)
        #expect(try minutes(engine.store, smoke.id).first?.hasSuffix(":outer_loop") == true)
    }
}
