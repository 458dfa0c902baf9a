import Foundation
import PatrolGeo

/// QGroundControl's `.plan` JSON: file version 1, mission version 2, geofence and rally points
/// version 2 (QGroundControl 3.3 and later).
enum QGCPlanFile {
    /// Reads a plan; Survey and CorridorScan complex items are read through their resolved items.
    ///
    /// - Throws: ``LoadError`` naming the file and the JSON path (or, for bad JSON, the line and
    ///   column) of the first problem.
    static func read(_ data: Data, file: String, missionID: String) throws(LoadError) -> (FlightPlan, [String]) {
        let root = try JSONCursor.parse(data, file: file)
        guard try root.required("fileType").string() == "Plan" else {
            throw try root.required("fileType").error("expected \"Plan\"; this is not a QGroundControl plan")
        }
        try expectVersion(root, 1)
        let mission = try root.required("mission")
        try expectVersion(mission, 2)
        let (home, homeAltitude) = try mission.required("plannedHomePosition").position(withAltitude: true)
        var items: [LocatedItem] = []
        for item in try mission.required("items").elements() {
            switch try item.required("type").string() {
            case "SimpleItem":
                items.append(try simpleItem(item))
            case "ComplexItem":
                let kind = try item.required("complexItemType").string()
                guard kind == "survey" || kind == "CorridorScan" else {
                    throw try item.required("complexItemType").error(
                        "complex item `\(kind)` is not supported; Patrol reads survey and CorridorScan")
                }
                for resolved in try item.required("TransectStyleComplexItem").required("Items").elements() {
                    items.append(try simpleItem(resolved))
                }
            case let other:
                throw try item.required("type").error(
                    "unknown item type `\(other)`; expected SimpleItem or ComplexItem")
            }
            guard items.count <= MissionItem.maximumCount else { throw item.error("more than 65,535 mission items") }
        }
        let speed = try mission.optional("hoverSpeed")?.number()
        let fences = try geofences(root.optional("geoFence"))
        let rally = try rallyPoints(root.optional("rallyPoints"))
        // QGroundControl saves a plan of geofences (or rally points) alone with no mission items.
        let (route, skipped) = try MissionItem.route(
            from: items, home: home, homeAltitude: homeAltitude, speed: speed.flatMap { $0 > 0 ? $0 : nil },
            missionID: missionID, file: file, allowEmpty: !fences.isEmpty || !rally.isEmpty)
        let plan = FlightPlan(
            route: route, home: home, homeAltitude: homeAltitude, geofences: fences, rallyPoints: rally)
        return (plan, skipped)
    }

    private static func expectVersion(_ object: JSONCursor, _ version: Int) throws(LoadError) {
        let found = try object.required("version").number()
        guard found == Double(version) else {
            throw try object.required("version").error(
                "version \(found.formatted()) is not supported; Patrol reads version \(version) "
                    + "(QGroundControl 3.3 or later)"
            )
        }
    }

    private static func simpleItem(_ item: JSONCursor) throws(LoadError) -> LocatedItem {
        guard try item.required("type").string() == "SimpleItem" else { throw item.error("expected a SimpleItem") }
        let params = try item.required("params").elements(limit: 7)
        guard params.count == 7 else {
            throw try item.required("params").error(
                "expected 7 parameters (param1–4, latitude, longitude, altitude), found \(params.count)")
        }
        var values: [Double] = []
        for p in params { values.append(try p.numberOrNull()) }
        let missionItem = MissionItem(
            command: try item.required("command").integer(in: 0...65_535),
            frame: try item.required("frame").integer(in: 0...255), params: values,
            autoContinue: try item.optional("autoContinue")?.bool() ?? true)
        return LocatedItem(item: missionItem, field: item.path)
    }

    private static func geofences(_ fence: JSONCursor?) throws(LoadError) -> [Geofence] {
        guard let fence else { return [] }
        try expectVersion(fence, 2)
        var result: [Geofence] = []
        for polygon in try fence.optional("polygons")?.elements() ?? [] {
            let vertices = try polygon.required("polygon").elements()
            guard vertices.count >= 3 else {
                throw try polygon.required("polygon").error("a polygon needs at least 3 vertices")
            }
            var points: [LonLat] = []
            for v in vertices { points.append(try v.position(withAltitude: false).0) }
            result.append(.polygon(points, inclusion: try polygon.optional("inclusion")?.bool() ?? true))
        }
        for circle in try fence.optional("circles")?.elements() ?? [] {
            let shape = try circle.required("circle")
            let radius = try shape.required("radius").number()
            guard radius > 0 else { throw try shape.required("radius").error("the radius must be positive") }
            result.append(
                Geofence(
                    shape: .circle(
                        center: try shape.required("center").position(withAltitude: false).0, radius: radius),
                    inclusion: try circle.optional("inclusion")?.bool() ?? true))
        }
        return result
    }

    private static func rallyPoints(_ rally: JSONCursor?) throws(LoadError) -> [RallyPoint] {
        guard let rally else { return [] }
        let points = try rally.optional("points")?.elements() ?? []
        // Some QGroundControl builds still write an empty version-1 rally block (custom geofence
        // plans do): with no points there is nothing whose layout the version could change.
        if !(points.isEmpty && (try? rally.required("version").number()) == 1) { try expectVersion(rally, 2) }
        var result: [RallyPoint] = []
        for point in points {
            let (position, altitude) = try point.position(withAltitude: true)
            result.append(RallyPoint(position: position, altitude: altitude))
        }
        return result
    }

    /// The plan as QGroundControl writes it (sorted keys, pretty-printed); unset parameters are null.
    static func data(_ plan: FlightPlan) -> Data {
        let position = { (p: LonLat) -> JSONValue in [.number(p.lat), .number(p.lon)] }
        let withAltitude = { (p: LonLat, altitude: Double) -> JSONValue in
            [.number(p.lat), .number(p.lon), .number(altitude)]
        }
        let items = MissionItem.items(for: plan.route).enumerated().map { (i, item) -> JSONValue in
            [
                "type": "SimpleItem", "autoContinue": .bool(item.autoContinue),
                "command": .number(Double(item.command)),
                "doJumpId": .number(Double(i + 1)), "frame": .number(Double(item.frame)),
                "params": .array(item.params.map { $0.isNaN ? .null : .number($0) }),
            ]
        }
        let polygons = plan.geofences.compactMap { fence -> JSONValue? in
            guard case .polygon(let vertices) = fence.shape else { return nil }
            let ring = Geofence.clockwise(vertices).map(position)
            return ["inclusion": .bool(fence.inclusion), "polygon": .array(ring), "version": 1]
        }
        let circles = plan.geofences.compactMap { fence -> JSONValue? in
            guard case .circle(let center, let radius) = fence.shape else { return nil }
            return [
                "circle": ["center": position(center), "radius": .number(radius)], "inclusion": .bool(fence.inclusion),
                "version": 1,
            ]
        }
        let speed = plan.route.waypoints.first?.speed ?? MissionItem.defaultSpeed
        let root: JSONValue = [
            "fileType": "Plan", "groundStation": "Patrol", "version": 1,
            "mission": [
                "cruiseSpeed": .number(speed), "hoverSpeed": .number(speed), "firmwareType": 12, "vehicleType": 2,
                "globalPlanAltitudeMode": 1, "items": .array(items), "version": 2,
                "plannedHomePosition": withAltitude(plan.home, plan.homeAltitude),
            ],
            "geoFence": ["circles": .array(circles), "polygons": .array(polygons), "version": 2],
            "rallyPoints": [
                "points": .array(
                    plan.rallyPoints.map { withAltitude($0.position, $0.altitude) }),
                "version": 2,
            ],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(root)) ?? Data()
    }
}
