import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

/// Plans survive `.plan`, `.waypoints` and `.geojson` for everything each format can say.
struct FlightPlanRoundTripTests {
    static let hive = LonLat(lon: 114.1324320, lat: 22.5741076)

    static var plan: FlightPlan {
        let legs: [(Double, Double, Double, Waypoint.Kind, Double)] = [
            (114.1324320, 22.5741076, 60, .takeoff, 8), (114.131113291348, 22.574786029903137, 50, .transit, 8),
            (114.1344701186533, 22.575055975262508, 50, .survey, 8),
            (114.13447010030269, 22.5753714999, 50, .transit, 6),
            (114.1298304, 22.5750958, 50, .survey, 6), (114.1295814, 22.5754887, 45.5, .survey, 6),
            (114.1324320, 22.5741076, 60, .transit, 10), (114.1324320, 22.5741076, 0, .land, 10),
        ]
        let waypoints = legs.map {
            Waypoint(position: LonLat(lon: $0.0, lat: $0.1), altitude: $0.2, kind: $0.3, speed: $0.4)
        }
        let route = Route(
            missionID: "round-trip", waypoints: waypoints, swathWidth: 0, lineSpacing: 0, triggerSpacing: 20.8,
            length: 0, estimatedDuration: 0)
        // A clockwise polygon, as QGroundControl writes them: Patrol keeps it counter-clockwise.
        let clockwise = [(114.1338, 22.5702), (114.1338, 22.5709), (114.1348, 22.5709), (114.1348, 22.5702)]
        return FlightPlan(
            route: route, home: hive, homeAltitude: 20,
            geofences: [
                .polygon(clockwise.map { LonLat(lon: $0.0, lat: $0.1) }, inclusion: false),
                Geofence(shape: .circle(center: hive, radius: 1500), inclusion: true),
            ],
            rallyPoints: [RallyPoint(position: hive, altitude: 60)])
    }

    func roundTrip(_ plan: FlightPlan, _ ext: String) throws -> FlightPlan {
        let url = TestKit.temporaryDirectory("plan-formats").appendingPathComponent("round-trip.\(ext)")
        try plan.write(to: url)
        return try FlightPlan.load(from: url)
    }

    @Test func geofencePolygonsAreKeptCounterClockwise() throws {
        guard case .polygon(let vertices) = Self.plan.geofences[0].shape else { Issue.record("not a polygon"); return }
        #expect(vertices.first == LonLat(lon: 114.1338, lat: 22.5702))
        #expect(vertices[1] == LonLat(lon: 114.1348, lat: 22.5702))
    }

    @Test func qgcPlanIsLossless() throws {
        let back = try roundTrip(Self.plan, "plan")
        #expect(back.route.waypoints == Self.plan.route.waypoints)
        #expect(back.route.triggerSpacing == Self.plan.route.triggerSpacing)
        #expect(back.home == Self.plan.home && back.homeAltitude == Self.plan.homeAltitude)
        #expect(back.geofences == Self.plan.geofences)
        #expect(back.rallyPoints == Self.plan.rallyPoints)
        // And a second trip changes nothing at all.
        #expect(try roundTrip(back, "plan") == back)
    }

    @Test func waypointsFileKeepsTheMission() throws {
        let back = try roundTrip(Self.plan, "waypoints")
        #expect(back.route.waypoints == Self.plan.route.waypoints)
        #expect(back.route.triggerSpacing == Self.plan.route.triggerSpacing)
        #expect(back.home == Self.plan.home && back.homeAltitude == Self.plan.homeAltitude)
        #expect(back.geofences.isEmpty && back.rallyPoints.isEmpty, "WPL has no fences or rally points")
        #expect(try roundTrip(back, "waypoints") == back)
    }

    @Test func geoJSONKeepsEverythingToACentimetre() throws {
        let original = try roundTrip(Self.plan, "plan")
        let back = try roundTrip(original, "geojson")
        #expect(back.route.waypoints.count == original.route.waypoints.count)
        for (a, b) in zip(back.route.waypoints, original.route.waypoints) {
            #expect(abs(a.position.lon - b.position.lon) <= 1e-7 && abs(a.position.lat - b.position.lat) <= 1e-7)
            #expect(a.altitude == b.altitude && a.kind == b.kind && a.speed == b.speed)
        }
        #expect(back.route.missionID == original.route.missionID)
        #expect(back.route.triggerSpacing == original.route.triggerSpacing)
        #expect(back.geofences.count == 2 && back.rallyPoints == original.rallyPoints)
        #expect(back.geofences[0] == original.geofences[0])
    }

    @Test(arguments: ["missions/examples/hill-fire-patrol.plan", "missions/examples/hill-fire-patrol.waypoints"])
    func examplesImport(path: String) throws {
        let plan = try FlightPlan.load(from: TestKit.file(path))
        #expect(plan.route.waypoints.count > 10)
        #expect(plan.route.waypoints.first?.kind == .takeoff && plan.route.waypoints.last?.kind == .land)
        #expect(plan.route.waypoints.contains { $0.kind == .survey })
        #expect(abs(plan.route.triggerSpacing - 20.8) < 0.1)
    }
}

/// The default site's local frame: zero at its origin on the ground, heights above sea level.
struct SiteLocalFrameTests {
    @Test func originAtGroundLevelIsZero() throws {
        let site = try Mission.load(from: TestKit.defaultMission).site
        let frame = try site.localFrame()
        #expect(frame.heights == .orthometric)
        let origin = try frame.local(XYZ(site.origin.lon, site.origin.lat, site.groundElevation))
        #expect(abs(origin.x) < 1e-6 && abs(origin.y) < 1e-6 && abs(origin.z) < 1e-6)
        let up = try frame.local(XYZ(site.origin.lon, site.origin.lat, site.groundElevation + 100))
        #expect(abs(up.z - 100) < 1e-6)
    }
}
