import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

/// Terrain following and the terrain checks, on synthetic slopes with known answers and on the
/// site's own terrain model.
struct TerrainRouteTests {
    let loaded: LoadedMission
    let frame: SiteFrame
    let hive: XY

    init() throws {
        loaded = try Mission.load(from: TestKit.defaultMission)
        frame = try SiteFrame(crs: loaded.site.crs)
        hive = try frame.project(loaded.site.hive("hive-1")!.position)
    }

    /// A terrain whose rise above the site's ground is `rise(dy)` metres, `dy` metres north of the
    /// hive, from 1000 m south to 2000 m north of it: rows every 10 m (piecewise linear between them,
    /// exact under bilinear lookup), two identical columns (the edge value holds east and west).
    func ramp(_ rise: (Double) -> Double) -> Terrain {
        let rows = 301
        let south = hive.y - 1000
        let heights = (0..<rows).flatMap { j in
            Array(repeating: loaded.site.groundElevation + rise(south + Double(j) * 10 - hive.y), count: 2)
        }
        return Terrain(origin: XY(hive.x, south), cellSize: 10, columns: 2, rows: rows, heights: heights)
    }

    func site(with terrain: Terrain?) -> Site {
        var site = loaded.site
        site.terrain = terrain
        return site
    }

    /// Checks a route from the hive to `points` and back over `site`.
    func check(_ points: [(XY, Double)], site: Site) throws -> [RouteCheck.Finding] {
        let all = [(hive, points.first?.1 ?? 50)] + points + [(hive, points.last?.1 ?? 50), (hive, 0)]
        let geo = try frame.unproject(all.map(\.0))
        let waypoints = all.indices.map { i in
            Waypoint(
                position: geo[i], altitude: all[i].1, kind: i == 0 ? .takeoff : i == all.count - 1 ? .land : .transit,
                speed: 8)
        }
        let route = Route(
            missionID: "t", waypoints: waypoints, swathWidth: 70, lineSpacing: 49, triggerSpacing: 20, length: 0,
            estimatedDuration: 600)
        return try RouteCheck.check(route: route, xy: all.map(\.0), mission: loaded.mission, site: site, frame: frame)
    }

    @Test func theSiteLoadsItsTerrainFlatUnderTheEstateAndRisingOnTheHill() throws {
        let site = loaded.site
        let terrain = try #require(site.terrain)
        #expect(terrain.reference == .orthometric)
        #expect(abs(site.groundRise(at: hive)) < 0.01)
        #expect(abs(site.groundElevation(at: try frame.project(site.origin)) - 20) < 0.01)
        let hill = try frame.project(site.area("hill")!.polygon)
        let summit = hill.exterior.map { site.groundRise(at: $0) }.max()!
        #expect(summit < 25, "the hill's edge stays low")
        let top = try frame.project(
            LonLat(lon: 114.130 + 330 / (111_320 * cos(22.57 * .pi / 180)), lat: 22.57 + 760 / 110_770))
        #expect(abs(site.groundRise(at: top) - 60) < 1.5)
    }

    @Test func aLegClimbingIntoASlopeFailsTerrainClearanceByTheShortfall() throws {
        // The ground rises 0.5 m per metre north of the hive: 50 m at 100 m north.
        let sloped = site(with: ramp { max(0, $0) * 0.5 })
        let findings = try check([(hive + XY(0, 100), 50)], site: sloped)
        let leg = try #require(findings.first { $0.rule == .terrainClearance && $0.location == .leg(0, 1) })
        // At the far end: 50 m above the pad, the ground 50 m up: 0 m above it, 20 m short.
        #expect(abs(leg.excess - 20) < 1e-6)
        #expect(leg.description.hasPrefix("leg 0→1: terrain clearance: passes 0 m above the ground 100 m along"))
        #expect(findings.contains { $0.rule == .terrainClearance && $0.location == .leg(1, 2) })
        // On flat ground the same route is clean.
        #expect(try check([(hive + XY(0, 100), 50)], site: site(with: nil)).isEmpty)
    }

    @Test func aLegOverAValleyBreaksTheMaximumAltitudeBetweenItsWaypoints() throws {
        // A valley 90 m deep, 100 m north of the hive; both ends of the leg are on level ground.
        let valley = site(with: ramp { dy in -max(0, 90 - abs(dy - 100) * 0.9) })
        let findings = try check([(hive + XY(0, 200), 50)], site: valley)
        let leg = try #require(findings.first { $0.rule == .maxAltitude && $0.location == .leg(0, 1) })
        // 50 m above the pad plus the 90 m valley: 140 m AGL, 20 m over the 120 m limit, 100 m along.
        #expect(abs(leg.excess - 20) < 1e-6)
        #expect(leg.message.hasPrefix("140 m AGL 100 m along the leg"))
        #expect(!findings.contains { $0.rule == .maxAltitude && $0.location == .waypoint(1) })
    }

    @Test func aPlaneSlopeNeedsNoExtraWaypointsAndHoldsTheHeightExactly() throws {
        let flat = try CoveragePlanner.plan(loaded.mission, site: site(with: nil))
        let slope = 0.15
        let tilted = try CoveragePlanner.plan(loaded.mission, site: site(with: ramp { $0 * slope }))
        // Straight lines over a plane stay at a constant height above it: no splits needed.
        #expect(tilted.route.waypoints.count == flat.route.waypoints.count)
        for (i, (w, xy)) in zip(tilted.route.waypoints, tilted.waypointsXY).enumerated() where w.kind != .land {
            let planned = flat.route.waypoints[i].altitude
            #expect(abs(w.altitude - (planned + slope * (xy.y - hive.y))) < 1e-6, "waypoint \(i)")
            #expect(abs(try #require(w.heightAGL) - planned) < 1e-6, "waypoint \(i)")
            #expect(abs(try #require(w.heightAMSL) - (loaded.site.groundElevation + w.altitude)) < 1e-9)
        }
        #expect(tilted.findings.isEmpty)
    }

    @Test func overTheHillEverySurveyLegStaysWithinTwoMetresOfItsHeightAboveGround() throws {
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        let flatPlan = try CoveragePlanner.plan(loaded.mission, site: site(with: nil))
        #expect(plan.route.waypoints.count > flatPlan.route.waypoints.count, "the slope splits legs")
        let site = loaded.site
        let w = plan.route.waypoints
        let xy = plan.waypointsXY
        var highest = 0.0
        for i in w.indices.dropFirst() where w[i].kind == .survey {
            for k in 0...20 {
                let t = Double(k) / 20
                let p = xy[i - 1] + (xy[i] - xy[i - 1]) * t
                let altitude = w[i - 1].altitude + (w[i].altitude - w[i - 1].altitude) * t
                let agl = altitude - site.groundRise(at: p)
                #expect(abs(agl - loaded.mission.altitude) <= 2.0 + 1e-9, "leg \(i - 1)→\(i) at \(t)")
            }
            highest = max(highest, w[i].altitude)
            #expect(abs(try #require(w[i].heightAGL) - loaded.mission.altitude) < 1e-9)
        }
        #expect(highest > loaded.mission.altitude + 50, "the sweep climbs with the hill")
        #expect(plan.findings.isEmpty)
    }

    @Test func aBrokenTerrainFileNamesItsLine() throws {
        let directory = TestKit.temporaryDirectory("terrain")
        let source = TestKit.file("geo/mumianling")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let url = directory.appendingPathComponent("terrain.asc")
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        lines[8] = lines[8].split(separator: " ").dropLast().joined(separator: " ")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        #expect {
            try Site.load(from: directory.appendingPathComponent("site.yaml"))
        } throws: { error in
            "\(error)".hasSuffix("terrain.asc:9: row 4 has 50 values; `ncols` is 51")
        }
    }
}
