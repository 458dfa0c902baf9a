import Foundation
import PatrolGeo
import PatrolModel
import PatrolReports

/// A whole synthetic flight over the ``Sweep`` rectangle, as the coordinator would hand it to the
/// report: a site around it, the hill mission's settings, a route and 2 Hz telemetry from take-off
/// to landing, two detections and one alert.
enum ReportFixture {
    static let hive = Sweep.origin + XY(-60, -60)
    static let alertID = "A<1> & co/2"

    /// - Parameter surveyOffset: displaces every surveying sample from the route.
    static func input(
        flightID: String = "F-001", surveyOffset: XY = XY(0, 0), telemetry withTelemetry: Bool = true
    ) throws -> FlightReportInput {
        let frame = try SiteFrame(crs: "EPSG:4547")
        func geo(_ corners: [XY]) throws -> GeoPolygon { try frame.unproject(Polygon(corners: corners)) }
        func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) throws -> GeoPolygon {
            try geo([XY(x0, y0), XY(x1, y0), XY(x1, y1), XY(x0, y1)].map { Sweep.origin + $0 })
        }
        let site = Site(
            id: "test-site", name: "Test Estate", crs: "EPSG:4547", origin: try frame.unproject(Sweep.origin),
            groundElevation: 20, boundary: try rect(-200, -200, 600, 500),
            towers: [
                Tower(id: "t1", name: "Tower 1", footprint: try rect(450, -150, 480, -120), height: 98),
                Tower(id: "t2", name: "Tower 2", footprint: try rect(500, -150, 530, -120), height: 76.5),
            ],
            areas: [
                PatrolArea(id: "hill", name: "Hill", kind: "hill", polygon: try rect(0, 0, Sweep.width, Sweep.height))
            ],
            noFlyZones: [
                NoFlyZone(id: "school", name: "School", reason: "school", polygon: try rect(-150, 350, -100, 450))
            ],
            hives: [Hive(id: "hive-1", name: "Hill hive", position: try frame.unproject(hive))])
        let mission = Mission(
            id: "hill-fire-patrol", name: "Hill smoke and fire patrol", kind: .areaCoverage(area: .site("hill")),
            hive: "hive-1", altitude: Sweep.altitude, transitAltitude: 60, speed: Sweep.speed, camera: Sweep.camera,
            detect: [.smoke, .fire])

        let (lineStart, sweep) = Sweep.legs(lines: Sweep.lineOffsets())
        var waypoints: [(XY, Waypoint.Kind)] = [(hive, .takeoff), (lineStart, .transit)]
        waypoints += sweep.map { ($0.to, $0.state == .surveying ? .survey : .transit) }
        waypoints += [(hive, .transit), (hive, .land)]
        let positions = try frame.unproject(waypoints.map(\.0))
        let route = Route(
            missionID: mission.id,
            waypoints: zip(positions, waypoints).map {
                Waypoint(position: $0, altitude: Sweep.altitude, kind: $1.1, speed: 8)
            },
            swathWidth: Sweep.footprint.width, lineSpacing: Sweep.spacing, triggerSpacing: 20, length: 3000,
            estimatedDuration: 400)

        // Take-off, transit, the sweep, return, landing.
        var samples: [(time: Date, position: XY, heading: Double, state: VehicleState)] = []
        var altitudes: [Double] = []
        for i in 0..<12 {
            samples.append((Sweep.start + Double(i) * 0.5, hive, 0, i < 2 ? .idle : .takingOff))
            altitudes.append(i < 2 ? 0 : Sweep.altitude * Double(i - 1) / 10)
        }
        let legs = [Sweep.Leg(to: lineStart, state: .transit)] + sweep + [Sweep.Leg(to: hive, state: .returning)]
        for s in Sweep.fly(from: hive, legs, offset: surveyOffset).dropFirst() {
            samples.append((s.time + 6, s.position, s.heading, s.state))
            altitudes.append(Sweep.altitude)
        }
        let end = samples[samples.count - 1].time
        for i in 1...12 {
            samples.append((end + Double(i) * 0.5, hive, 0, i <= 10 ? .landing : .landed))
            altitudes.append(i <= 10 ? Sweep.altitude * Double(10 - i) / 10 : 0)
        }
        let lonLats = try frame.unproject(samples.map(\.position))
        let count = Double(samples.count - 1)
        let telemetry = samples.indices.map { i in
            Telemetry(
                time: samples[i].time, position: lonLats[i], altitude: altitudes[i], heading: samples[i].heading,
                speed: 8, battery: 0.95 - 0.35 * Double(i) / count, state: samples[i].state, waypointIndex: 0)
        }
        let middle = Sweep.start + 180
        let detections = [
            Detection(
                id: "d1", time: middle, kind: .smoke, confidence: 0.82,
                position: try frame.unproject(Sweep.origin + XY(200, 150)), positionError: 5),
            Detection(
                id: "d2", time: middle + 40, kind: .smoke, confidence: 0.91,
                position: try frame.unproject(Sweep.origin + XY(210, 160)), positionError: 4),
        ]
        let alert = Alert(
            id: alertID, kind: .smoke, state: .new, position: try frame.unproject(Sweep.origin + XY(205, 155)),
            positionError: 3, firstSeen: middle, lastSeen: middle + 40, observations: 2, confidence: 0.91,
            source: "drone-1", flightID: flightID)
        let flight = Flight(
            id: flightID, missionID: mission.id, deviceID: "drone-1", status: .completed, route: route,
            startedAt: nil, endedAt: nil)
        return FlightReportInput(
            site: site, mission: mission, flight: flight, telemetry: withTelemetry ? telemetry.reversed() : [],
            detections: detections, alerts: [alert], plannedArea: Sweep.area)
    }
}
