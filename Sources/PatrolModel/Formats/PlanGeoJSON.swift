import Foundation
import PatrolGeo

/// A flight plan as a GeoJSON FeatureCollection that opens in QGIS: one feature per waypoint,
/// the route line, the home position, each geofence and each rally point, told apart by their
/// `role` property.
enum PlanGeoJSON {
    /// Reads a plan written by ``data(_:)``.
    ///
    /// - Throws: ``LoadError`` naming the file and the feature and property of the first problem.
    static func read(_ data: Data, file: String, missionID: String) throws(LoadError) -> FlightPlan {
        let features: [GeoFeature]
        do {
            features = try GeoJSON.features(from: data, file: file)
        } catch {
            throw LoadError(file: file, message: error.message)
        }
        var waypoints: [Int: Waypoint] = [:]
        var plan = FlightPlan(
            route: Route(
                missionID: missionID, waypoints: [], swathWidth: 0, lineSpacing: 0, triggerSpacing: 0, length: 0,
                estimatedDuration: 0),
            home: LonLat(lon: 0, lat: 0))
        var sawHome = false
        for (i, feature) in features.enumerated() {
            let reader = FeatureReader(feature: feature, path: "features[\(i)]", file: file)
            switch (try reader.string("role"), feature.geometry) {
            case ("waypoint", .point(let p)):
                let index = Int(try reader.number("index", in: 0...Double(MissionItem.maximumCount - 1)))
                guard let kind = Waypoint.Kind(rawValue: try reader.string("kind")) else {
                    throw reader.error("properties.kind", "expected takeoff, transit, survey or land")
                }
                guard waypoints[index] == nil else {
                    throw reader.error("properties.index", "waypoint \(index) appears twice")
                }
                waypoints[index] = Waypoint(
                    position: p, altitude: try reader.number("altitude_m", in: -20_000...20_000), kind: kind,
                    speed: try reader.number("speed_mps", in: 0.01...200))
            case ("route", .lineString):
                plan.route.missionID = try reader.string("mission")
                plan.route.triggerSpacing = try reader.number("trigger_spacing_m", in: 0...10_000)
                plan.route.swathWidth = try reader.number("swath_width_m", in: 0...10_000)
                plan.route.lineSpacing = try reader.number("line_spacing_m", in: 0...10_000)
                plan.route.length = try reader.number("length_m", in: 0...1e7)
                plan.route.estimatedDuration = try reader.number("duration_s", in: 0...1e7)
            case ("home", .point(let p)):
                plan.home = p
                plan.homeAltitude = try reader.number("altitude_amsl_m", in: -1_000...10_000)
                sawHome = true
            case ("geofence", .polygon(let polygon)):
                guard polygon.holes.isEmpty else { throw reader.error("geometry", "a geofence polygon has no holes") }
                plan.geofences.append(.polygon(polygon.exterior, inclusion: try reader.bool("inclusion")))
            case ("geofence_circle", .point(let p)):
                let radius = try reader.number("radius_m", in: 0.01...1e7)
                plan.geofences.append(
                    Geofence(shape: .circle(center: p, radius: radius), inclusion: try reader.bool("inclusion")))
            case ("rally", .point(let p)):
                plan.rallyPoints.append(
                    RallyPoint(position: p, altitude: try reader.number("altitude_m", in: -20_000...20_000)))
            case (let role, _):
                throw reader.error("properties.role", "unexpected role `\(role)` for this geometry")
            }
        }
        // A plan of geofences or rally points alone (as QGroundControl saves one) has no route.
        guard !waypoints.isEmpty || (sawHome && !(plan.geofences.isEmpty && plan.rallyPoints.isEmpty)) else {
            throw LoadError(file: file, message: "no waypoint features (role \"waypoint\")")
        }
        guard waypoints.keys.sorted() == Array(0..<waypoints.count) else {
            throw LoadError(file: file, message: "waypoint indices must run 0…\(waypoints.count - 1) without gaps")
        }
        plan.route.waypoints = (0..<waypoints.count).compactMap { waypoints[$0] }
        if !sawHome, let first = plan.route.waypoints.first { plan.home = first.position }
        return plan
    }

    /// The plan as GeoJSON (RFC 7946; geofence rings counter-clockwise and closed).
    static func data(_ plan: FlightPlan) -> Data {
        let route = plan.route
        var features: [GeoFeature] = []
        // A line needs two positions: a plan of fences alone, or of one waypoint, has no route line.
        if route.waypoints.count >= 2 {
            features.append(
                GeoFeature(
                    geometry: .lineString(route.waypoints.map(\.position)),
                    properties: [
                        "role": "route", "mission": .string(route.missionID),
                        "trigger_spacing_m": .number(route.triggerSpacing),
                        "swath_width_m": .number(route.swathWidth), "line_spacing_m": .number(route.lineSpacing),
                        "length_m": .number(route.length), "duration_s": .number(route.estimatedDuration),
                    ]))
        }
        features.append(
            GeoFeature(
                geometry: .point(plan.home),
                properties: ["role": "home", "altitude_amsl_m": .number(plan.homeAltitude)]))
        for (i, w) in route.waypoints.enumerated() {
            features.append(
                GeoFeature(
                    geometry: .point(w.position),
                    properties: [
                        "role": "waypoint", "index": .number(Double(i)), "kind": .string(w.kind.rawValue),
                        "altitude_m": .number(w.altitude), "speed_mps": .number(w.speed),
                    ]))
        }
        for fence in plan.geofences {
            switch fence.shape {
            case .polygon(let vertices):
                features.append(
                    GeoFeature(
                        geometry: .polygon(GeoPolygon(exterior: vertices + vertices.prefix(1), holes: [])),
                        properties: ["role": "geofence", "inclusion": .bool(fence.inclusion)]))
            case .circle(let center, let radius):
                features.append(
                    GeoFeature(
                        geometry: .point(center),
                        properties: [
                            "role": "geofence_circle", "radius_m": .number(radius), "inclusion": .bool(fence.inclusion),
                        ]))
            }
        }
        for rally in plan.rallyPoints {
            features.append(
                GeoFeature(
                    geometry: .point(rally.position),
                    properties: ["role": "rally", "altitude_m": .number(rally.altitude)]))
        }
        return GeoJSON.data(features)
    }
}

/// Reads the properties of one feature strictly, naming the feature and property in errors.
private struct FeatureReader {
    let feature: GeoFeature
    let path: String
    let file: String

    func error(_ field: String, _ message: String) -> LoadError {
        LoadError(file: file, field: "\(path).\(field)", message: message)
    }

    func string(_ key: String) throws(LoadError) -> String {
        guard let s = feature.properties[key]?.string else { throw error("properties.\(key)", "expected a string") }
        return s
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(LoadError) -> Double {
        guard let n = feature.properties[key]?.number, range.contains(n) else {
            throw error("properties.\(key)", "expected a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    func bool(_ key: String) throws(LoadError) -> Bool {
        guard case .bool(let b) = feature.properties[key] else {
            throw error("properties.\(key)", "expected true or false")
        }
        return b
    }
}
