import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

struct PatrolStoreTests {
    let store: PatrolStore
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    init() throws {
        store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("patrol.sqlite").path)
    }

    var route: Route {
        Route(
            missionID: "m",
            waypoints: [Waypoint(position: LonLat(lon: 114.13, lat: 22.57), altitude: 50, kind: .takeoff, speed: 8)],
            swathWidth: 70, lineSpacing: 49, triggerSpacing: 20, length: 0, estimatedDuration: 0)
    }

    @Test func usesWriteAheadLogging() throws {
        #expect(try store.journalMode() == "wal")
    }

    @Test func flightsAndTelemetryRoundTrip() throws {
        try store.save(
            Flight(id: "f1", missionID: "m", deviceID: "drone-1", status: .flying, route: route, startedAt: t0))
        let samples = (0..<100).map { (i: Int) -> TelemetrySample in
            let t = Double(i)
            let telemetry = Telemetry(
                time: t0.addingTimeInterval(t / 2), position: LonLat(lon: 114.13 + t * 1e-5, lat: 22.57), altitude: 50,
                heading: 90, speed: 8, battery: 1 - t / 1000, state: .surveying, waypointIndex: 2)
            return TelemetrySample(flightID: "f1", deviceID: "drone-1", sequence: UInt64(i + 1), telemetry: telemetry)
        }
        try store.append(samples)
        #expect(try store.telemetryCount(flightID: "f1") == 100)
        let back = try store.telemetry(flightID: "f1")
        #expect(back.first == samples.first?.telemetry)
        #expect(back.last?.position == samples.last?.telemetry.position)
        #expect(try store.flight("f1")?.route == route)
    }

    @Test func resentDetectionsAreStoredOnce() throws {
        let d = Detection(
            id: "d1", time: t0, kind: .smoke, confidence: 0.9, position: LonLat(lon: 114.13, lat: 22.57),
            positionError: 5)
        #expect(try store.record(d, deviceID: "drone-1", flightID: "f1"))
        #expect(try !store.record(d, deviceID: "drone-1", flightID: "f1"))
        #expect(try store.record(d, deviceID: "drone-2", flightID: "f1"))
        #expect(try store.detections(flightID: "f1").count == 2)
    }

    @Test func alertSourcesConfirmationAndLinkAreStored() throws {
        let old = Alert(
            id: "alert-1", kind: .smoke, state: .resolved, position: LonLat(lon: 114.13, lat: 22.57), positionError: 5,
            firstSeen: t0, lastSeen: t0, observations: 1, confidence: 0.8, source: "drone-1", flightID: nil)
        let new = Alert(
            id: "alert-2", kind: .fire, state: .new, position: LonLat(lon: 114.13, lat: 22.57), positionError: 5,
            firstSeen: t0, lastSeen: t0, observations: 2, confidence: 0.92, source: "drone-1", flightID: nil,
            sources: ["drone-1": 0.8, "smoke-7-12": 0.6], confirmed: true, reopenedFrom: "alert-1")
        try store.save(old, detectionID: nil, deviceID: nil, actor: "fusion", reason: "opened", at: t0)
        try store.save(new, detectionID: nil, deviceID: nil, actor: "fusion", reason: "opened", at: t0)
        #expect(try store.alert("alert-1") == old)
        #expect(try store.alert("alert-2") == new)
    }

    @Test func alertTransitionsAreRecorded() throws {
        var alert = Alert(
            id: "alert-1", kind: .smoke, state: .new, position: LonLat(lon: 114.13, lat: 22.57), positionError: 5,
            firstSeen: t0,
            lastSeen: t0, observations: 1, confidence: 0.8, source: "drone-1", flightID: "f1")
        try store.save(alert, detectionID: nil, deviceID: nil, actor: "fusion", reason: "opened", at: t0)
        alert.observations = 2
        try store.save(alert, detectionID: nil, deviceID: nil, actor: "fusion", reason: "seen again", at: t0)
        alert.state = .acknowledged
        try store.save(alert, detectionID: nil, deviceID: nil, actor: "operator", reason: "on it", at: t0)
        #expect(try store.alerts().map(\.observations) == [2])
        #expect(try store.transitions(alertID: "alert-1").map(\.to) == ["new", "acknowledged"])
        #expect(try store.nextAlertNumber() == 2)
    }

    @Test func reopeningKeepsData() throws {
        let path = store.path
        try store.save(Flight(id: "f2", missionID: "m", deviceID: "drone-1", status: .completed, route: route))
        let again = try PatrolStore(path: path)
        #expect(try again.flight("f2")?.status == .completed)
    }

    @Test func unopenableFileIsAClearError() {
        #expect {
            _ = try PatrolStore(path: "/nonexistent-dir/x/patrol.sqlite")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent-dir/x/patrol.sqlite")
        }
    }
}
