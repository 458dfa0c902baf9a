import Foundation
import PatrolModel
import PatrolTestKit
import Testing

/// Missions written as files read back as the same missions.
struct MissionYAMLTests {
    @Test func aWrittenMissionLoadsBackUnchanged() throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        var mission = loaded.mission
        mission.name = "Hill \"north\" patrol"
        mission.maximumStaleness = 90 * 60
        // One limit: the schedule's follows the mission's.
        mission.schedule?.maxStaleness = 90 * 60
        let site = try #require(loaded.siteFile).path
        let file = try TestKit.write(
            mission.yaml(site: site, comment: "test"), to: "m.yaml", in: TestKit.temporaryDirectory())
        let again = try Mission.load(from: file)
        #expect(again.mission == mission)
        #expect(again.siteFile?.path == site)
    }

    @Test func maximumStalenessIsOptionalAndChecked() throws {
        #expect(try Mission.load(from: TestKit.defaultMission).mission.maximumStaleness == 180 * 60)
        #expect(try Mission.load(from: TestKit.file("missions/fence-perimeter.yaml")).mission.maximumStaleness == nil)
        let text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        let bad = try TestKit.write(
            text.replacingOccurrences(of: "max_staleness_min: 180", with: "max_staleness_min: 0"), to: "m.yaml",
            in: TestKit.temporaryDirectory())
        #expect {
            _ = try Mission.load(from: bad)
        } throws: { "\($0)".contains("max_staleness_min") }
    }
}
