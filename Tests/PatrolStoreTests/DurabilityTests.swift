import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// What the store promises about commits: synced to disk by default, and an observation written
/// with its incident and first deadline in one transaction.
struct DurabilityTests {
    let path = TestKit.temporaryDirectory("patrol-durability").appendingPathComponent("p.sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    @Test func theWriterSyncsEveryCommitUnlessAskedOtherwise() throws {
        #expect(try PatrolStore(path: path).synchronousLevel() == 2)
        #expect(try PatrolStore(path: path).journalMode() == "wal")
        #expect(try PatrolStore(path: path, durability: .normal).synchronousLevel() == 1)
    }

    func detection(_ id: String) -> Detection {
        Detection(
            id: id, time: t0, kind: .garbage, confidence: 0.8, position: LonLat(lon: 114.13, lat: 22.57),
            positionError: 3)
    }

    @Test func anObservationIsStoredWithItsIncidentAndDeadlineOnce() throws {
        let store = try PatrolStore(path: path)
        let alert = Alert(
            id: "alert-1", kind: .garbage, state: .new, position: LonLat(lon: 114.13, lat: 22.57), positionError: 3,
            firstSeen: t0, lastSeen: t0, observations: 1, confidence: 0.8, source: "cam-1", flightID: nil)
        let deadline = EscalationDeadline(
            alertID: "alert-1", due: t0, startedAt: t0, levels: [0], reminder: false, responsible: "office")
        let change = IncidentChange(
            alert: alert, actor: "fusion", reason: "opened by cam-1", at: t0, deadline: deadline)
        #expect(try store.recordObservation(detection("d1"), deviceID: "cam-1", flightID: nil, incident: change))
        #expect(try store.hasDetection(deviceID: "cam-1", detectionID: "d1"))
        #expect(try store.alert("alert-1")?.state == .new)
        #expect(try store.deadline(alertID: "alert-1") == deadline)
        #expect(try store.alertTransitions(alertID: "alert-1").count == 1)
        // A resend changes nothing.
        #expect(!(try store.recordObservation(detection("d1"), deviceID: "cam-1", flightID: nil, incident: change)))
        #expect(try store.detectionIDs(deviceID: "cam-1") == ["d1"])
        #expect(try store.alertTransitions(alertID: "alert-1").count == 1)
    }
}

extension DurabilityTests {
    @Test func anIncidentsSourcesAndTimesReadBackAsWritten() throws {
        let store = try PatrolStore(path: path)
        var alert = Alert(
            id: "alert-1", kind: .smoke, state: .new, position: LonLat(lon: 114.13, lat: 22.57), positionError: 3,
            firstSeen: t0 + 0.123, lastSeen: t0 + 60.5, observations: 1, confidence: 0.8, source: "cam \"1\"",
            flightID: "f-1", sources: ["cam \"1\"": 0.8, "gw\\b2/smoke\n3": 1e-5])
        try store.recordObservation(
            detection("d1"), deviceID: "cam-1", flightID: nil,
            incident: IncidentChange(alert: alert, actor: "fusion", reason: "opened", at: t0))
        #expect(try store.alert("alert-1") == alert)
        alert.observations = 2
        alert.confirmed = true
        alert.reopenedFrom = nil
        try store.recordObservation(
            detection("d2"), deviceID: "cam-1", flightID: nil,
            incident: IncidentChange(alert: alert, actor: "fusion", reason: "seen again", at: t0))
        #expect(try store.alert("alert-1") == alert)
        #expect(try store.alertTransitions(alertID: "alert-1").count == 1, "no change of state, no transition")
    }
}
