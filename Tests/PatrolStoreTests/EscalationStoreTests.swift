import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

struct EscalationStoreTests {
    let path = TestKit.temporaryDirectory().appendingPathComponent("patrol.sqlite").path
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    func opened(_ store: PatrolStore) throws -> Alert {
        let alert = Alert(
            id: "alert-1", kind: .garbage, state: .new, position: LonLat(lon: 114.13, lat: 22.57), positionError: 5,
            firstSeen: t0,
            lastSeen: t0, observations: 1, confidence: 0.9, source: "cam-17", flightID: nil)
        try store.save(alert, detectionID: nil, deviceID: nil, actor: "fusion", reason: "opened", at: t0)
        return alert
    }

    @Test func transitionsKeepWhoWhenAndWhyAndRefuseAStaleChange() throws {
        let store = try PatrolStore(path: path)
        var alert = try opened(store)
        alert.state = .acknowledged
        let ack = AlertTransition(
            alertID: "alert-1", from: .new, to: .acknowledged, at: t0 + 60, actor: "luohu-sanitation",
            reason: "on my way")
        #expect(try store.apply(alert, transition: ack))
        // Applying the same change again starts from a state the alert is no longer in.
        #expect(try !store.apply(alert, transition: ack))
        let back = try PatrolStore(path: path).alertTransitions(alertID: "alert-1")
        #expect(back.count == 2)
        #expect(back.last == ack)
        #expect(back.first?.from == nil && back.first?.to == .new && back.first?.actor == "fusion")
    }

    @Test func aDeadlineFiresOnceAndSurvivesReopeningTheFile() throws {
        let store = try PatrolStore(path: path)
        _ = try opened(store)
        let first = EscalationDeadline(
            alertID: "alert-1", due: t0, startedAt: t0, levels: [0], reminder: false, responsible: "p")
        try store.schedule(first)
        let again = try PatrolStore(path: path)
        #expect(try again.deadlines() == [first])
        var next = first
        next.due = t0 + 600
        next.reminder = true
        let note = AlertNotification(
            alertID: "alert-1", level: "outer_loop", recipient: "p", at: t0, due: t0, reminder: false)
        #expect(try again.fire(first, notifications: [note], next: next))
        #expect(try !store.fire(first, notifications: [note], next: next), "a deadline fired twice")
        #expect(try store.notifications(alertID: "alert-1") == [note])
        #expect(try store.nextDeadline() == next)
        var alert = try #require(try store.alert("alert-1"))
        alert.state = .resolved
        let resolve = AlertTransition(
            alertID: "alert-1", from: .new, to: .resolved, at: t0 + 60, actor: "p", reason: "done")
        #expect(try store.apply(alert, transition: resolve, deadline: .cancel))
        #expect(try store.deadlines().isEmpty)
    }
}
