public import Foundation
import PatrolGeo

extension Site {
    /// Loads a site from its `site.yaml` and the GeoJSON layers it names (paths relative to it).
    ///
    /// Every layer is validated: rings close, features carry the properties the layer needs,
    /// ids are unique, numbers are in range.
    ///
    /// - Throws: ``LoadError`` naming the file and the line (YAML) or the feature and field
    ///   (GeoJSON) of the first problem.
    public static func load(from url: URL) throws(LoadError) -> Site {
        let file = url.path
        let reader = try YAMLNode(text: try readText(url), file: file)
        let fields = try reader.mapping(["id", "name", "crs", "origin", "layers"])
        let id = try fields.required("id").string()
        let name = try fields.required("name").string()
        let crsReader = try fields.required("crs")
        let crs = try crsReader.string()
        do { _ = try SiteFrame(crs: crs) } catch {
            throw crsReader.error("PROJ does not know this CRS: \(error.message)")
        }

        let originReader = try fields.required("origin")
        let origin = try originReader.mapping(["lon", "lat", "ground_elevation_m"])
        let lonLat = LonLat(
            lon: try origin.required("lon").double(in: -180...180),
            lat: try origin.required("lat").double(in: -90...90))
        let ground = try origin.optional("ground_elevation_m")?.double(in: -500...9000) ?? 0

        let layersReader = try fields.required("layers")
        let layers = try layersReader.mapping([
            "boundary", "towers", "areas", "no_fly", "facilities", "paths", "terrain",
        ])
        let directory = url.deletingLastPathComponent()
        func layer(_ key: String, required: Bool = true) throws(LoadError) -> [LayerFeature] {
            guard let entry = layers.optional(key) else {
                if required { throw layersReader.error("missing required field `\(key)`", field: "layers.\(key)") }
                return []
            }
            return try LayerFeature.read(directory.appendingPathComponent(try entry.string()))
        }

        let boundaryFeatures = try layer("boundary")
        guard let boundary = boundaryFeatures.first else {
            throw LoadError(
                file: try layers.required("boundary").string(), message: "the boundary layer has no feature")
        }
        var site = Site(
            id: id, name: name, crs: crs, origin: lonLat, groundElevation: ground, boundary: try boundary.polygon())
        site.towers = try layer("towers").map { (f) throws(LoadError) in
            Tower(
                id: try f.id(), name: f.name, footprint: try f.polygon(), height: try f.number("height_m", in: 1...1000)
            )
        }
        site.areas = try layer("areas").map { (f) throws(LoadError) in
            PatrolArea(id: try f.id(), name: f.name, kind: f.text("kind") ?? "area", polygon: try f.polygon())
        }
        site.noFlyZones = try layer("no_fly", required: false).map { (f) throws(LoadError) in
            NoFlyZone(
                id: try f.id(), name: f.name, reason: f.text("reason") ?? "", polygon: try f.polygon(),
                floor: try f.optionalNumber("floor_m", in: 0...10000) ?? 0,
                ceiling: try f.optionalNumber("ceiling_m", in: 0...10000) ?? .infinity)
        }
        for f in try layer("facilities", required: false) {
            switch f.text("kind") {
            case "hive":
                site.hives.append(
                    Hive(
                        id: try f.id(), name: f.name, position: try f.point(),
                        groundElevation: try f.optionalNumber("ground_elevation_m", in: -100...1000) ?? 0))
            case "robot_station":
                site.robotStations.append(RobotStation(id: try f.id(), name: f.name, position: try f.point()))
            default:
                throw f.error("kind", "unknown facility kind `\(f.text("kind") ?? "")`; expected hive or robot_station")
            }
        }
        site.paths = try PathEdge.read(try layer("paths", required: false))
        if let entry = layers.optional("terrain") {
            site.terrain = try Site.readTerrain(directory.appendingPathComponent(try entry.string()))
        }
        return site
    }
}

/// A GeoJSON feature with the file and index it came from, for error messages.
struct LayerFeature {
    let file: String
    let index: Int
    let feature: GeoFeature

    static func read(_ url: URL) throws(LoadError) -> [LayerFeature] {
        let data = Data(try readText(url).utf8)
        let features: [GeoFeature]
        do {
            features = try GeoJSON.features(from: data, file: url.path)
        } catch {
            // GeoJSON errors already carry "file: features[i] (id …): field".
            let parts = error.location ?? url.path
            let field = parts.hasPrefix(url.path + ": ") ? String(parts.dropFirst(url.path.count + 2)) : nil
            throw LoadError(file: url.path, field: field, message: error.message)
        }
        var seen = Set<String>()
        let result = features.enumerated().map { LayerFeature(file: url.path, index: $0.offset, feature: $0.element) }
        for f in result {
            let id = try f.id()
            guard seen.insert(id).inserted else { throw f.error("properties.id", "duplicate id `\(id)` in this layer") }
        }
        return result
    }

    func error(_ field: String, _ message: String) -> LoadError {
        let idPart = feature.id.map { " (id \"\($0)\")" } ?? ""
        return LoadError(file: file, field: "features[\(index)]\(idPart): \(field)", message: message)
    }

    func id() throws(LoadError) -> String {
        guard let id = feature.id, !id.isEmpty else { throw error("properties.id", "every feature needs a text `id`") }
        return id
    }

    var name: String { text("name") ?? feature.id ?? "feature \(index)" }

    func text(_ key: String) -> String? { feature.properties[key]?.string }

    func optionalNumber(_ key: String, in range: ClosedRange<Double>) throws(LoadError) -> Double? {
        guard let value = feature.properties[key], value != .null else { return nil }
        guard let number = value.number, range.contains(number) else {
            throw error("properties.\(key)", "expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(LoadError) -> Double {
        guard let n = try optionalNumber(key, in: range) else {
            throw error("properties.\(key)", "missing required number")
        }
        return n
    }

    func polygon() throws(LoadError) -> GeoPolygon {
        switch feature.geometry {
        case .polygon(let p): return p
        case .multiPolygon(let parts) where parts.count == 1: return parts[0]
        default: throw error("geometry", "expected a Polygon")
        }
    }

    func point() throws(LoadError) -> LonLat {
        guard case .point(let p) = feature.geometry else { throw error("geometry", "expected a Point") }
        return p
    }
}

/// Reads a UTF-8 text file, turning I/O failures into a ``LoadError`` naming the file.
func readText(_ url: URL) throws(LoadError) -> String {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw LoadError(file: url.path, message: "the file is not UTF-8 text")
    }
    return text
}
