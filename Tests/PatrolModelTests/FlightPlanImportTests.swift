import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

/// Files as QGroundControl writes them, and hostile ones.
struct FlightPlanImportTests {
    static func simple(_ command: Int, _ frame: Int, _ params: String) -> String {
        #"{"autoContinue": true, "command": \#(command), "doJumpId": 1, "frame": \#(frame), "#
            + #""params": [\#(params)], "type": "SimpleItem"}"#
    }

    /// A QGroundControl 4 plan: takeoff, a survey with its resolved items, a camera command, return.
    static func qgcPlan(items: String? = nil, version: Int = 1, missionVersion: Int = 2) -> String {
        let survey = """
            {"type": "ComplexItem", "complexItemType": "survey", "version": 5, "angle": 0,
             "polygon": [[22.575, 114.13]],
             "TransectStyleComplexItem": {"version": 1, "TurnAroundDistance": 10, "Items": [
                \(simple(16, 3, "0, 0, 0, null, 22.5750, 114.1300, 50")), \(simple(206, 2, "25, 0, 1, 0, 0, 0, 0")),
                \(simple(16, 3, "0, 0, 0, null, 22.5750, 114.1350, 50")), \(simple(206, 2, "0, 0, 1, 0, 0, 0, 0")),
                \(simple(16, 3, "0, 0, 0, null, 22.5755, 114.1350, 50")), \(simple(206, 2, "25, 0, 1, 0, 0, 0, 0")),
                \(simple(16, 3, "0, 0, 0, null, 22.5755, 114.1300, 50")), \(simple(206, 2, "0, 0, 1, 0, 0, 0, 0"))]}}
            """
        let list =
            items
            ?? [
                simple(22, 3, "15, 0, 0, null, 22.5741, 114.1324, 40"), survey, simple(2000, 2, "0, 2, 0, 0, 0, 0, 0"),
                simple(20, 2, "0, 0, 0, 0, 0, 0, 0"),
            ].joined(separator: ",\n")
        return """
            {"fileType": "Plan", "groundStation": "QGroundControl", "version": \(version),
             "mission": {"version": \(missionVersion), "firmwareType": 12, "vehicleType": 2, "cruiseSpeed": 15,
              "hoverSpeed": 6, "globalPlanAltitudeMode": 1, "plannedHomePosition": [22.5741, 114.1324, 21.5],
              "items": [\(list)]},
             "geoFence": {"version": 2,
              "circles": [{"circle": {"center": [22.5741, 114.1324], "radius": 800}, "inclusion": true,
                           "version": 1}],
              "polygons": [{"inclusion": false,
                            "polygon": [[22.5702, 114.1338], [22.5709, 114.1338], [22.5709, 114.1348]],
                            "version": 1}]},
             "rallyPoints": {"version": 2, "points": [[22.5741, 114.1324, 60]]}}
            """
    }

    func load(_ text: String, _ name: String) throws -> (plan: FlightPlan, skipped: [String]) {
        try FlightPlan.read(from: TestKit.write(text, to: name, in: TestKit.temporaryDirectory("plan-import")))
    }

    func expectError(_ text: String, _ name: String, _ fragments: String...) {
        #expect {
            _ = try load(text, name)
        } throws: { error in
            let message = "\(error)"
            let ok = error is LoadError && fragments.allSatisfy { message.contains($0) }
            if !ok { Issue.record("unexpected error: \(message)") }
            return ok
        }
    }

    @Test func surveyIsReadThroughItsResolvedItems() throws {
        let (plan, skipped) = try load(Self.qgcPlan(), "survey.plan")
        let kinds = plan.route.waypoints.map(\.kind)
        #expect(kinds == [.takeoff, .transit, .survey, .transit, .survey, .land])
        #expect(plan.route.triggerSpacing == 25)
        #expect(plan.route.waypoints.allSatisfy { $0.speed == 6 }, "hoverSpeed applies until DO_CHANGE_SPEED")
        #expect(plan.route.waypoints.last?.position == plan.home, "return to launch lands at home")
        #expect(plan.homeAltitude == 21.5)
        #expect(plan.geofences.count == 2 && plan.rallyPoints.count == 1)
        #expect(
            skipped.count == 1 && skipped[0].contains("mission.items[2]") && skipped[0].contains("skipped command 2000")
        )
    }

    @Test func absoluteAltitudesBecomeRelativeToHome() throws {
        let items = [
            Self.simple(22, 0, "0, 0, 0, null, 22.5741, 114.1324, 61.5"),
            Self.simple(21, 3, "0, 0, 0, null, 22.5741, 114.1324, 0"),
        ]
        let (plan, _) = try load(Self.qgcPlan(items: items.joined(separator: ",")), "absolute.plan")
        #expect(plan.route.waypoints[0].altitude == 40)
    }

    @Test func hostilePlans() throws {
        let good = Self.qgcPlan()
        expectError(String(good.prefix(good.count / 2)), "truncated.plan", "truncated.plan:", "not valid JSON")
        expectError(Self.qgcPlan(version: 2), "v2.plan", "v2.plan: version: version 2 is not supported")
        expectError(Self.qgcPlan(missionVersion: 1), "m1.plan", "mission.version: version 1 is not supported")
        expectError(#"{"fileType": "Mission"}"#, "type.plan", "fileType: expected \"Plan\"")
        expectError(
            Self.qgcPlan(items: Self.simple(16, 3, "0, 0, 0, null, 95, 114.13, 50")), "lat.plan",
            "mission.items[0]: latitude 95.0", "not a position on Earth")
        expectError(
            Self.qgcPlan(items: Self.simple(16, 3, "0, 0, 0, 22.5, 114.13, 50")), "params.plan",
            "params: expected 7 parameters")
        expectError(
            Self.qgcPlan(items: Self.simple(17, 3, "0, 0, 0, 0, 22.5, 114.13, 50")), "loiter.plan",
            "command 17 is not supported")
        expectError(
            Self.qgcPlan(items: Self.simple(16, 10, "0, 0, 0, 0, 22.5, 114.13, 50")), "terrain.plan",
            "frame 10 is not supported")
        expectError(
            Self.qgcPlan(items: #"{"type": "ComplexItem", "complexItemType": "StructureScan"}"#), "structure.plan",
            "complexItemType: complex item `StructureScan` is not supported")
        // No items and nothing else: refused. (With fences or rally points, a plan may have no items.)
        expectError(
            """
            {"fileType": "Plan", "version": 1, "groundStation": "QGroundControl",
             "mission": {"version": 2, "plannedHomePosition": [22.57, 114.13, 20], "items": []},
             "geoFence": {"version": 2, "polygons": [], "circles": []},
             "rallyPoints": {"version": 2, "points": []}}
            """, "empty.plan", "the mission has no waypoints")
        #expect(try load(Self.qgcPlan(items: ""), "fences-only.plan").plan.geofences.count == 2)
        expectError("[1, 2, NaN]", "nan.plan", "nan.plan:1:", "not valid JSON")
    }

    @Test func hostileWaypointFiles() {
        let home = "0\t1\t0\t16\t0\t0\t0\t0\t22.5741\t114.1324\t20\t1\n"
        let wp = "1\t0\t3\t16\t0\t0\t0\t0\t22.575\t114.13\t50\t1\n"
        expectError("QGC WPL 120\n" + home, "v120.waypoints", "v120.waypoints:1: version `120` is not supported")
        expectError("hello\n", "header.waypoints", ":1: expected the header `QGC WPL 110`")
        expectError("", "empty.waypoints", "the file is empty")
        expectError(
            "QGC WPL 110\n" + home + "1\t0\t3\t16\t0\t0\t0\t22.575\t114.13\t50\t1\n", "cols.waypoints",
            ":3: expected 12", "found 11")
        expectError(
            "QGC WPL 110\n" + home + wp.replacingOccurrences(of: "22.575", with: "95"), "lat.waypoints",
            ":3: latitude 95.0")
        expectError(
            "QGC WPL 110\n" + home + wp.replacingOccurrences(of: "22.575", with: "nan"), "nan.waypoints",
            ":3: latitude: `nan` is not a valid latitude")
        expectError(
            "QGC WPL 110\n" + home + wp.replacingOccurrences(of: "\t50\t", with: "\tx\t"), "x.waypoints",
            ":3: altitude: `x` is not a number")
        expectError("QGC WPL 110\n" + home + wp + wp, "seq.waypoints", ":4: item index 1 out of sequence; expected 2")
        expectError(
            "QGC WPL 110\n" + String(repeating: "1", count: 5000) + "\n", "long.waypoints",
            ":2: the line is longer than 1024 bytes")
    }

    @Test(.timeLimit(.minutes(1)))
    func aMillionLinesStopAtMAVLinksLimit() throws {
        let url = TestKit.temporaryDirectory("plan-import").appendingPathComponent("million.waypoints")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data("QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t22.5741\t114.1324\t20\t1\n".utf8))
        var chunk = ""
        for i in 1...1_000_000 {
            chunk += "\(i)\t0\t3\t16\t0\t0\t0\t0\t22.575\t114.13\t50\t1\n"
            if i % 50_000 == 0 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.close()
        #expect {
            _ = try FlightPlan.load(from: url)
        } throws: { error in
            "\(error)" == "\(url.path):65538: more than 65,535 mission items (MAVLink's limit)"
        }
    }

    @Test func oversizedPlanIsRefusedBeforeReading() throws {
        let url = TestKit.temporaryDirectory("plan-import").appendingPathComponent("huge.plan")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(FlightPlan.maximumFileSize + 1))
        try handle.close()
        #expect(throws: LoadError.self) { try FlightPlan.load(from: url) }
    }

    @Test func unknownExtension() {
        expectError("x", "plan.txt", "unknown extension `.txt`")
    }
}
