import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

struct AlertFusionTests {
    let fire = LonLat(lon: 114.1335, lat: 22.5772)
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    func sighting(
        _ n: Int, kind: DetectionClass = .smoke, dx: Double = 0, confidence: Double = 0.8, at seconds: Double? = nil
    ) -> Detection {
        Detection(
            id: "d\(n)", time: t0.addingTimeInterval(seconds ?? Double(n)), kind: kind, confidence: confidence,
            position: LonLat(lon: fire.lon + dx / 102_800, lat: fire.lat), positionError: 8)
    }

    @Test func repeatedSightingsAreOneIncident() {
        var fusion = AlertFusion()
        var opened = 0
        for n in 0..<900 {
            if case .opened = fusion.fold(sighting(n, dx: Double(n % 7) - 3), source: "drone-1", flightID: "f1") {
                opened += 1
            }
        }
        #expect(opened == 1)
        #expect(fusion.open.count == 1)
        #expect(fusion.open[0].observations == 900)
        #expect(AlertFusion.distance(fusion.open[0].position, fire) < 2)
    }

    @Test func farApartSightingsAreTwoIncidents() {
        var fusion = AlertFusion()
        _ = fusion.fold(sighting(1), source: "drone-1", flightID: nil)
        _ = fusion.fold(sighting(2, dx: 400), source: "drone-1", flightID: nil)
        #expect(fusion.open.count == 2)
        #expect(fusion.open.map(\.id) == ["alert-1", "alert-2"])
    }

    @Test func smokeThenFireIsOneFireIncident() {
        var fusion = AlertFusion()
        _ = fusion.fold(sighting(1), source: "drone-1", flightID: nil)
        _ = fusion.fold(sighting(2, kind: .fire), source: "camera-7", flightID: nil)
        #expect(fusion.open.count == 1)
        #expect(fusion.open[0].kind == .fire)
    }

    @Test func weakSightingsAreIgnoredAndOldIncidentsAreNotJoined() {
        var fusion = AlertFusion()
        guard case .ignored = fusion.fold(sighting(1, confidence: 0.2), source: "drone-1", flightID: nil) else {
            Issue.record("a weak sighting opened an incident")
            return
        }
        #expect(fusion.open.isEmpty)
        _ = fusion.fold(sighting(2), source: "drone-1", flightID: nil)
        _ = fusion.fold(sighting(3, at: 3 * 3600), source: "drone-1", flightID: nil)
        #expect(fusion.open.count == 2)
    }

    @Test func repeatedFramesOfOneDroneDoNotRaiseConfidence() {
        var fusion = AlertFusion()
        for n in 0..<300 {
            _ = fusion.fold(sighting(n, confidence: n == 5 ? 0.9 : 0.7), source: "drone-1", flightID: "f1")
        }
        #expect(fusion.open.count == 1)
        #expect(fusion.open[0].confidence == 0.9)
        #expect(fusion.open[0].sources == ["drone-1": 0.9])
        #expect(!fusion.open[0].confirmed)
    }

    @Test func droneAndSmokeDetectorConfirmOneIncident() {
        var fusion = AlertFusion()
        _ = fusion.fold(sighting(1, confidence: 0.8), source: "drone-1", flightID: "f1")
        _ = fusion.fold(sighting(2, confidence: 0.7), source: "drone-1", flightID: "f1")
        guard
            case .updated(let alert) = fusion.fold(
                sighting(3, dx: 10, confidence: 0.6), source: "smoke-7-12", flightID: nil)
        else {
            Issue.record("the smoke detector's alarm did not join the drone's incident")
            return
        }
        #expect(fusion.open.count == 1)
        #expect(alert.confirmed)
        #expect(Set(alert.sources.keys) == ["drone-1", "smoke-7-12"])
        // 1 − (1 − 0.8)(1 − 0.6)
        #expect(abs(alert.confidence - 0.92) < 1e-9)
    }

    @Test(arguments: [AlertState.resolved, .closed])
    func sightingAfterClosureOpensLinkedIncident(_ state: AlertState) {
        var fusion = AlertFusion()
        guard case .opened(var first) = fusion.fold(sighting(1), source: "drone-1", flightID: nil) else {
            Issue.record("no incident opened")
            return
        }
        first.state = state
        fusion.sync(first)
        guard case .opened(let second) = fusion.fold(sighting(60), source: "drone-1", flightID: nil) else {
            Issue.record("a sighting after the incident was \(state) joined it")
            return
        }
        #expect(second.id != first.id)
        #expect(second.reopenedFrom == first.id)
        #expect(fusion.open.map(\.id) == [second.id])
        #expect(fusion.ended.map(\.id) == [first.id])
    }

    @Test func falseAlarmIsNotRejoinedUnlessReopened() {
        var fusion = AlertFusion()
        guard case .opened(var first) = fusion.fold(sighting(1), source: "camera-3", flightID: nil) else {
            Issue.record("no incident opened")
            return
        }
        first.state = .falseAlarm
        #expect(fusion.nearby(sighting(2)) == [first.id])
        fusion.sync(first)
        guard case .opened(let second) = fusion.fold(sighting(2), source: "drone-1", flightID: nil) else {
            Issue.record("a sighting joined a false alarm")
            return
        }
        #expect(second.reopenedFrom == first.id)
        #expect(!second.confirmed)
        // An operator reopening the first brings it back; a fresh incident far away links to nothing.
        first.state = .reopened
        fusion.sync(first)
        #expect(Set(fusion.open.map(\.id)) == [first.id, second.id])
        guard case .opened(let far) = fusion.fold(sighting(3, dx: 400), source: "drone-1", flightID: nil) else {
            Issue.record("a far sighting joined")
            return
        }
        #expect(far.reopenedFrom == nil)
    }

    @Test func noisyOrOverSources() {
        #expect(AlertFusion.combined([:]) == 0)
        #expect(AlertFusion.combined(["a": 0.5]) == 0.5)
        #expect(abs(AlertFusion.combined(["a": 0.5, "b": 0.5, "c": 0.5]) - 0.875) < 1e-12)
    }

    @Test func distanceIsInMetres() {
        let east = LonLat(lon: fire.lon + 0.001, lat: fire.lat)
        #expect(abs(AlertFusion.distance(fire, east) - 102.7) < 0.5)
    }
}
