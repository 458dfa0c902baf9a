public import Foundation

/// A geometry in geographic coordinates, as GeoJSON (RFC 7946) carries it.
public enum GeoGeometry: Hashable, Sendable {
    case point(LonLat)
    case lineString([LonLat])
    case polygon(GeoPolygon)
    case multiPolygon([GeoPolygon])
}

/// One GeoJSON feature: a geometry and its properties.
public struct GeoFeature: Hashable, Sendable {
    public var geometry: GeoGeometry
    public var properties: [String: JSONValue]

    public init(geometry: GeoGeometry, properties: [String: JSONValue] = [:]) {
        self.geometry = geometry
        self.properties = properties
    }

    /// The `id` property, which every feature of a site layer carries.
    public var id: String? { properties["id"]?.string }
}

/// Reading and writing GeoJSON FeatureCollections with clear errors.
public enum GeoJSON {
    /// Parses a FeatureCollection.
    ///
    /// Rings must close and have at least four positions; positions must be finite lon/lat in
    /// range. Exterior rings are normalised to counter-clockwise (RFC 7946 asks writers, not
    /// readers, to get winding right).
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: ``GeoError`` with code ``GeoError/Code/invalidGeoJSON`` naming the file, the
    ///   feature (index and id) and the field, such as `features[2] (id "hill"): geometry.coordinates[0]`.
    public static func features(from data: Data, file: String) throws(GeoError) -> [GeoFeature] {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw GeoError(.invalidGeoJSON, "not valid JSON: \(Self.describe(error))", location: file)
        }
        guard root["type"]?.string == "FeatureCollection" else {
            throw GeoError(.invalidGeoJSON, "expected \"type\": \"FeatureCollection\"", location: "\(file): type")
        }
        guard let list = root["features"]?.array else {
            throw GeoError(.invalidGeoJSON, "expected an array of features", location: "\(file): features")
        }
        var result: [GeoFeature] = []
        for (index, item) in list.enumerated() {
            var where_ = "\(file): features[\(index)]"
            let properties = item["properties"]?.object ?? [:]
            if let id = properties["id"]?.string { where_ += " (id \"\(id)\")" }
            guard item["type"]?.string == "Feature" else {
                throw GeoError(.invalidGeoJSON, "expected \"type\": \"Feature\"", location: "\(where_): type")
            }
            guard let geometry = item["geometry"], geometry != .null else {
                throw GeoError(.invalidGeoJSON, "a feature needs a geometry", location: "\(where_): geometry")
            }
            result.append(
                GeoFeature(geometry: try parseGeometry(geometry, at: "\(where_): geometry"), properties: properties))
        }
        return result
    }

    static func parseGeometry(_ value: JSONValue, at path: String) throws(GeoError) -> GeoGeometry {
        guard let type = value["type"]?.string else {
            throw GeoError(.invalidGeoJSON, "a geometry needs a \"type\"", location: "\(path).type")
        }
        guard let coordinates = value["coordinates"] else {
            throw GeoError(.invalidGeoJSON, "a \(type) needs \"coordinates\"", location: "\(path).coordinates")
        }
        let at = "\(path).coordinates"
        switch type {
        case "Point":
            return .point(try position(coordinates, at: at))
        case "LineString":
            let line = try positions(coordinates, at: at)
            guard line.count >= 2 else {
                throw GeoError(
                    .invalidGeoJSON, "a LineString needs at least 2 positions, found \(line.count)", location: at)
            }
            return .lineString(line)
        case "Polygon":
            return .polygon(try polygon(coordinates, at: at))
        case "MultiPolygon":
            guard let parts = coordinates.array else {
                throw GeoError(.invalidGeoJSON, "expected an array of polygons", location: at)
            }
            return .multiPolygon(
                try parts.enumerated().map { (i, p) throws(GeoError) in try polygon(p, at: "\(at)[\(i)]") })
        default:
            throw GeoError(
                .invalidGeoJSON,
                "unsupported geometry type \"\(type)\" (expected Point, LineString, Polygon or MultiPolygon)",
                location: "\(path).type")
        }
    }

    static func polygon(_ value: JSONValue, at path: String) throws(GeoError) -> GeoPolygon {
        guard let rings = value.array, !rings.isEmpty else {
            throw GeoError(.invalidGeoJSON, "a Polygon needs an array of at least one ring", location: path)
        }
        var parsed: [[LonLat]] = []
        for (i, r) in rings.enumerated() {
            let ring = try positions(r, at: "\(path)[\(i)]")
            let name = i == 0 ? "exterior ring" : "hole \(i)"
            if let issue = Ring.issue(ring.map { XY($0.lon, $0.lat) }, name: name) {
                throw GeoError(.invalidGeoJSON, issue, location: "\(path)[\(i)]")
            }
            parsed.append(ring)
        }
        let planar = Polygon(
            exterior: parsed[0].map { XY($0.lon, $0.lat) },
            holes: parsed.dropFirst().map { $0.map { XY($0.lon, $0.lat) } })
        let normalised = planar.normalisedWinding
        return GeoPolygon(
            exterior: normalised.exterior.map { LonLat(lon: $0.x, lat: $0.y) },
            holes: normalised.holes.map { $0.map { LonLat(lon: $0.x, lat: $0.y) } })
    }

    static func positions(_ value: JSONValue, at path: String) throws(GeoError) -> [LonLat] {
        guard let list = value.array else {
            throw GeoError(.invalidGeoJSON, "expected an array of positions", location: path)
        }
        return try list.enumerated().map { (i, p) throws(GeoError) in try position(p, at: "\(path)[\(i)]") }
    }

    static func position(_ value: JSONValue, at path: String) throws(GeoError) -> LonLat {
        guard let numbers = value.array?.compactMap(\.number), numbers.count >= 2, numbers.count == value.array?.count
        else {
            throw GeoError(
                .invalidGeoJSON, "expected a position [longitude, latitude] or [longitude, latitude, height]",
                location: path)
        }
        let point = LonLat(lon: numbers[0], lat: numbers[1])
        guard point.isValid else {
            throw GeoError(
                .invalidGeoJSON,
                "position \(numbers[0]), \(numbers[1]) is out of range (longitude first, then latitude)", location: path
            )
        }
        return point
    }

    // MARK: Writing

    /// A FeatureCollection as pretty-printed JSON with sorted keys (stable output for diffs).
    public static func data(_ features: [GeoFeature]) -> Data {
        let collection: JSONValue = .object([
            "type": "FeatureCollection",
            "features": .array(
                features.map {
                    .object(["type": "Feature", "geometry": json($0.geometry), "properties": .object($0.properties)])
                }),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(collection)) ?? Data()
    }

    /// The GeoJSON geometry object for `geometry`.
    public static func json(_ geometry: GeoGeometry) -> JSONValue {
        func pos(_ p: LonLat) -> JSONValue { .array([.number(rounded(p.lon)), .number(rounded(p.lat))]) }
        func poly(_ p: GeoPolygon) -> JSONValue { .array(([p.exterior] + p.holes).map { .array($0.map(pos)) }) }
        switch geometry {
        case .point(let p): return ["type": "Point", "coordinates": pos(p)]
        case .lineString(let l): return ["type": "LineString", "coordinates": .array(l.map(pos))]
        case .polygon(let p): return ["type": "Polygon", "coordinates": poly(p)]
        case .multiPolygon(let m): return ["type": "MultiPolygon", "coordinates": .array(m.map(poly))]
        }
    }

    /// Seven decimals of a degree are about 1 cm: enough, and keeps files small.
    static func rounded(_ degrees: Double) -> Double { (degrees * 1e7).rounded() / 1e7 }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
