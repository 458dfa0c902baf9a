import Foundation
import PatrolTestKit
import Testing

/// `patrol convert` run as a real process.
struct ConvertCommandTests {
    @Test func missionToPlanToWaypointsToGeoJSON() async throws {
        let dir = TestKit.temporaryDirectory("patrol-convert")
        let plan = dir.appendingPathComponent("hill.plan").path
        let waypoints = dir.appendingPathComponent("hill.waypoints").path
        let geojson = dir.appendingPathComponent("hill.geojson").path
        let a = try await CommandLineTests.run(["convert", "missions/hill-fire-patrol.yaml", plan])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("waypoints, 2 geofences, 1 rally points"))
        let b = try await CommandLineTests.run(["convert", plan, waypoints])
        #expect(b.status == 0 && b.stderr.contains("QGC WPL has no geofences or rally points; 3 not written"))
        let c = try await CommandLineTests.run(["convert", waypoints, geojson])
        #expect(c.status == 0, "\(c.stderr)")
        // The example files are what the exporter writes for the default mission.
        let example = try String(
            contentsOf: TestKit.file("missions/examples/hill-fire-patrol.waypoints"), encoding: .utf8)
        #expect(try String(contentsOfFile: waypoints, encoding: .utf8) == example)
    }

    @Test func badInputNamesFileAndLine() async throws {
        let file = try TestKit.write(
            "QGC WPL 110\n0\t1\t0\t16\n", to: "bad.waypoints", in: TestKit.temporaryDirectory("patrol-convert"))
        let r = try await CommandLineTests.run([
            "convert", file.path, file.deletingLastPathComponent().appendingPathComponent("out.plan").path,
        ])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: \(file.path):2: expected 12 tab-separated fields"), "\(r.stderr)")
    }
}
