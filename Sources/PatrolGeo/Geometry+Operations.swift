internal import CGEOS

/// How the ends of a buffered line are shaped.
public enum BufferCap: Sendable {
    /// Half-discs: the area within the distance of any point of the line.
    case round
    /// Cut square at the ends: the swath a camera sweeps along the line.
    case flat
    /// Extended square by the distance beyond each end.
    case square

    var geosStyle: Int32 {
        switch self {
        case .round: Int32(GEOSBUF_CAP_ROUND.rawValue)
        case .flat: Int32(GEOSBUF_CAP_FLAT.rawValue)
        case .square: Int32(GEOSBUF_CAP_SQUARE.rawValue)
        }
    }
}

extension Geometry {
    /// The area of this geometry, in square metres.
    public var area: Double { polygons.reduce(0) { $0 + $1.area } }

    /// This geometry grown (positive) or shrunk (negative) by `distance` metres.
    public func buffered(by distance: Double, cap: BufferCap = .round, quadrantSegments: Int32 = 8) throws(GeoError)
        -> MultiPolygon
    {
        let result = try GEOS.produce("buffer", [self]) { c, h in
            GEOSBufferWithStyle_r(
                c.handle, h[0].pointer, distance, quadrantSegments, cap.geosStyle, Int32(GEOSBUF_JOIN_ROUND.rawValue), 5
            )
        }
        return MultiPolygon(result.polygons)
    }

    /// The part of this geometry inside `other`.
    public func intersection(_ other: Geometry) throws(GeoError) -> Geometry {
        try GEOS.produce("intersection", [self, other]) { c, h in
            GEOSIntersection_r(c.handle, h[0].pointer, h[1].pointer)
        }
    }

    /// The part of this geometry outside `other`.
    public func difference(_ other: Geometry) throws(GeoError) -> Geometry {
        try GEOS.produce("difference", [self, other]) { c, h in GEOSDifference_r(c.handle, h[0].pointer, h[1].pointer) }
    }

    /// This geometry merged with `other`.
    public func union(_ other: Geometry) throws(GeoError) -> Geometry {
        try GEOS.produce("union", [self, other]) { c, h in GEOSUnion_r(c.handle, h[0].pointer, h[1].pointer) }
    }

    /// Whether the two geometries share any point.
    public func intersects(_ other: Geometry) throws(GeoError) -> Bool {
        try GEOS.predicate("intersects", [self, other]) { c, h in GEOSIntersects_r(c.handle, h[0].pointer, h[1].pointer)
        }
    }

    /// Whether every point of `other` lies in this geometry (boundary included).
    public func covers(_ other: Geometry) throws(GeoError) -> Bool {
        try GEOS.predicate("covers", [self, other]) { c, h in GEOSCovers_r(c.handle, h[0].pointer, h[1].pointer) }
    }

    /// The shortest distance between the two geometries, in metres (0 when they intersect).
    public func distance(to other: Geometry) throws(GeoError) -> Double {
        let c = GEOS.context
        let a = try GEOS.make(c, self)
        let b = try GEOS.make(c, other)
        var d = 0.0
        guard GEOSDistance_r(c.handle, a.pointer, b.pointer, &d) == 1 else {
            throw GeoError(.geometryOperationFailed, "distance: \(c.takeError())")
        }
        return d
    }

    /// The union of many geometries at once (much faster than folding ``union(_:)``).
    public static func unaryUnion(_ parts: [Geometry]) throws(GeoError) -> Geometry {
        if parts.isEmpty { return .collection([]) }
        return try GEOS.produce("union", [.collection(parts)]) { c, h in GEOSUnaryUnion_r(c.handle, h[0].pointer) }
    }
}

extension Polygon {
    /// Whether `point` lies inside the polygon or on its boundary.
    public func covers(_ point: XY) throws(GeoError) -> Bool { try Geometry.polygon(self).covers(.point(point)) }
}

extension MultiPolygon {
    /// This area as a general geometry.
    public var geometry: Geometry { .collection(polygons.map(Geometry.polygon)) }

    /// The part of this area inside `other`.
    public func intersection(_ other: MultiPolygon) throws(GeoError) -> MultiPolygon {
        MultiPolygon(try geometry.intersection(other.geometry).polygons)
    }

    /// The part of this area outside `other`.
    public func difference(_ other: MultiPolygon) throws(GeoError) -> MultiPolygon {
        if other.isEmpty { return self }
        return MultiPolygon(try geometry.difference(other.geometry).polygons)
    }

    /// This area merged with `other`.
    public func union(_ other: MultiPolygon) throws(GeoError) -> MultiPolygon {
        MultiPolygon(try Geometry.unaryUnion([geometry, other.geometry]).polygons)
    }

    /// This area grown (positive) or shrunk (negative) by `distance` metres.
    public func buffered(by distance: Double) throws(GeoError) -> MultiPolygon {
        try geometry.buffered(by: distance)
    }

    /// Whether `point` lies in the area or on its boundary.
    public func covers(_ point: XY) throws(GeoError) -> Bool { try geometry.covers(.point(point)) }

    /// Whether the line touches or crosses the area anywhere.
    public func intersects(_ line: LineString) throws(GeoError) -> Bool { try geometry.intersects(.lineString(line)) }

    /// The pieces of `line` that lie inside this area, in the line's direction.
    public func clip(_ line: LineString) throws(GeoError) -> [LineString] {
        try Geometry.lineString(line).intersection(geometry).lineStrings
    }

    /// The union of many areas.
    public static func union(_ parts: [MultiPolygon]) throws(GeoError) -> MultiPolygon {
        MultiPolygon(try Geometry.unaryUnion(parts.map(\.geometry)).polygons)
    }
}

extension LineString {
    /// The area swept by a band `width` metres wide centred on the line.
    public func swath(width: Double, cap: BufferCap = .flat) throws(GeoError) -> MultiPolygon {
        guard points.count >= 2 else { return MultiPolygon([]) }
        return try Geometry.lineString(self).buffered(by: width / 2, cap: cap)
    }
}
