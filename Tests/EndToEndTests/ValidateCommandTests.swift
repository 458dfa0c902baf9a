import Foundation
import PatrolTestKit
import Testing

/// `patrol validate` and `patrol plan` on every kind of mission, as a real process.
@Suite(.serialized)
struct ValidateCommandTests {
    @Test func everyExampleMissionValidates() async throws {
        let missions = try FileManager.default.contentsOfDirectory(atPath: TestKit.file("missions").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "missions/\($0)" }
        #expect(missions.count >= 4)
        let r = try await CommandLineTests.run(["validate"] + missions)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == missions.count)
        #expect(r.stdout.contains("note: pass 1:"))
    }

    @Test func aBrokenRuleExitsNonZeroNamingTheWaypointRuleAndMargin() async throws {
        let text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path
            )
            .replacingOccurrences(of: "transit_altitude_m: 60", with: "transit_altitude_m: 135")
        let file = try TestKit.write(text, to: "high.yaml", in: TestKit.temporaryDirectory("patrol-validate"))
        let out = file.deletingLastPathComponent().appendingPathComponent("findings.geojson")
        let r = try await CommandLineTests.run(["validate", file.path, "--geojson", out.path])
        #expect(r.status == 1)
        // The findings as GeoJSON, for QGIS: a point at the take-off, with the rule and the margin.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let features = try #require(json?["features"] as? [[String: Any]])
        let first = try #require(features.first?["properties"] as? [String: Any])
        #expect(first["rule"] as? String == "max altitude" && first["excess"] as? Double == 15)
        #expect(first["where"] as? String == "waypoint 0")
        #expect(
            r.stderr.contains(
                "mission `hill-fire-patrol`: waypoint 0: max altitude: 135 m AGL is 15 m above the 120 m limit"),
            "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func robotRoundsPrintTheirOrder() async throws {
        let r = try await CommandLineTests.run(["plan", "missions/basement-round.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("note     order: station-1 → "))
        #expect(r.stdout.contains("1 lift ride(s)"))
    }
}
