import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

struct LoadingTests {
    @Test func defaultMissionAndSite() throws {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        #expect(loaded.mission.id == "hill-fire-patrol")
        #expect(loaded.mission.kind == .areaCoverage(area: .site("hill")))
        #expect(loaded.mission.camera.sideOverlap == 0.3)
        let site = loaded.site
        #expect(site.crs == "EPSG:4547")
        #expect(site.towers.count == 19)
        #expect(site.towers.allSatisfy { (100...200).contains($0.height) })
        #expect(site.hives.map(\.id).contains("hive-1"))
        #expect(!site.robotStations.isEmpty)
        #expect(site.noFlyZones.count >= 2)
        let frame = try SiteFrame(crs: site.crs)
        let boundary = try frame.project(site.boundary)
        #expect((0.22e6...0.28e6).contains(boundary.area))
    }

    /// Writes a copy of the default mission with `edit` applied, next to a copy of the site.
    func mission(_ edit: (String) -> String) throws -> URL {
        let dir = TestKit.temporaryDirectory()
        let text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        return try TestKit.write(edit(text), to: "mission.yaml", in: dir)
    }

    func loadError(_ url: URL) -> LoadError? {
        do {
            _ = try Mission.load(from: url)
            return nil
        } catch { return error }
    }

    @Test func yamlSyntaxErrorHasFileAndLine() throws {
        let url = try mission { $0.replacingOccurrences(of: "speed_mps: 8", with: "speed_mps: [8") }
        let error = try #require(loadError(url))
        #expect(error.file == url.path)
        #expect(error.line != nil)
        #expect(error.description.contains("YAML syntax error"))
    }

    @Test func unknownFieldIsNamedWithItsLine() throws {
        let url = try mission { $0.replacingOccurrences(of: "speed_mps: 8", with: "speed_mps: 8\nsped_mps: 9") }
        let error = try #require(loadError(url))
        #expect(error.field == "sped_mps")
        #expect(error.line == 11)
        #expect(error.description.contains("unknown field `sped_mps`"))
    }

    @Test func unknownNestedFieldHasItsPath() throws {
        let url = try mission { $0.replacingOccurrences(of: "  side_overlap: 0.3", with: "  side_overlapp: 0.3") }
        let error = try #require(loadError(url))
        #expect(error.field == "camera.side_overlapp")
    }

    @Test func outOfRangeValue() throws {
        let url = try mission { $0.replacingOccurrences(of: "side_overlap: 0.3", with: "side_overlap: 1.5") }
        let error = try #require(loadError(url))
        #expect(error.field == "camera.side_overlap")
        #expect(error.description.contains("out of range"))
    }

    @Test func inlinePolygonThatDoesNotCloseIsRejected() throws {
        let url = try mission {
            $0.replacingOccurrences(
                of: "area: hill ",
                with: "area: [[114.131, 22.576], [114.134, 22.576], [114.134, 22.578], [114.131, 22.578]] ")
        }
        let error = try #require(loadError(url))
        #expect(error.field == "area")
        #expect(error.line == 6)
        #expect(error.description.contains("does not close"))
    }

    @Test func inlinePolygonThatClosesIsAccepted() throws {
        let url = try mission {
            $0.replacingOccurrences(
                of: "area: hill ",
                with:
                    "area: [[114.131, 22.576], [114.134, 22.576], [114.134, 22.578], [114.131, 22.578], [114.131, 22.576]] "
            )
        }
        let loaded = try Mission.load(from: url)
        guard case .areaCoverage(.inline(let polygon)) = loaded.mission.kind else {
            Issue.record("expected an inline area")
            return
        }
        #expect(polygon.exterior.count == 5)
    }

    @Test func siteLayerWithUnclosedRingNamesFeature() throws {
        let dir = TestKit.temporaryDirectory()
        let source = TestKit.file("geo/mumianling")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let areas = dir.appendingPathComponent("areas.geojson")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: areas)) as! [String: Any]
        var features = json["features"] as! [[String: Any]]
        var geometry = features[0]["geometry"] as! [String: Any]
        var rings = geometry["coordinates"] as! [[[Double]]]
        rings[0].removeLast()
        geometry["coordinates"] = rings
        features[0]["geometry"] = geometry
        json["features"] = features
        try JSONSerialization.data(withJSONObject: json).write(to: areas)
        #expect {
            _ = try Site.load(from: dir.appendingPathComponent("site.yaml"))
        } throws: { error in
            let e = error as? LoadError
            return e?.file == areas.path && e?.field?.contains("features[0]") == true
                && e?.description.contains("does not close") == true
        }
    }

    @Test func missingFileIsAClearError() {
        let url = URL(fileURLWithPath: "/nonexistent/mission.yaml")
        #expect(loadError(url)?.description.hasPrefix("/nonexistent/mission.yaml: cannot read the file") == true)
    }
}
