import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

@testable import PatrolPlanner

struct CorridorPlannerTests {
    let site = TestKit.file("geo/mumianling/site.yaml").path

    /// A corridor mission in a fresh directory, with `extra` files beside it.
    func mission(_ corridor: String, altitude: Double = 40, extra: [String: String] = [:]) throws -> LoadedMission {
        let dir = TestKit.temporaryDirectory()
        for (name, text) in extra { try TestKit.write(text, to: name, in: dir) }
        let text = """
            id: corridor-test
            site: \(site)
            kind: corridor
            corridor:
            \(corridor)
            hive: hive-1
            altitude_m: \(altitude)
            speed_mps: 6
            camera: {horizontal_fov_deg: 70, vertical_fov_deg: 55, side_overlap: 0.3}
            """
        return try Mission.load(from: try TestKit.write(text, to: "m.yaml", in: dir))
    }

    @Test func passOffsetsSpreadEvenlyAndFlushWithTheEdges() {
        #expect(CorridorPlanner.passOffsets(width: 80, offset: 0, swath: 56, spacing: 39.2) == [-12, 12])
        #expect(CorridorPlanner.passOffsets(width: 30, offset: 5, swath: 56, spacing: 39.2) == [5])
        let three = CorridorPlanner.passOffsets(width: 150, offset: 10, swath: 56, spacing: 39.2)
        #expect(three.count == 4 && abs(three[0] - (10 - 47)) < 1e-9 && abs(three[3] - (10 + 47)) < 1e-9)
    }

    @Test func theFencePerimeterExamplePlansCleanAndCoversItsBand() throws {
        let loaded = try Mission.load(from: TestKit.file("missions/fence-perimeter.yaml"))
        let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        #expect(plan.findings.isEmpty)
        #expect(plan.route.waypoints.first?.kind == .takeoff && plan.route.waypoints.last?.kind == .land)
        // Two rings, one of them cut around the kindergarten's no-fly zone, which the notes say.
        #expect(plan.sweepLines.count == 3)
        #expect(plan.notes.count == 1 && plan.notes[0].contains("nfz-kindergarten"))
        let swaths = try MultiPolygon.union(
            plan.sweepLines.map { (l) throws(GeoError) in try l.swath(width: plan.footprint.width, cap: .round) })
        let seen = try swaths.intersection(plan.targetArea).area / plan.targetArea.area
        #expect(seen > 0.97, "coverage \(seen)")
    }

    @Test func aRoadFromAGeoJSONFileGivesAlternatingPasses() throws {
        // A road along the estate's north side, between it and the hill.
        let road = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"id": "footpath"}, "geometry": {"type": "LineString",
                "coordinates": [[114.1300, 22.5740], [114.1310, 22.5741]]}},
              {"type": "Feature", "properties": {"id": "hill-road"}, "geometry": {"type": "LineString",
                "coordinates": [[114.1305, 22.5748], [114.1325, 22.5749], [114.1345, 22.5747]]}}]}
            """
        let loaded = try mission(
            "  along: roads.geojson\n  feature: hill-road\n  width_m: 120\n  offset_m: 0",
            extra: ["roads.geojson": road])
        guard case .corridor(let spec) = loaded.mission.kind, case .line(let line) = spec.centreline else {
            Issue.record("not a line corridor")
            return
        }
        #expect(line.count == 3)
        let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        #expect(plan.findings.isEmpty)
        #expect(plan.sweepLines.count == 3)
        let frame = try SiteFrame(crs: loaded.site.crs)
        let centre = LineString(try frame.project(line))
        // Neighbouring passes run in opposite directions.
        let directions = plan.sweepLines.map { $0.points[$0.points.count - 1].x - $0.points[0].x }
        #expect(directions[0] * directions[1] < 0 && directions[1] * directions[2] < 0)
        // The middle pass lies on the road, the outer ones 32 m either side.
        for (pass, expected) in zip(plan.sweepLines, [32.0, 0, 32]) {
            let mid = pass.points[pass.points.count / 2]
            let d = try Geometry.lineString(centre).distance(to: .point(mid))
            #expect(abs(d - expected) < 1.5, "pass at \(d) m")
        }
    }

    @Test func badCorridorBlocksNameTheirField() throws {
        #expect {
            _ = try mission(
                "  along: roads.geojson\n  feature: nowhere\n  width_m: 20",
                extra: [
                    "roads.geojson": """
                    {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a"},
                    "geometry": {"type": "LineString", "coordinates": [[114.13, 22.574], [114.131, 22.574]]}}]}
                    """
                ])
        } throws: { ($0 as? LoadError)?.field == "corridor.feature" }
        #expect { _ = try mission("  along: lake\n  width_m: 20") } throws: {
            ($0 as? LoadError)?.field == "corridor.along"
        }
        #expect { _ = try mission("  along: boundary\n  width: 20") } throws: {
            ($0 as? LoadError)?.field == "corridor.width"
        }
        #expect { _ = try mission("  along: [[114.13, 22.574]]\n  width_m: 20") } throws: {
            ($0 as? LoadError)?.field == "corridor.along"
        }
    }
}
