internal import CProj
import Foundation

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
    /// Receives PROJ's log messages for ``context``; must outlive it.
    private let log: ProjLog
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
        (context, log, operation) = try Self.make(nil, source: source, target: target)
        self.source = source
        self.target = target
    }

    /// Creates an operation from a PROJ pipeline string (`+proj=pipeline +step …`), used as written.
    ///
    /// The pipeline decides the axis order and units itself; ``source`` and ``target`` only name
    /// the two ends in errors.
    ///
    /// - Parameters:
    ///   - pipeline: a PROJ string describing a coordinate operation.
    ///   - source: a name for the input coordinates, for messages.
    ///   - target: a name for the output coordinates, for messages.
    /// - Throws: ``GeoError`` with code ``GeoError/Code/unknownCRS`` and PROJ's message when PROJ
    ///   rejects the pipeline (an unknown step, a grid file it cannot open, …).
    public init(pipeline: String, source: String, target: String) throws(GeoError) {
        (context, log, operation) = try Self.make(pipeline, source: source, target: target)
        self.source = source
        self.target = target
    }

    deinit {
        proj_destroy(operation)
        proj_context_destroy(context)
    }

    /// Transforms coordinates held in three parallel arrays, in place: the fast path for big batches.
    ///
    /// Geographic coordinates are in degrees, longitude in `x`; projected ones in metres. The
    /// arrays must have the same length. Heights pass through `z` unchanged unless the operation
    /// changes them. Every point is transformed even when one fails: after an error the arrays hold
    /// PROJ's results, with non-finite values for the points that failed.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` naming the first point
    ///   without a finite result (outside the CRS's area, NaN input, …), with PROJ's reason.
    public func transform(
        x: inout [Double], y: inout [Double], z: inout [Double], inverse: Bool = false
    ) throws(GeoError) {
        if let failure = run(&x, &y, &z, inverse: inverse) {
            throw GeoError(.transformFailed, "point \(failure.index) \(failure.reason)", location: direction(inverse))
        }
    }

    /// Transforms points from ``source`` to ``target`` (or back when `inverse` is true).
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` naming the first point
    ///   that has no finite result, with its input coordinates.
    public func transform(_ points: [XYZ], inverse: Bool = false) throws(GeoError) -> [XYZ] {
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        var zs = points.map(\.z)
        if let failure = run(&xs, &ys, &zs, inverse: inverse) {
            let p = points[min(failure.index, points.count - 1)]
            throw GeoError(
                .transformFailed, "point \(failure.index) (\(p.x), \(p.y), \(p.z)) \(failure.reason)",
                location: direction(inverse))
        }
        return (0..<points.count).map { XYZ(xs[$0], ys[$0], zs[$0]) }
    }

    /// Transforms planar or geographic 2-D points (heights taken as 0).
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` as the 3-D form does.
    public func transform(_ points: [XY], inverse: Bool = false) throws(GeoError) -> [XY] {
        try transform(points.map { XYZ($0.x, $0.y, 0) }, inverse: inverse).map(\.xy)
    }

    /// Transforms a single point.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` when it has no finite result.
    public func transform(_ point: XYZ, inverse: Bool = false) throws(GeoError) -> XYZ {
        try transform([point], inverse: inverse)[0]
    }

    /// Whether the results are angles in degrees (a geographic target), rather than metres.
    public func outputsDegrees(inverse: Bool = false) -> Bool {
        if proj_degree_output(operation, inverse ? PJ_INV : PJ_FWD) != 0 { return true }
        // A no-op between equal CRSs reports no units: ask the target CRS (or its horizontal part).
        guard var crs = inverse ? proj_get_source_crs(context, operation) : proj_get_target_crs(context, operation)
        else { return false }
        if proj_get_type(crs) == PJ_TYPE_COMPOUND_CRS, let horizontal = proj_crs_get_sub_crs(context, crs, 0) {
            proj_destroy(crs)
            crs = horizontal
        }
        defer { proj_destroy(crs) }
        let type = proj_get_type(crs)
        return type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS
    }

    /// The directory PROJ reads `proj.db` and grids from: `PROJ_DATA` (or the older `PROJ_LIB`)
    /// when set, otherwise `/usr/share/proj`.
    public static var dataDirectory: String {
        let env = ProcessInfo.processInfo.environment
        return env["PROJ_DATA"] ?? env["PROJ_LIB"] ?? "/usr/share/proj"
    }

    private func direction(_ inverse: Bool) -> String {
        inverse ? "\(target) -> \(source)" : "\(source) -> \(target)"
    }

    /// Runs PROJ over the arrays; returns the first point without a finite result and why.
    private func run(
        _ x: inout [Double], _ y: inout [Double], _ z: inout [Double], inverse: Bool
    ) -> (index: Int, reason: String)? {
        precondition(x.count == y.count && y.count == z.count, "coordinate arrays of different lengths")
        let count = x.count
        if count == 0 { return nil }
        let stride = MemoryLayout<Double>.stride
        let done = x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                z.withUnsafeMutableBufferPointer { zs in
                    proj_trans_generic(
                        operation, inverse ? PJ_INV : PJ_FWD,
                        xs.baseAddress, stride, count,
                        ys.baseAddress, stride, count,
                        zs.baseAddress, stride, count,
                        nil, 0, 0)
                }
            }
        }
        let errno = proj_errno(operation)
        defer { proj_errno_reset(operation) }
        for i in 0..<count where !(x[i].isFinite && y[i].isFinite && z[i].isFinite) {
            let reason = errno != 0 ? String(cString: proj_context_errno_string(context, errno)) : "no finite result"
            return (i, "cannot be transformed: \(reason)")
        }
        return done == count ? nil : (done, "was not transformed: PROJ transformed \(done) of \(count) points")
    }

    /// A new context and the operation on it: `pipeline` as written, or else the operation from
    /// `source` to `target` with its axis order normalised.
    private static func make(
        _ pipeline: String?, source: String, target: String
    ) throws(GeoError) -> (OpaquePointer, ProjLog, OpaquePointer) {
        let location = "\(source) -> \(target)"
        let (context, log) = try makeContext(location: location)
        if let pipeline {
            guard let operation = proj_create(context, pipeline) else {
                throw fail(context, log, .unknownCRS, "PROJ rejects the pipeline `\(pipeline)`", location: location)
            }
            return (context, log, operation)
        }
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            throw fail(context, log, .unknownCRS, "no transformation", location: location)
        }
        let normalised = proj_normalize_for_visualization(context, raw)
        proj_destroy(raw)
        guard let normalised else {
            throw fail(context, log, .unknownCRS, "cannot normalise axis order", location: location)
        }
        return (context, log, normalised)
    }

    private static func makeContext(location: String) throws(GeoError) -> (OpaquePointer, ProjLog) {
        guard let context = proj_context_create() else {
            throw GeoError(.unknownCRS, "PROJ could not create a context", location: location)
        }
        let log = ProjLog()
        proj_log_func(context, Unmanaged.passUnretained(log).toOpaque()) { data, level, message in
            guard let data, let message, level <= Int32(PJ_LOG_ERROR.rawValue) else { return }
            Unmanaged<ProjLog>.fromOpaque(data).takeUnretainedValue().last = String(cString: message)
        }
        proj_log_level(context, PJ_LOG_ERROR)
        _ = proj_context_set_enable_network(context, 0)
        let directory = dataDirectory
        if FileManager.default.fileExists(atPath: directory + "/proj.db") {
            directory.withCString { path in
                var paths: [UnsafePointer<CChar>?] = [path]
                paths.withUnsafeMutableBufferPointer { buffer in
                    proj_context_set_search_paths(context, 1, buffer.baseAddress)
                }
            }
        }
        return (context, log)
    }

    /// Reads the context's error, destroys the context, and returns the error to throw.
    private static func fail(
        _ context: OpaquePointer, _ log: ProjLog, _ code: GeoError.Code, _ what: String, location: String
    ) -> GeoError {
        let errno = proj_context_errno(context)
        let text = errno != 0 ? proj_context_errno_string(context, errno).map { String(cString: $0) } : nil
        let reasons = [log.last, text].compactMap { $0 }
        proj_context_destroy(context)
        let reason = reasons.isEmpty ? "unknown error" : reasons.joined(separator: "; ")
        return GeoError(code, "\(what): \(reason)", location: location)
    }
}

/// The last error PROJ logged on one context (PROJ often says more there than in its error code).
///
/// Only the thread using the owning context writes it, from inside a PROJ call.
private final class ProjLog {
    var last: String?
}
