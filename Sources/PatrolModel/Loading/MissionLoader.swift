public import Foundation
import PatrolGeo

/// A patrol definition together with the site it patrols.
public struct LoadedMission: Hashable, Sendable {
    public var mission: Mission
    public var site: Site
    /// The file the mission came from.
    public var file: URL
    /// The site file its `site:` field named, resolved, when it was loaded from one.
    public var siteFile: URL?

    public init(mission: Mission, site: Site, file: URL, siteFile: URL? = nil) {
        self.mission = mission
        self.site = site
        self.file = file
        self.siteFile = siteFile
    }
}

extension Mission {
    /// The fields a mission file may have.
    static let fields = [
        "id", "name", "site", "kind", "area", "hive", "altitude_m", "transit_altitude_m", "speed_mps", "camera",
        "detect",
        "max_staleness_min", "limits", "corridor", "facade", "robot_round", "schedule",
    ]

    /// Loads a patrol definition and the site its `site:` field names (relative to the mission file).
    ///
    /// The mission is checked against its site: the area and the hive must exist there.
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem: a YAML syntax
    ///   error, an unknown or missing field, a value out of range, an unknown area or hive, or
    ///   any problem in the site's files.
    public static func load(from url: URL) throws(LoadError) -> LoadedMission {
        let reader = try YAMLNode(text: try readText(url), file: url.path)
        let fields = try reader.mapping(Self.fields)
        let siteReader = try fields.required("site")
        let siteURL = URL(fileURLWithPath: try siteReader.string(), relativeTo: url.deletingLastPathComponent())
            .standardizedFileURL
        let site = try Site.load(from: siteURL)

        let kindReader = try fields.required("kind")
        let kindName = try kindReader.string()
        let kind: Mission.Kind
        let directory = url.deletingLastPathComponent()
        switch kindName {
        case "area_coverage":
            let areaReader = try fields.required("area")
            kind = .areaCoverage(area: try areaReference(areaReader, site: site))
        case "corridor":
            kind = .corridor(try CorridorSpec.read(try fields.required("corridor"), site: site, directory: directory))
        case "facade": kind = .facade(try FacadeSpec.read(try fields.required("facade"), site: site))
        case "robot_round": kind = .robotRound(try RobotRoundSpec.read(try fields.required("robot_round"), site: site))
        case let other:
            throw kindReader.error("unknown kind `\(other)`; expected area_coverage, corridor, facade or robot_round")
        }
        // A block for another kind is a mistake, not something to ignore.
        let blocks = [
            ("area", "area_coverage"), ("corridor", "corridor"), ("facade", "facade"), ("robot_round", "robot_round"),
        ]
        for (block, owner) in blocks where owner != kindName {
            if let stray = fields.optional(block) { throw stray.error("`\(block)` is only for kind \(owner)") }
        }
        let hive: String
        let altitude: Double
        let camera: CameraSpec
        if case .robotRound(let round) = kind {
            // A ground robot lives at its station and drives at ground level.
            for field in ["hive", "altitude_m", "transit_altitude_m"] {
                if let stray = fields.optional(field) { throw stray.error("a robot round has no `\(field)`") }
            }
            hive = round.station
            altitude = 0
            camera = try CameraSpec.read(fields.optional("camera"))
        } else {
            let hiveReader = try fields.required("hive")
            hive = try hiveReader.string()
            guard site.hive(hive) != nil else {
                throw hiveReader.error(
                    "the site has no hive `\(hive)`; it has: \(site.hives.map(\.id).joined(separator: ", "))")
            }
            if case .facade(let facade) = kind, fields.optional("altitude_m") == nil {
                altitude = facade.altitudes[0]
            } else {
                altitude = try fields.required("altitude_m").double(in: 5...500)
            }
            camera = try CameraSpec.read(try fields.required("camera"))
        }
        let detect =
            try (fields.optional("detect")?.list())?.map { (item) throws(LoadError) in
                let name = try item.string()
                guard let value = DetectionClass(rawValue: name) else {
                    throw item.error(
                        "unknown detection class `\(name)`; expected one of: \(DetectionClass.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return value
            } ?? [DetectionClass.smoke, .fire]
        let id = try fields.required("id").string()
        let maximumStaleness = try fields.optional("max_staleness_min").map { (n) throws(LoadError) in
            try n.double(in: 1...10_080) * 60
        }
        var schedule = try fields.optional("schedule").map { (node) throws(LoadError) in try PatrolSchedule.load(node) }
        // The scheduler reports gaps longer than the same limit the daily report measures against.
        schedule?.maxStaleness = maximumStaleness
        let mission = Mission(
            id: id,
            name: try fields.optional("name")?.string() ?? id,
            kind: kind,
            hive: hive,
            altitude: altitude,
            transitAltitude: try fields.optional("transit_altitude_m")?.double(in: 5...500) ?? altitude,
            speed: try fields.optional("speed_mps")?.double(in: 0.5...30) ?? Self.defaultSpeed(kind),
            camera: camera,
            detect: detect,
            maximumStaleness: maximumStaleness,
            limits: try FlightLimits.read(fields.optional("limits")),
            schedule: schedule)
        return LoadedMission(mission: mission, site: site, file: url, siteFile: siteURL)
    }

    /// `area:` is either the id of one of the site's areas or a ring of `[lon, lat]` pairs
    /// drawn in the mission file, closed (first equals last).
    static func areaReference(_ reader: YAMLNode, site: Site) throws(LoadError) -> AreaReference {
        guard reader.isList else {
            let id = try reader.string()
            guard site.area(id) != nil else {
                throw reader.error(
                    "the site has no area `\(id)`; it has: \(site.areas.map(\.id).joined(separator: ", "))")
            }
            return .site(id)
        }
        let ring = try reader.list().map { (item) throws(LoadError) in
            let pair = try item.list()
            guard pair.count == 2 else { throw item.error("expected a position [longitude, latitude]") }
            let point = LonLat(lon: try pair[0].double(in: -180...180), lat: try pair[1].double(in: -90...90))
            return point
        }
        let polygon = Polygon(exterior: ring.map { XY($0.lon, $0.lat) })
        if let issue = polygon.validationIssue { throw reader.error("the area polygon is not valid: \(issue)") }
        let normalised = polygon.normalisedWinding
        return .inline(GeoPolygon(exterior: normalised.exterior.map { LonLat(lon: $0.x, lat: $0.y) }))
    }
}
