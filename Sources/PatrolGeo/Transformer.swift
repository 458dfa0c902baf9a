import Foundation
internal import CProj

/// A coordinate operation between two coordinate reference systems, computed by PROJ.
///
/// Axis order is always normalised for visualisation: longitude/easting first, then
/// latitude/northing, whatever the CRS's official axis order (EPSG:4326 is lat/lon officially).
///
/// A transformer owns its own PROJ context, so it may be used from one thread or actor at a
/// time; it is deliberately not `Sendable`. Create it once and reuse it: creating one reads
/// PROJ's database, transforming a batch is cheap.
public final class Transformer {
    private let context: OpaquePointer
    private let operation: OpaquePointer
    /// The source CRS as given (for example `EPSG:4326`).
    public let source: String
    /// The target CRS as given (for example `EPSG:4547`).
    public let target: String

    /// Creates the operation from `source` to `target`.
    ///
    /// - Parameters:
    ///   - source: any definition PROJ accepts: `EPSG:4326`, a PROJ string, WKT, PROJJSON.
    ///   - target: likewise.
    /// - Throws: ``GeoError`` with code ``GeoError/Code/unknownCRS`` and PROJ's message when
    ///   either CRS is unknown or no operation between them exists.
    public init(from source: String, to target: String) throws(GeoError) {
        self.source = source
        self.target = target
        guard let context = proj_context_create() else {
            throw GeoError(.unknownCRS, "PROJ could not create a context", location: "\(source) -> \(target)")
        }
        Self.configure(context)
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            let message = Self.contextMessage(context)
            proj_context_destroy(context)
            throw GeoError(.unknownCRS, "no transformation: \(message)", location: "\(source) -> \(target)")
        }
        let normalised = proj_normalize_for_visualization(context, raw)
        proj_destroy(raw)
        guard let normalised else {
            let message = Self.contextMessage(context)
            proj_context_destroy(context)
            throw GeoError(.unknownCRS, "cannot normalise axis order: \(message)", location: "\(source) -> \(target)")
        }
        self.context = context
        self.operation = normalised
    }

    deinit {
        proj_destroy(operation)
        proj_context_destroy(context)
    }

    /// Transforms points from ``source`` to ``target`` (or back when `inverse` is true).
    ///
    /// Geographic coordinates are in degrees, longitude in `x`; projected ones in metres.
    /// Heights pass through `z` unchanged unless the operation changes them.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` naming the first point
    ///   that has no finite result (outside the CRS's area, NaN input, …).
    public func transform(_ points: [XYZ], inverse: Bool = false) throws(GeoError) -> [XYZ] {
        if points.isEmpty { return [] }
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        var zs = points.map(\.z)
        let count = points.count
        let stride = MemoryLayout<Double>.stride
        let done = xs.withUnsafeMutableBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                zs.withUnsafeMutableBufferPointer { z in
                    proj_trans_generic(
                        operation, inverse ? PJ_INV : PJ_FWD,
                        x.baseAddress, stride, count,
                        y.baseAddress, stride, count,
                        z.baseAddress, stride, count,
                        nil, 0, 0)
                }
            }
        }
        let errno = proj_errno(operation)
        defer { proj_errno_reset(operation) }
        for i in 0..<count where !(xs[i].isFinite && ys[i].isFinite && zs[i].isFinite) {
            let reason = errno != 0 ? String(cString: proj_context_errno_string(context, errno)) : "no finite result"
            throw GeoError(
                .transformFailed,
                "point \(i) (\(points[i].x), \(points[i].y), \(points[i].z)) cannot be transformed: \(reason)",
                location: inverse ? "\(target) -> \(source)" : "\(source) -> \(target)")
        }
        if done != count {
            throw GeoError(.transformFailed, "PROJ transformed \(done) of \(count) points", location: "\(source) -> \(target)")
        }
        return (0..<count).map { XYZ(xs[$0], ys[$0], zs[$0]) }
    }

    /// Transforms planar or geographic 2-D points (heights taken as 0).
    public func transform(_ points: [XY], inverse: Bool = false) throws(GeoError) -> [XY] {
        try transform(points.map { XYZ($0.x, $0.y, 0) }, inverse: inverse).map(\.xy)
    }

    /// Transforms a single point.
    public func transform(_ point: XYZ, inverse: Bool = false) throws(GeoError) -> XYZ {
        try transform([point], inverse: inverse)[0]
    }

    private static func configure(_ context: OpaquePointer) {
        proj_log_level(context, PJ_LOG_NONE)
        _ = proj_context_set_enable_network(context, 0)
        // Honour an explicit PROJ_DATA (or the older PROJ_LIB); otherwise the system's data.
        let env = ProcessInfo.processInfo.environment
        let dataDirectory = env["PROJ_DATA"] ?? env["PROJ_LIB"] ?? "/usr/share/proj"
        if FileManager.default.fileExists(atPath: dataDirectory + "/proj.db") {
            dataDirectory.withCString { path in
                var paths: [UnsafePointer<CChar>?] = [path]
                paths.withUnsafeMutableBufferPointer { buffer in
                    proj_context_set_search_paths(context, 1, buffer.baseAddress)
                }
            }
        }
    }

    private static func contextMessage(_ context: OpaquePointer) -> String {
        let code = proj_context_errno(context)
        guard code != 0, let text = proj_context_errno_string(context, code) else { return "unknown error" }
        return String(cString: text)
    }
}

/// The site's projected frame: converts between geographic lon/lat (EPSG:4326) and the site
/// CRS in metres, where all geometry is done.
public final class SiteFrame {
    private let transformer: Transformer
    /// The site's projected CRS, for example `EPSG:4547`.
    public var crs: String { transformer.target }

    /// - Throws: ``GeoError`` when PROJ does not know `crs`.
    public init(crs: String) throws(GeoError) {
        transformer = try Transformer(from: "EPSG:4326", to: crs)
    }

    /// Geographic positions to site metres.
    public func project(_ points: [LonLat]) throws(GeoError) -> [XY] {
        try transformer.transform(points.map { XY($0.lon, $0.lat) })
    }

    /// One geographic position to site metres.
    public func project(_ point: LonLat) throws(GeoError) -> XY {
        try project([point])[0]
    }

    /// Site metres back to geographic positions.
    public func unproject(_ points: [XY]) throws(GeoError) -> [LonLat] {
        try transformer.transform(points, inverse: true).map { LonLat(lon: $0.x, lat: $0.y) }
    }

    /// One position in site metres back to lon/lat.
    public func unproject(_ point: XY) throws(GeoError) -> LonLat {
        try unproject([point])[0]
    }

    /// A geographic polygon in site metres.
    public func project(_ polygon: GeoPolygon) throws(GeoError) -> Polygon {
        Polygon(exterior: try project(polygon.exterior), holes: try polygon.holes.map { (ring) throws(GeoError) in try project(ring) })
    }

    /// A polygon in site metres back to lon/lat.
    public func unproject(_ polygon: Polygon) throws(GeoError) -> GeoPolygon {
        GeoPolygon(exterior: try unproject(polygon.exterior), holes: try polygon.holes.map { (ring) throws(GeoError) in try unproject(ring) })
    }
}
