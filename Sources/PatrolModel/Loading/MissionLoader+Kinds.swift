import Foundation
import PatrolGeo

extension CorridorSpec {
    /// Reads a mission's `corridor:` block: `along` (`boundary`, an area id, a GeoJSON file with
    /// LineStrings, or a list of `[lon, lat]` pairs), `feature` (which line of the file),
    /// `width_m` and `offset_m`.
    ///
    /// - Throws: ``LoadError`` naming the field for an unknown area, file or feature, a line with
    ///   fewer than two positions, or a value out of range.
    static func read(_ reader: YAMLNode, site: Site, directory: URL) throws(LoadError) -> CorridorSpec {
        let fields = try reader.mapping(["along", "feature", "width_m", "offset_m"])
        let along = try fields.required("along")
        let featureReader = fields.optional("feature")
        let centreline: Centreline
        let source: String
        if along.isList {
            centreline = .line(try positions(along))
            source = "the line drawn in the mission"
        } else {
            let name = try along.string()
            if name == "boundary" {
                centreline = .ring(site.boundary.exterior)
                source = "the site boundary"
            } else if name.hasSuffix(".geojson") {
                let url = URL(fileURLWithPath: name, relativeTo: directory).standardizedFileURL
                let features = try LayerFeature.read(url).filter {
                    if case .lineString = $0.feature.geometry { true } else { false }
                }
                let wanted = try featureReader?.string()
                guard let match = features.first(where: { wanted == nil || $0.feature.id == wanted }) else {
                    throw (featureReader ?? along).error(
                        "no LineString \(wanted.map { "`\($0)` " } ?? "")in \(name); it has: "
                            + features.compactMap(\.feature.id).joined(separator: ", "))
                }
                guard case .lineString(let line) = match.feature.geometry, line.count >= 2 else {
                    throw match.error("geometry", "a corridor line needs at least two positions")
                }
                centreline = .line(line)
                source = "\(name) \(match.feature.id ?? "")"
            } else if let area = site.area(name) {
                centreline = .ring(area.polygon.exterior)
                source = "the edge of area \(name)"
            } else {
                throw along.error(
                    "expected `boundary`, an area id (\(site.areas.map(\.id).joined(separator: ", "))), "
                        + "a .geojson file or a list of [lon, lat] positions; found `\(name)`")
            }
        }
        return CorridorSpec(
            centreline: centreline, source: source,
            width: try fields.required("width_m").double(in: 1...1000),
            offset: try fields.optional("offset_m")?.double(in: -1000...1000) ?? 0)
    }

    static func positions(_ reader: YAMLNode) throws(LoadError) -> [LonLat] {
        let items = try reader.list()
        guard items.count >= 2 else { throw reader.error("a line needs at least two [longitude, latitude] positions") }
        return try items.map { (item) throws(LoadError) in
            let pair = try item.list()
            guard pair.count == 2 else { throw item.error("expected a position [longitude, latitude]") }
            return LonLat(lon: try pair[0].double(in: -180...180), lat: try pair[1].double(in: -90...90))
        }
    }
}

extension FacadeSpec {
    /// Reads a mission's `facade:` block: `tower`, `standoff_m`, and either `altitudes_m` (a list)
    /// or `levels` (that many rings evenly spaced up to the tower's height).
    ///
    /// - Throws: ``LoadError`` for an unknown tower, both or neither of `altitudes_m` and `levels`,
    ///   or a value out of range.
    static func read(_ reader: YAMLNode, site: Site) throws(LoadError) -> FacadeSpec {
        let fields = try reader.mapping(["tower", "standoff_m", "altitudes_m", "levels"])
        let towerReader = try fields.required("tower")
        let id = try towerReader.string()
        guard let tower = site.towers.first(where: { $0.id == id }) else {
            throw towerReader.error(
                "the site has no tower `\(id)`; it has: \(site.towers.map(\.id).joined(separator: ", "))")
        }
        let standoff = try fields.required("standoff_m").double(in: 12...200)
        let altitudes: [Double]
        switch (fields.optional("altitudes_m"), fields.optional("levels")) {
        case (let list?, nil):
            altitudes = try list.list().map { (item) throws(LoadError) in try item.double(in: 5...1000) }.sorted()
            guard !altitudes.isEmpty else { throw list.error("give at least one altitude") }
        case (nil, let levels?):
            let count = Int(try levels.double(in: 1...50))
            altitudes = (1...count).map { tower.height * Double($0) / Double(count) }
        default:
            throw reader.error("give either `altitudes_m` (a list) or `levels` (a count), not both or neither")
        }
        return FacadeSpec(tower: id, standoff: standoff, altitudes: altitudes)
    }
}

extension RobotRoundSpec {
    /// Reads a mission's `robot_round:` block: `station` (a robot station that is a node of the
    /// site's path graph), `checkpoints` (path graph node ids), optional `sensors` (what the
    /// robot must carry, default `[camera]`) and optional `other_stations` (stations whose robots
    /// may drive it when none of its own can).
    ///
    /// - Throws: ``LoadError`` naming the field for an unknown station or node, or a site without paths.
    static func read(_ reader: YAMLNode, site: Site) throws(LoadError) -> RobotRoundSpec {
        let fields = try reader.mapping(["station", "checkpoints", "sensors", "other_stations"])
        let stationReader = try fields.required("station")
        let station = try stationReader.string()
        let nodes = Set(site.pathNodes)
        guard site.robotStations.contains(where: { $0.id == station }) else {
            throw stationReader.error(
                "the site has no robot station `\(station)`; it has: "
                    + site.robotStations.map(\.id).joined(separator: ", ")
            )
        }
        guard nodes.contains(station) else {
            throw stationReader.error(
                "the site's path graph has no node `\(station)`; add the station to its paths layer")
        }
        let list = try fields.required("checkpoints")
        let checkpoints = try list.list().map { (item) throws(LoadError) in
            let id = try item.string()
            guard nodes.contains(id) else {
                throw item.error(
                    "the site's path graph has no node `\(id)`; it has: \(site.pathNodes.joined(separator: ", "))")
            }
            return id
        }
        guard !checkpoints.isEmpty else { throw list.error("give at least one checkpoint") }
        let sensors = try fields.optional("sensors")?.choices(RobotSensor.self) ?? [.camera]
        var others: [String] = []
        for item in try fields.optional("other_stations")?.list() ?? [] {
            let id = try item.string()
            guard site.robotStations.contains(where: { $0.id == id }), nodes.contains(id) else {
                throw item.error(
                    "`\(id)` is not a robot station on the site's path graph; it has: "
                        + site.robotStations.map(\.id).filter { nodes.contains($0) }.joined(separator: ", "))
            }
            guard id != station else { throw item.error("`\(id)` is the round's own station; list only others") }
            guard !others.contains(id) else { throw item.error("station `\(id)` is given twice") }
            others.append(id)
        }
        return RobotRoundSpec(station: station, checkpoints: checkpoints, sensors: sensors, otherStations: others)
    }
}

extension CameraSpec {
    /// Reads a mission's `camera:` block; with no block (a robot round), a 70° × 55° camera.
    static func read(_ reader: YAMLNode?) throws(LoadError) -> CameraSpec {
        guard let reader else {
            return CameraSpec(horizontalFOV: 70, verticalFOV: 55, sideOverlap: 0.3, frontOverlap: 0.6)
        }
        let camera = try reader.mapping(["horizontal_fov_deg", "vertical_fov_deg", "side_overlap", "front_overlap"])
        return CameraSpec(
            horizontalFOV: try camera.required("horizontal_fov_deg").double(in: 1...170),
            verticalFOV: try camera.required("vertical_fov_deg").double(in: 1...170),
            sideOverlap: try camera.optional("side_overlap")?.double(in: 0...0.95) ?? 0.3,
            frontOverlap: try camera.optional("front_overlap")?.double(in: 0...0.95) ?? 0.6)
    }
}

extension Mission {
    /// Ground speed when the file gives none: 8 m/s for drones, 1 m/s for ground robots.
    static func defaultSpeed(_ kind: Kind) -> Double {
        if case .robotRound = kind { 1 } else { 8 }
    }
}
