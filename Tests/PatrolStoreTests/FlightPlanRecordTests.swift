import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// The plan record a report is rebuilt from: mission, site snapshot and planned area survive the
/// database exactly.
struct FlightPlanRecordTests {
    let store: PatrolStore

    init() throws {
        store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("patrol.sqlite").path)
    }

    static let route = Route(
        missionID: "hill-fire-patrol", waypoints: [], swathWidth: 70, lineSpacing: 49, triggerSpacing: 20, length: 0,
        estimatedDuration: 0)

    @Test func theDefaultMissionAndSiteRoundTripExactly() throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        var site = loaded.site
        site.noFlyZones.append(
            NoFlyZone(id: "sky", name: "Sky", reason: "test", polygon: site.boundary, floor: 0, ceiling: .infinity))
        let area = MultiPolygon([
            Polygon(corners: [XY(0.1, 0.2), XY(100.123456789, 0.3), XY(50, 86.6025403784)])
        ])
        try store.save(
            Flight(id: "f1", missionID: "hill-fire-patrol", deviceID: "drone-1", status: .planned, route: Self.route))
        let record = FlightPlanRecord(
            flightID: "f1", mission: loaded.mission, site: site, siteFile: loaded.siteFile?.path, plannedArea: area,
            minimumGapArea: 30)
        try store.save(record)
        let back = try #require(try store.flightPlan("f1"))
        #expect(back == record)
        #expect(back.site.noFlyZones.last?.ceiling == .infinity)
        #expect(back.siteFile?.hasSuffix("geo/mumianling/site.yaml") == true)
        #expect(try store.flightPlan("nope") == nil)
    }

    @Test func aPlanNeedsItsFlight() throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        #expect(throws: StoreError.self) {
            try store.save(
                FlightPlanRecord(
                    flightID: "ghost", mission: loaded.mission, site: loaded.site, plannedArea: MultiPolygon([])))
        }
    }

    @Test func flightsOfADay() throws {
        let day = DateInterval(start: Date(timeIntervalSince1970: 1_764_028_800), duration: 86_400)
        for (id, offset) in [("early", -60.0), ("morning", 3600), ("evening", 80_000), ("next", 86_400)] {
            try store.save(
                Flight(
                    id: id, missionID: "m", deviceID: "d", status: .completed, route: Self.route,
                    startedAt: day.start + offset))
        }
        #expect(try store.flights(in: day).map(\.id) == ["morning", "evening"])
    }
}
