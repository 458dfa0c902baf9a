import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

/// `patrol convert … .kmz`: the DJI WPML wayline, unpacked and parsed by independent tools
/// (`unzip -t` and Python's `zipfile` and `xml.etree`).
struct ConvertKMZTests {
    /// Runs a tool (not `patrol`) to completion and returns its status and standard output.
    static func tool(_ path: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String) {
        try await TestKit.offPool {
            let process = ChildProcess()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [path] + arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = PipeReading.readToEnd(out.fileHandleForReading)
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    /// Reads the KMZ with Python's standard library and prints what the test compares, as JSON.
    static let reader = """
        import json, sys, zipfile, xml.etree.ElementTree as ET
        W = "{http://www.dji.com/wpmz/1.0.2}"
        K = "{http://www.opengis.net/kml/2.2}"
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        out = {"names": sorted(z.namelist())}
        for name, key in [("wpmz/waylines.wpml", "executeHeight"), ("wpmz/template.kml", "height")]:
            doc = ET.fromstring(z.read(name))
            marks = doc.findall(f"./{K}Document/{K}Folder/{K}Placemark")
            out[name] = {
                "index": [int(m.find(W + "index").text) for m in marks],
                "height": [float(m.find(W + key).text) for m in marks],
                "ellipsoid": [float(e.text) for m in marks for e in m.findall(W + "ellipsoidHeight")],
                "speed": [float(m.find(W + "waypointSpeed").text) for m in marks],
                "lonlat": [[float(v) for v in m.find(f"{K}Point/{K}coordinates").text.split(",")] for m in marks],
                "photos": [float(g.find(f"{W}actionTrigger/{W}actionTriggerParam").text)
                           for m in marks for g in m.findall(W + "actionGroup")],
                "finish": doc.find(f"./{K}Document/{W}missionConfig/{W}finishAction").text,
            }
        print(json.dumps(out))
        """

    struct Side: Decodable {
        var index: [Int]
        var height: [Double]
        var ellipsoid: [Double]
        var speed: [Double]
        var lonlat: [[Double]]
        var photos: [Double]
        var finish: String
    }

    @Test func theHillPatrolBecomesAWaylineThatUnzipAndPythonRead() async throws {
        let dir = TestKit.temporaryDirectory("patrol-kmz")
        let kmz = dir.appendingPathComponent("hill.kmz").path
        let plan = dir.appendingPathComponent("hill.plan").path
        let a = try await CommandLineTests.run(["convert", "missions/hill-fire-patrol.yaml", kmz])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stderr.contains("WPML has no geofences or rally points; 3 not written"))
        let b = try await CommandLineTests.run(["convert", "missions/hill-fire-patrol.yaml", plan])
        #expect(b.status == 0, "\(b.stderr)")
        let route = try FlightPlan.load(from: URL(fileURLWithPath: plan)).route

        let unzip = try await Self.tool("unzip", ["-t", kmz])
        #expect(unzip.status == 0 && unzip.stdout.contains("No errors detected"), "\(unzip.stdout)")
        let python = try await Self.tool("python3", ["-c", Self.reader, kmz])
        #expect(python.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any]
        #expect(parsed?["names"] as? [String] == ["wpmz/template.kml", "wpmz/waylines.wpml"])

        // Every waypoint but the landing (the dock's goHome lands), in order, heights above the dock.
        let flown = route.waypoints.filter { $0.kind != .land }
        #expect(flown.count == route.waypoints.count - 1)
        for name in ["wpmz/waylines.wpml", "wpmz/template.kml"] {
            let json = try JSONSerialization.data(withJSONObject: try #require(parsed?[name]))
            let side = try JSONDecoder().decode(Side.self, from: json)
            #expect(side.index == Array(flown.indices), "\(name)")
            #expect(side.finish == "goHome")
            #expect(zip(side.height, flown).allSatisfy { abs($0 - $1.altitude) < 0.006 }, "\(name)")
            #expect(zip(side.speed, flown).allSatisfy { abs($0 - $1.speed) < 0.006 }, "\(name)")
            #expect(
                zip(side.lonlat, flown).allSatisfy {
                    abs($0[0] - $1.position.lon) < 1e-7 && abs($0[1] - $1.position.lat) < 1e-7
                }, "\(name)")
            // One photo group per run of survey legs (one per sweep line here), every trigger spacing.
            let lines = zip(flown, flown.dropFirst()).filter { $0.kind != .survey && $1.kind == .survey }.count
            #expect(side.photos.count == lines && lines >= 9)
            #expect(side.photos.allSatisfy { abs($0 - route.triggerSpacing) < 0.006 })
            if name == "wpmz/template.kml" {
                // Ellipsoidal = 20 m above sea level at the dock + the geoid (−2.74 m here) + the height.
                #expect(side.ellipsoid.count == flown.count)
                #expect(zip(side.ellipsoid, side.height).allSatisfy { abs($0 - $1 - 17.26) < 0.02 })
            }
        }
    }

    @Test func readingAKMZIsRefusedClearly() async throws {
        let file = try TestKit.write("PK", to: "x.kmz", in: TestKit.temporaryDirectory("patrol-kmz"))
        let r = try await CommandLineTests.run(["convert", file.path, file.path + ".plan"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("does not read them"), "\(r.stderr)")
    }
}
