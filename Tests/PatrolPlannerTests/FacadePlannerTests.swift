import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

struct FacadePlannerTests {
    /// The T07 example with `edit` applied, pointing at the real site.
    func mission(_ edit: (String) -> String = { $0 }) throws -> LoadedMission {
        let text = try String(contentsOf: TestKit.file("missions/tower-07-facade.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        return try Mission.load(from: try TestKit.write(edit(text), to: "m.yaml", in: TestKit.temporaryDirectory()))
    }

    @Test func levelsAreSpreadUpToTheTowerHeight() throws {
        let loaded = try mission()
        guard case .facade(let spec) = loaded.mission.kind else { throw PlanError(.empty, "not a facade", mission: "") }
        let height = loaded.site.towers.first { $0.id == "T07" }!.height
        #expect(spec.altitudes.count == 6 && spec.altitudes.last == height && spec.altitudes[0] == height / 6)
        #expect(spec.standoff == 15)
    }

    @Test func ringsKeepTheStandOffAtEveryLevelAndClimbOnTheSpot() throws {
        let loaded = try mission()
        let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        #expect(plan.findings.isEmpty && plan.notes.isEmpty)
        let frame = try SiteFrame(crs: loaded.site.crs)
        let tower = try frame.project(loaded.site.towers.first { $0.id == "T07" }!.footprint)
        let survey = plan.route.waypoints.indices.filter { plan.route.waypoints[$0].kind == .survey }
        #expect(Set(survey.map { plan.route.waypoints[$0].altitude }).count == 6)
        for i in survey {
            let d = try Geometry.polygon(tower).distance(to: .point(plan.waypointsXY[i]))
            // Chords of the rounded corners cut in by 15·(1 − cos 15°) ≈ 0.5 m at most.
            #expect(d > 14.4 && d < 15.01, "waypoint \(i) at \(d) m")
        }
        // Between rings the drone only changes altitude: no leg both moves and climbs.
        for (a, b) in zip(plan.route.waypoints.indices, plan.route.waypoints.indices.dropFirst())
        where plan.route.waypoints[a].altitude != plan.route.waypoints[b].altitude {
            #expect(plan.waypointsXY[a] == plan.waypointsXY[b])
        }
    }

    @Test func arcsNearOtherTowersAreSkippedAndSaidSo() throws {
        let loaded = try mission { $0.replacingOccurrences(of: "standoff_m: 15 ", with: "standoff_m: 40 ") }
        let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        #expect(plan.findings.isEmpty)
        #expect(plan.notes.count == 6)
        #expect(plan.notes[0].hasPrefix("ring 1 at 29.5 m: ") && plan.notes[0].contains("T06"))
    }

    @Test func aRingAboveTheLimitIsAFindingUnlessApproved() throws {
        let loaded = try mission { $0.replacingOccurrences(of: "  max_altitude_m: 180", with: "  max_altitude_m: 120") }
        #expect {
            _ = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        } throws: { error in
            (error as? PlanError)?.findings.contains { $0.rule == .maxAltitude && $0.message.hasPrefix("147.5 m AGL") }
                == true
        }
    }

    @Test func badFacadeBlocksNameTheirField() throws {
        #expect { _ = try mission { $0.replacingOccurrences(of: "tower: T07", with: "tower: T99") } } throws: {
            ($0 as? LoadError)?.field == "facade.tower"
        }
        #expect {
            _ = try mission { $0.replacingOccurrences(of: "levels: 6", with: "levels: 6\n  altitudes_m: [30]") }
        } throws: { ($0 as? LoadError)?.field == "facade" }
        #expect { _ = try mission { $0.replacingOccurrences(of: "standoff_m: 15 ", with: "standoff_m: 5 ") } } throws: {
            ($0 as? LoadError)?.field == "facade.standoff_m"
        }
    }
}
