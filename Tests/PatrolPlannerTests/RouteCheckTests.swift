import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

/// Each rule of ``RouteCheck`` on a hand-made route over the real site.
struct RouteCheckTests {
    let loaded: LoadedMission
    let frame: SiteFrame
    let hive: XY

    init() throws {
        loaded = try Mission.load(from: TestKit.defaultMission)
        frame = try SiteFrame(crs: loaded.site.crs)
        hive = try frame.project(loaded.site.hive("hive-1")!.position)
    }

    /// Checks a route from the hive through `points` (site metres, altitude) and back down.
    func check(
        _ points: [(XY, Double)], limits: FlightLimits = FlightLimits(), duration: Double = 600
    ) throws -> [RouteCheck.Finding] {
        var mission = loaded.mission
        mission.limits = limits
        let all = [(hive, points.first?.1 ?? 50)] + points + [(hive, points.last?.1 ?? 50), (hive, 0)]
        let geo = try frame.unproject(all.map(\.0))
        let waypoints = all.indices.map { i in
            Waypoint(
                position: geo[i], altitude: all[i].1, kind: i == 0 ? .takeoff : i == all.count - 1 ? .land : .transit,
                speed: 8)
        }
        let route = Route(
            missionID: mission.id, waypoints: waypoints, swathWidth: 70, lineSpacing: 49, triggerSpacing: 20, length: 0,
            estimatedDuration: duration)
        return try RouteCheck.check(route: route, xy: all.map(\.0), mission: mission, site: loaded.site, frame: frame)
    }

    func tower(_ id: String) throws -> Polygon {
        try frame.project(loaded.site.towers.first { $0.id == id }!.footprint)
    }
    func zone(_ id: String) throws -> Polygon {
        try frame.project(loaded.site.noFlyZones.first { $0.id == id }!.polygon)
    }

    @Test func aRouteAroundTheHiveIsClean() throws {
        #expect(try check([(hive + XY(0, 20), 50)]).isEmpty)
    }

    @Test func geofenceNamesTheLegAndTheDistanceBeyondTheMargin() throws {
        let boundary = try frame.project(loaded.site.boundary)
        let far = XY(boundary.bounds.max.x + 500, hive.y)
        let findings = try check([(far, 50)]).filter { $0.rule == .geofence }
        let first = try #require(findings.first)
        #expect(first.location == .leg(0, 1))
        #expect(first.description.hasPrefix("leg 0→1: geofence: goes "))
        // The hill may lie nearer than the boundary's east edge; the fence is 30 m beyond either.
        #expect(first.excess > 100 && first.excess < 500)
        #expect(findings.contains { $0.location == .waypoint(1) } == false)
    }

    @Test func noFlyZoneDepthAndBand() throws {
        let substation = try zone("nfz-substation")
        let centre = substation.centroid
        let findings = try check([(centre, 50)]).filter { $0.rule == .noFlyZone }
        let first = try #require(findings.first)
        #expect(first.location == .leg(0, 1))
        let depth = try Geometry.lineString(LineString(substation.exterior)).distance(to: .point(centre))
        #expect(first.excess >= depth - 1)
        #expect(first.message.contains("enters nfz-substation by"))
        // The substation sits at the hill's foot, where the ground rises half a metre: 49.5–50 m AGL.
        #expect(first.message.contains("50 m AGL (closed 0–300 m AGL)"))
    }

    @Test func noFlyZoneAboveItsCeilingIsAllowed() throws {
        let kindergarten = try zone("nfz-kindergarten").centroid
        var limits = FlightLimits()
        limits.maxAltitudeAGL = 300
        let findings = try check([(kindergarten, 250)], limits: limits)
        #expect(!findings.contains { $0.rule == .noFlyZone && $0.message.contains("kindergarten") })
        #expect(try check([(kindergarten, 100)], limits: limits).contains { $0.rule == .noFlyZone })
    }

    @Test func towerClearanceHorizontalAndVertical() throws {
        let t07 = try tower("T07")
        let east = t07.bounds.max.x + 4
        let findings = try check([(XY(east, t07.bounds.max.y + 40), 50), (XY(east, t07.bounds.min.y - 40), 50)])
            .filter { $0.rule == .towerClearance && $0.message.contains("T07") }
        let first = try #require(findings.first)
        #expect(first.location == .leg(1, 2))
        #expect(abs(first.excess - 6) < 0.5, "\(first)")
        #expect(first.message.contains("passes 4 m from T07"))
        #expect(first.message.contains("147 m below the 197 m it must keep over it"))
    }

    @Test func towerClearanceAboveTheTopPlusMargin() throws {
        let t07 = try tower("T07")
        var limits = FlightLimits()
        limits.maxAltitudeAGL = 300
        let east = t07.bounds.max.x + 4
        let findings = try check(
            [(XY(east, t07.bounds.max.y + 40), 200), (XY(east, t07.bounds.min.y - 40), 200)], limits: limits)
        #expect(
            !findings.contains { $0.rule == .towerClearance && $0.message.contains("T07") && $0.location == .leg(1, 2) }
        )
    }

    @Test func maxAltitudeNamesTheWaypoint() throws {
        let findings = try check([(hive + XY(0, 10), 150)]).filter { $0.rule == .maxAltitude }
        #expect(findings.map(\.location) == [.waypoint(0), .waypoint(1), .waypoint(2)])
        #expect(findings[1].description == "waypoint 1: max altitude: 150 m AGL is 30 m above the 120 m limit")
        var limits = FlightLimits()
        limits.maxAltitudeAGL = 150
        #expect(try check([(hive + XY(0, 10), 150)], limits: limits).filter { $0.rule == .maxAltitude }.isEmpty)
    }

    @Test func enduranceWithReserve() throws {
        let findings = try check([(hive + XY(0, 10), 50)], duration: 22 * 60)
        let first = try #require(findings.first { $0.rule == .endurance })
        #expect(first.location == .route)
        #expect(
            first.description
                == "route: endurance: needs 22 min, 2 min more than the 20 min a 25-min battery gives "
                + "with a 20 % reserve"
        )
    }

    @Test func climbAndDescentRates() throws {
        // 40 m up over 20 m at 8 m/s: 16 m/s.
        let findings = try check([(hive + XY(0, 20), 10), (hive + XY(0, 40), 50), (hive + XY(0, 45), 20)])
        let climb = try #require(findings.first { $0.rule == .climb })
        #expect(climb.location == .leg(1, 2))
        #expect(abs(climb.excess - 11) < 1e-6)
        let descent = try #require(findings.first { $0.rule == .descent })
        #expect(descent.location == .leg(2, 3))
        #expect(descent.message == "descends 30 m over 5 m at 48 m/s, 45 m/s over the 3 m/s limit")
    }

    @Test func turnLimit() throws {
        var limits = FlightLimits()
        limits.maxTurn = 60
        let findings = try check([(hive + XY(0, 30), 50), (hive + XY(30, 30), 50)], limits: limits)
            .filter { $0.rule == .turn }
        #expect(findings.map(\.location) == [.waypoint(1), .waypoint(2)])
        #expect(findings.first?.message == "turns 90°, 30° sharper than the 60° limit")
        #expect(try check([(hive + XY(0, 30), 50), (hive + XY(30, 30), 50)]).filter { $0.rule == .turn }.isEmpty)
    }

    @Test func theHillPatrolBreaksNoRule() throws {
        let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        #expect(plan.findings.isEmpty)
    }

    @Test func aLowBatteryRefusesThePlanWithEveryFinding() throws {
        var mission = loaded.mission
        mission.limits.endurance = 10 * 60
        #expect {
            _ = try RoutePlanner.plan(mission, site: loaded.site)
        } throws: { error in
            guard let error = error as? PlanError else { return false }
            return error.code == .unsafe && error.findings.map(\.rule) == [.endurance]
        }
    }
}
