import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

struct CoveragePlannerTests {
    let loaded: LoadedMission
    let plan: CoveragePlan
    let frame: SiteFrame

    init() throws {
        loaded = try Mission.load(from: TestKit.defaultMission)
        plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        frame = try SiteFrame(crs: loaded.site.crs)
    }

    @Test func everySweepWaypointIsInsideTheHillAndOutsideNoFlyZones() throws {
        let hill = MultiPolygon(try frame.project(loaded.site.area("hill")!.polygon))
        let zones = MultiPolygon(
            try loaded.site.noFlyZones.map { (z) throws(GeoError) in try frame.project(z.polygon) })
        let sweep = plan.route.waypoints.indices.filter {
            [.survey].contains(plan.route.waypoints[$0].kind)
                || ($0 + 1 < plan.route.waypoints.count && plan.route.waypoints[$0 + 1].kind == .survey)
        }
        #expect(sweep.count >= 10)
        for i in sweep {
            // Re-project from the lon/lat the device gets, not the planner's own metres.
            let p = try frame.project(plan.route.waypoints[i].position)
            #expect(try hill.covers(p), "waypoint \(i) outside the hill")
            #expect(try !zones.covers(p), "waypoint \(i) inside a no-fly zone")
        }
        #expect(plan.findings.isEmpty)
    }

    @Test func noLegCrossesANoFlyZone() throws {
        let zones = MultiPolygon(
            try loaded.site.noFlyZones.map { (z) throws(GeoError) in try frame.project(z.polygon) })
        for (a, b) in zip(plan.waypointsXY, plan.waypointsXY.dropFirst()) where a != b {
            #expect(try !zones.intersects(LineString([a, b])))
        }
    }

    @Test func swathsCoverAtLeast95PercentOfTheHill() throws {
        let hill = MultiPolygon(try frame.project(loaded.site.area("hill")!.polygon))
        let swaths = try plan.sweepLines.map { (line) throws(GeoError) in try line.swath(width: plan.footprint.width) }
        let seen = try MultiPolygon.union(swaths).intersection(hill)
        let ratio = seen.area / hill.area
        #expect(ratio >= 0.95, "coverage \(ratio)")
    }

    @Test func routeStartsAndEndsAtTheHive() throws {
        let hive = loaded.site.hive("hive-1")!.position
        #expect(plan.route.waypoints.first?.kind == .takeoff)
        #expect(plan.route.waypoints.first?.position == hive)
        #expect(plan.route.waypoints.last?.kind == .land)
        #expect(plan.route.waypoints.last?.altitude == 0)
        #expect(plan.route.estimatedDuration > 10 * 60 && plan.route.estimatedDuration < 20 * 60)
    }

    @Test func isDeterministic() throws {
        let again = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        #expect(again.route == plan.route)
    }

    @Test func transitAcrossTheEstateGoesAroundTheTowers() throws {
        var site = loaded.site
        // Move the hive to the far side of the estate: a straight transit would cross towers.
        let south = site.boundary.exterior.min { $0.lat < $1.lat }!
        site.hives[0].position = LonLat(lon: south.lon + 0.0002, lat: south.lat + 0.0002)
        let detour = try CoveragePlanner.plan(loaded.mission, site: site)
        #expect(detour.findings.isEmpty)
        let towers = MultiPolygon(try site.towers.map { (t) throws(GeoError) in try frame.project(t.footprint) })
        for (a, b) in zip(detour.waypointsXY, detour.waypointsXY.dropFirst()) where a != b {
            #expect(try !towers.intersects(LineString([a, b])))
        }
        #expect(detour.route.length > plan.route.length)
    }

    @Test func hiveInsideANoFlyZoneIsRefused() throws {
        var site = loaded.site
        let zone = try frame.project(site.noFlyZones[0].polygon)
        site.hives[0].position = try frame.unproject(zone.centroid)
        #expect {
            _ = try CoveragePlanner.plan(loaded.mission, site: site)
        } throws: { error in
            (error as? PlanError)?.code == .unsafe
        }
    }
}
