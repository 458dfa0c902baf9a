public import Foundation
public import PatrolGeo

/// A route with what ground control stations keep beside it: the home position, geofences and
/// rally points. The common shape behind QGroundControl `.plan`, `QGC WPL 110` `.waypoints` and
/// Patrol's route GeoJSON.
public struct FlightPlan: Hashable, Sendable {
    /// The route to fly; altitudes are metres above ``home``.
    public var route: Route
    /// Where the vehicle takes off: the hive. Altitudes in the plan are relative to it.
    public var home: LonLat
    /// The home position's altitude above mean sea level, metres (0 when unknown).
    public var homeAltitude: Double
    /// Geofences, in the order the file gave them.
    public var geofences: [Geofence]
    /// Safe points to divert to.
    public var rallyPoints: [RallyPoint]
    /// Metres the geoid (EGM96) lies above the WGS 84 ellipsoid at home: ellipsoidal height =
    /// orthometric height + this. Only DJI WPML needs it (ellipsoidal heights in its template);
    /// `nil` when unknown.
    public var geoidUndulation: Double? = nil

    /// A plan with everything stated.
    public init(
        route: Route, home: LonLat, homeAltitude: Double = 0, geofences: [Geofence] = [],
        rallyPoints: [RallyPoint] = []
    ) {
        self.route = route
        self.home = home
        self.homeAltitude = homeAltitude
        self.geofences = geofences
        self.rallyPoints = rallyPoints
    }

    /// A plan for `route`, taking off from its first waypoint.
    public init(route: Route, homeAltitude: Double = 0) {
        self.init(
            route: route, home: route.waypoints.first?.position ?? LonLat(lon: 0, lat: 0), homeAltitude: homeAltitude)
    }
}

/// An area a vehicle must stay inside (inclusion) or outside (exclusion).
public struct Geofence: Hashable, Sendable {
    /// The fence's outline.
    public enum Shape: Hashable, Sendable {
        /// A polygon: vertices counter-clockwise in lon/lat, the first not repeated at the end.
        case polygon([LonLat])
        /// A circle around a centre, radius in metres.
        case circle(center: LonLat, radius: Double)
    }

    /// The outline.
    public var shape: Shape
    /// `true`: stay inside; `false`: stay outside.
    public var inclusion: Bool

    /// A fence of `shape`, kept inside when `inclusion` is true, outside otherwise.
    public init(shape: Shape, inclusion: Bool) {
        self.shape = shape
        self.inclusion = inclusion
    }

    /// A polygon fence with its vertices in Patrol's order (counter-clockwise, first vertex kept).
    public static func polygon(_ vertices: [LonLat], inclusion: Bool) -> Geofence {
        var open = vertices
        if open.count > 1, open.first == open.last { open.removeLast() }
        return Geofence(shape: .polygon(Geofence.counterClockwise(open)), inclusion: inclusion)
    }

    /// `vertices` counter-clockwise, reversed after the first vertex when they were clockwise.
    static func counterClockwise(_ vertices: [LonLat]) -> [LonLat] {
        var twiceArea = 0.0
        for (a, b) in zip(vertices, vertices.dropFirst() + vertices.prefix(1)) {
            twiceArea += a.lon * b.lat - b.lon * a.lat
        }
        return twiceArea < 0 ? Array(vertices.prefix(1) + vertices.dropFirst().reversed()) : vertices
    }

    /// `vertices` clockwise, as QGroundControl writes them.
    static func clockwise(_ vertices: [LonLat]) -> [LonLat] {
        Array(vertices.prefix(1) + vertices.dropFirst().reversed())
    }
}

/// A safe point a vehicle may divert to.
public struct RallyPoint: Hashable, Sendable {
    /// Where the point is.
    public var position: LonLat
    /// Metres above home.
    public var altitude: Double

    /// A rally point at `position`, `altitude` metres above home.
    public init(position: LonLat, altitude: Double) {
        self.position = position
        self.altitude = altitude
    }
}

/// The file formats a ``FlightPlan`` is read from and written to, chosen by file extension.
public enum FlightPlanFormat: String, CaseIterable, Sendable {
    /// QGroundControl's JSON plan (`.plan`).
    case plan
    /// The tab-separated `QGC WPL 110` mission text (`.waypoints`).
    case waypoints
    /// Patrol's route GeoJSON (`.geojson`): waypoints, home, fences and rally points as features.
    case geojson
    /// DJI WPML wayline (`.kmz`): written only.
    case kmz

    /// The format of `url`, from its extension.
    ///
    /// - Throws: ``LoadError`` when the extension is not one of the formats.
    public init(of url: URL) throws(LoadError) {
        guard let format = FlightPlanFormat(rawValue: url.pathExtension.lowercased()) else {
            throw LoadError(
                file: url.path,
                message: "unknown extension `.\(url.pathExtension)`; expected .plan, .waypoints, .geojson or .kmz")
        }
        self = format
    }
}

extension FlightPlan {
    /// Bytes a `.plan` or `.geojson` file may have; bigger files are refused before they are read.
    public static let maximumFileSize = 32 << 20

    /// Reads a plan from a `.plan`, `.waypoints` or `.geojson` file.
    ///
    /// - Throws: ``LoadError`` naming the file and the line (`.waypoints`, JSON syntax) or JSON
    ///   path (`.plan`, `.geojson`) of the first problem.
    public static func load(from url: URL) throws(LoadError) -> FlightPlan {
        try read(from: url).plan
    }

    /// Reads a plan as ``load(from:)`` does, and says which mission items it skipped (camera,
    /// gimbal and other commands that do not move the vehicle), one `file:line: …` note each.
    ///
    /// - Throws: ``LoadError`` naming the file and the line or JSON path of the first problem.
    public static func read(from url: URL) throws(LoadError) -> (plan: FlightPlan, skipped: [String]) {
        let format = try FlightPlanFormat(of: url)
        let missionID = url.deletingPathExtension().lastPathComponent
        switch format {
        case .kmz:
            throw LoadError(
                file: url.path, message: "Patrol writes DJI WPML waylines (.kmz) but does not read them")
        case .waypoints:
            return try WaypointsFile.read(url, missionID: missionID)
        case .plan, .geojson:
            // JSON is parsed whole, so its size is capped; `.waypoints` streams instead.
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
            guard let size else { throw LoadError(file: url.path, message: "cannot read the file") }
            guard size <= maximumFileSize else {
                throw LoadError(
                    file: url.path,
                    message: "the file has \(size) bytes; a JSON plan may have at most \(maximumFileSize)")
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw LoadError(file: url.path, message: "cannot read the file")
            }
            return format == .plan
                ? try QGCPlanFile.read(data, file: url.path, missionID: missionID)
                : (try PlanGeoJSON.read(data, file: url.path, missionID: missionID), [])
        }
    }

    /// Writes the plan in the format its extension names.
    ///
    /// - Throws: ``LoadError`` for an unknown extension, or when the file cannot be written.
    public func write(to url: URL) throws(LoadError) {
        let data: Data
        switch try FlightPlanFormat(of: url) {
        case .plan: data = QGCPlanFile.data(self)
        case .waypoints: data = Data(WaypointsFile.text(self).utf8)
        case .geojson: data = PlanGeoJSON.data(self)
        case .kmz: data = WPMLFile.kmz(self)
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw LoadError(file: url.path, message: "cannot write the file: \(error.localizedDescription)")
        }
    }
}
