import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

/// Flight plans made by QGroundControl, Mission Planner and ArduPilot (`Tests/Fixtures/qgc`, sources in
/// its SOURCES.md) import, and `patrol convert` round-trips them through each format.
struct RealPlanFilesTests {
    static func fixture(_ name: String) -> URL { TestKit.file("Tests/Fixtures/qgc/" + name) }

    @Test func qgroundControlsSimpleSquareImports() throws {
        let plan = try FlightPlan.load(from: Self.fixture("simple_square.plan"))
        #expect(plan.route.waypoints.map(\.kind) == [.takeoff, .transit, .transit, .transit, .transit])
        #expect(plan.route.waypoints.allSatisfy { $0.altitude == 20 && $0.speed == 5 })
        #expect(plan.home == LonLat(lon: 8.545594, lat: 47.397742) && plan.homeAltitude == 488)
        #expect(plan.route.waypoints[3].position == LonLat(lon: 8.544594, lat: 47.396742))
    }

    @Test func missionPlannersWaypointsImport() throws {
        let plan = try FlightPlan.load(from: Self.fixture("MissionPlanner.waypoints"))
        #expect(plan.route.waypoints.count == 5)
        #expect(plan.route.waypoints.allSatisfy { $0.altitude == 100 && $0.kind == .transit })
        #expect(plan.home == LonLat(lon: -122.103167, lat: 47.660459) && abs(plan.homeAltitude - 5.21) < 1e-9)
    }

    @Test func ardupilotsTakeoffAtZeroZeroIsAtHomeAndSpeedsApply() throws {
        let (plan, skipped) = try FlightPlan.read(from: Self.fixture("ardupilot-copter-do-change-speed.waypoints"))
        #expect(skipped.isEmpty)
        let w = plan.route.waypoints
        #expect(w.map(\.kind) == [.takeoff, .transit, .transit, .transit, .transit, .land])
        #expect(w[0].position == plan.home, "a takeoff at 0, 0 is where the vehicle is")
        #expect(w.map(\.speed) == [5, 5, 15, 10, 17, 17])
        #expect(w.map(\.altitude) == [20, 20, 14, 18, 20, 0])
        #expect(w[5].position == plan.home, "return to launch lands at home")
    }

    /// A geofence plan saved by a QGroundControl build: an inclusion and an exclusion polygon, no
    /// mission items, an empty version-1 rally block.
    @Test func qgroundControlsGeofencePlanImportsAndRoundTrips() async throws {
        let plan = try FlightPlan.load(from: Self.fixture("ce_geofence_home_base.plan"))
        #expect(plan.route.waypoints.isEmpty)
        #expect(plan.geofences.map(\.inclusion) == [true, false])
        for fence in plan.geofences {
            guard case .polygon(let vertices) = fence.shape else {
                Issue.record("expected polygons")
                return
            }
            #expect(vertices.count == 4)
            #expect(vertices.contains(LonLat(lon: -77.49735908548331, lat: 38.7507608625056)) || !fence.inclusion)
        }
        #expect(plan.home == LonLat(lon: -77.49721463637287, lat: 38.75084010396389) && plan.homeAltitude == 30)

        let dir = TestKit.temporaryDirectory("patrol-real-fences")
        var previous = Self.fixture("ce_geofence_home_base.plan").path
        for ext in ["geojson", "plan"] {
            let next = dir.appendingPathComponent("fences.\(ext)").path
            let r = try await CommandLineTests.run(["convert", previous, next])
            #expect(r.status == 0, "\(previous) -> \(next): \(r.stderr)")
            let back = try FlightPlan.load(from: URL(fileURLWithPath: next))
            #expect(back.geofences.map(\.inclusion) == [true, false])
            for (a, b) in zip(back.geofences, plan.geofences) {
                guard case .polygon(let va) = a.shape, case .polygon(let vb) = b.shape else { continue }
                #expect(va.count == vb.count)
                for (p, q) in zip(va, vb) { #expect(abs(p.lon - q.lon) < 1e-7 && abs(p.lat - q.lat) < 1e-7) }
            }
            previous = next
        }
    }

    /// Each fixture → .plan → .waypoints → .geojson → .plan keeps what every format can say.
    @Test(arguments: ["simple_square.plan", "MissionPlanner.waypoints", "ardupilot-copter-do-change-speed.waypoints"])
    func convertRoundTrips(name: String) async throws {
        let dir = TestKit.temporaryDirectory("patrol-real-plans")
        let original = try FlightPlan.load(from: Self.fixture(name))
        var previous = Self.fixture(name).path
        for ext in ["plan", "waypoints", "geojson", "plan"] {
            let next = dir.appendingPathComponent("\(name).\(UUID().uuidString.prefix(6)).\(ext)").path
            let r = try await CommandLineTests.run(["convert", previous, next])
            #expect(r.status == 0, "\(previous) -> \(next): \(r.stderr)")
            let back = try FlightPlan.load(from: URL(fileURLWithPath: next))
            #expect(back.route.waypoints.count == original.route.waypoints.count)
            for (a, b) in zip(back.route.waypoints, original.route.waypoints) {
                #expect(a.kind == b.kind && abs(a.altitude - b.altitude) < 1e-6 && abs(a.speed - b.speed) < 1e-6)
                #expect(abs(a.position.lon - b.position.lon) < 1e-7 && abs(a.position.lat - b.position.lat) < 1e-7)
            }
            #expect(abs(back.homeAltitude - original.homeAltitude) < 1e-6)
            previous = next
        }
    }
}
