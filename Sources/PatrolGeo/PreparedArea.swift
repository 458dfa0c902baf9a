internal import CGEOS

/// An area made ready for many fast predicate tests (GEOS prepared geometry).
///
/// Converting an area to GEOS and indexing its edges costs far more than one test, so code
/// that tests many segments against the same area (path finding, route checks) prepares it
/// once. A prepared area belongs to the thread that made it: use it inside one synchronous
/// computation and let it go; it is deliberately not `Sendable`.
public final class PreparedArea {
    private let handle: GEOS.Handle
    private let prepared: OpaquePointer
    /// The area as given.
    public let area: MultiPolygon

    /// - Throws: ``GeoError`` when the area cannot be converted to GEOS.
    public init(_ area: MultiPolygon) throws(GeoError) {
        self.area = area
        let c = GEOS.context
        handle = try GEOS.make(c, area.geometry)
        guard let prepared = GEOSPrepare_r(c.handle, handle.pointer) else {
            throw GeoError(.geometryOperationFailed, "prepare: \(c.takeError())")
        }
        self.prepared = prepared
    }

    deinit { GEOSPreparedGeom_destroy_r(handle.context.handle, prepared) }

    /// Whether `geometry` lies entirely in the area (boundary included).
    public func covers(_ geometry: Geometry) throws(GeoError) -> Bool {
        try test("covers", geometry) { GEOSPreparedCovers_r($0, prepared, $1) }
    }

    /// Whether `geometry` touches or crosses the area anywhere.
    public func intersects(_ geometry: Geometry) throws(GeoError) -> Bool {
        try test("intersects", geometry) { GEOSPreparedIntersects_r($0, prepared, $1) }
    }

    /// Whether the segment from `a` to `b` lies entirely in the area.
    public func covers(_ a: XY, _ b: XY) throws(GeoError) -> Bool {
        try covers(a == b ? .point(a) : .lineString(LineString([a, b])))
    }

    /// Whether the segment from `a` to `b` touches the area.
    public func intersects(_ a: XY, _ b: XY) throws(GeoError) -> Bool {
        try intersects(a == b ? .point(a) : .lineString(LineString([a, b])))
    }

    private func test(
        _ name: String, _ geometry: Geometry, _ body: (GEOSContextHandle_t, OpaquePointer) -> CChar
    ) throws(GeoError) -> Bool {
        let c = handle.context
        precondition(c === GEOS.context, "a PreparedArea is used on the thread that made it")
        let other = try GEOS.make(c, geometry)
        switch body(c.handle, other.pointer) {
        case 1: return true
        case 0: return false
        default: throw GeoError(.geometryOperationFailed, "\(name): \(c.takeError())")
        }
    }
}
