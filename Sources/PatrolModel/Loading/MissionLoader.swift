public import Foundation
import PatrolGeo

/// A patrol definition together with the site it patrols.
public struct LoadedMission: Hashable, Sendable {
    public var mission: Mission
    public var site: Site
    /// The file the mission came from.
    public var file: URL

    public init(mission: Mission, site: Site, file: URL) {
        self.mission = mission
        self.site = site
        self.file = file
    }
}

extension Mission {
    /// The fields a mission file may have.
    static let fields = [
        "id", "name", "site", "kind", "area", "hive", "altitude_m", "transit_altitude_m", "speed_mps", "camera", "detect",
        "schedule",
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
        let kind: Mission.Kind
        switch try kindReader.string() {
        case "area_coverage":
            let areaReader = try fields.required("area")
            kind = .areaCoverage(area: try areaReference(areaReader, site: site))
        case let other:
            throw kindReader.error("unknown kind `\(other)`; expected area_coverage")
        }
        let hiveReader = try fields.required("hive")
        let hive = try hiveReader.string()
        guard site.hive(hive) != nil else {
            throw hiveReader.error("the site has no hive `\(hive)`; it has: \(site.hives.map(\.id).joined(separator: ", "))")
        }
        let altitude = try fields.required("altitude_m").double(in: 5...500)
        let cameraReader = try fields.required("camera")
        let camera = try cameraReader.mapping(["horizontal_fov_deg", "vertical_fov_deg", "side_overlap", "front_overlap"])
        let detect = try (fields.optional("detect")?.list())?.map { (item) throws(LoadError) in
            let name = try item.string()
            guard let value = DetectionClass(rawValue: name) else {
                throw item.error(
                    "unknown detection class `\(name)`; expected one of: \(DetectionClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        } ?? [DetectionClass.smoke, .fire]
        let id = try fields.required("id").string()
        let mission = Mission(
            id: id,
            name: try fields.optional("name")?.string() ?? id,
            kind: kind,
            hive: hive,
            altitude: altitude,
            transitAltitude: try fields.optional("transit_altitude_m")?.double(in: 5...500) ?? altitude,
            speed: try fields.optional("speed_mps")?.double(in: 0.5...30) ?? 8,
            camera: CameraSpec(
                horizontalFOV: try camera.required("horizontal_fov_deg").double(in: 1...170),
                verticalFOV: try camera.required("vertical_fov_deg").double(in: 1...170),
                sideOverlap: try camera.optional("side_overlap")?.double(in: 0...0.95) ?? 0.3,
                frontOverlap: try camera.optional("front_overlap")?.double(in: 0...0.95) ?? 0.6),
            detect: detect,
            schedule: try fields.optional("schedule").map { (node) throws(LoadError) in try PatrolSchedule.load(node) })
        return LoadedMission(mission: mission, site: site, file: url)
    }

    /// `area:` is either the id of one of the site's areas or a ring of `[lon, lat]` pairs
    /// drawn in the mission file, closed (first equals last).
    static func areaReference(_ reader: YAMLNode, site: Site) throws(LoadError) -> AreaReference {
        guard reader.isList else {
            let id = try reader.string()
            guard site.area(id) != nil else {
                throw reader.error("the site has no area `\(id)`; it has: \(site.areas.map(\.id).joined(separator: ", "))")
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
