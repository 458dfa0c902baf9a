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

    @Test func distanceIsInMetres() {
        let east = LonLat(lon: fire.lon + 0.001, lat: fire.lat)
        #expect(abs(AlertFusion.distance(fire, east) - 102.7) < 0.5)
    }
}
