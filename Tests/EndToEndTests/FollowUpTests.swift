import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolReports
import PatrolTestKit
import Testing

@testable import patrol

/// Gaps turned into follow-up missions that the planner plans and whose swaths cover the gaps.
struct FollowUpTests {
    /// Telemetry along `plan`'s route at 1 s steps, recording on the survey legs except those
    /// whose sweep line numbers (0-based) are in `skipped`.
    static func telemetry(_ plan: CoveragePlan, altitude: Double, skipping skipped: Set<Int>) throws -> [Telemetry] {
        let frame = try SiteFrame(crs: "EPSG:4547")
        let start = Date(timeIntervalSince1970: 1_764_036_000)
        let xy = plan.waypointsXY
        var samples: [(XY, Double, VehicleState)] = []
        var line = -1
        for i in xy.indices.dropFirst() {
            let (a, b) = (xy[i - 1], xy[i])
            let kind = plan.route.waypoints[i].kind
            // A sweep line starts where a survey leg follows a transit (terrain following splits lines).
            if kind == .survey && plan.route.waypoints[i - 1].kind != .survey { line += 1 }
            let state: VehicleState = kind == .survey ? (skipped.contains(line) ? .transit : .surveying) : .transit
            let heading = (atan2(b.x - a.x, b.y - a.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
            let steps = max(1, Int((a.distance(to: b) / 8).rounded(.up)))
            for s in 1...steps { samples.append((a + (b - a) * (Double(s) / Double(steps)), heading, state)) }
        }
        let positions = try frame.unproject(samples.map(\.0))
        return samples.indices.map { i in
            Telemetry(
                time: start + Double(i), position: positions[i], altitude: altitude, heading: samples[i].1, speed: 8,
                battery: 1 - Double(i) / 10_000, state: samples[i].2, waypointIndex: 0)
        }
    }

    @Test func theFollowUpMissionsPlanAndTheirSwathsCoverTheGaps() throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        let flight = Flight(
            id: "F-gaps", missionID: loaded.mission.id, deviceID: "drone-1", status: .completed, route: plan.route)
        let input = FlightReportInput(
            site: loaded.site, mission: loaded.mission, flight: flight,
            telemetry: try Self.telemetry(plan, altitude: loaded.mission.altitude, skipping: [2, 6]),
            plannedArea: plan.targetArea)
        let coverage = try FlightReport.render(input).coverage
        #expect(coverage.gapCount >= 2)
        #expect(coverage.gapArea > 20_000, "two skipped lines leave about two swaths unseen: \(coverage.gapArea) m²")

        let missions = try FollowUp.missions(
            gaps: coverage.gaps, input: input, check: FollowUpCheck.planner(site: loaded.site))
        #expect(!missions.isEmpty)
        let directory = TestKit.temporaryDirectory("patrol-follow-up")
        let site = try #require(loaded.siteFile).path
        var swaths = MultiPolygon([])
        for (index, mission) in missions.enumerated() {
            let file = try TestKit.write(mission.yaml(site: site), to: "follow-up-\(index + 1).yaml", in: directory)
            let reloaded = try Mission.load(from: file)
            #expect(reloaded.mission.camera == loaded.mission.camera && reloaded.mission.hive == loaded.mission.hive)
            let followUp = try CoveragePlanner.plan(reloaded.mission, site: reloaded.site)
            #expect(followUp.findings.isEmpty)
            for line in followUp.sweepLines {
                swaths = try swaths.union(try line.swath(width: followUp.footprint.width))
            }
        }
        let unseen = try coverage.gaps.difference(swaths)
        #expect(unseen.area < 0.005 * coverage.gapArea, "the follow-ups leave \(unseen.area) m² of the gaps unswept")
        // Bounded: a skipped line's gap is a strip with flared ends, so its follow-up falls back to
        // the hull of the widened strip, which also takes in some ground already seen; where that
        // hull's sweep still misses a flared end, the hull of a wider margin is used (6x, not 5x,
        // since the planner's finer angle search).
        let drawn = try missions.map { (m) throws -> Double in
            guard case .areaCoverage(.inline(let p)) = m.kind else { return 0 }
            return try SiteFrame(crs: "EPSG:4547").project(p).area
        }.reduce(0, +)
        let swept = swaths.area
        print(
            "follow-up: gaps \(Int(coverage.gapArea)) m² in \(coverage.gapCount), missions draw \(Int(drawn)) m², "
                + "their sweeps \(Int(swept)) m² (\(String(format: "%.2f", swept / coverage.gapArea))× the gaps)")
        #expect(drawn < 6 * coverage.gapArea)
        // What is flown over, not only drawn: the union of the follow-ups' swaths against the gaps.
        // Measured 6.4× (212 900 m² for 33 200 m²); bounded here so a regression shows.
        #expect(swept < 7 * coverage.gapArea, "the follow-ups sweep \(swept / coverage.gapArea)× the gaps")
    }

    @Test func noGapsNoFollowUp() throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        let flight = Flight(id: "F", missionID: loaded.mission.id, deviceID: "d", status: .completed, route: plan.route)
        let input = FlightReportInput(
            site: loaded.site, mission: loaded.mission, flight: flight, telemetry: [], plannedArea: plan.targetArea)
        #expect(try FollowUp.missions(gaps: MultiPolygon([]), input: input).isEmpty)
    }
}
