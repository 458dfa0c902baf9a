internal import CGEOS
import Foundation

/// Planar geometry in any shape GEOS may return.
public enum Geometry: Hashable, Sendable {
    case point(XY)
    case lineString(LineString)
    case polygon(Polygon)
    case collection([Geometry])

    /// Every polygon in this geometry, flattened.
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): [p]
        case .collection(let parts): parts.flatMap(\.polygons)
        case .point, .lineString: []
        }
    }

    /// Every line in this geometry, flattened.
    public var lineStrings: [LineString] {
        switch self {
        case .lineString(let l): [l]
        case .collection(let parts): parts.flatMap(\.lineStrings)
        case .point, .polygon: []
        }
    }
}

/// The bridge to GEOS: one reentrant context per thread, values in and values out.
///
/// GEOS handles are not thread-safe, so each thread gets its own context, created on first use
/// and freed when the thread exits. Every function here is synchronous and runs to completion on
/// the calling thread, so no GEOS object ever crosses threads; no pointer leaves this file.
enum GEOS {
    /// The context of the calling thread, with the last error message GEOS reported on it.
    final class Context {
        let handle: GEOSContextHandle_t
        var lastError: String?

        init() {
            handle = GEOS_init_r()
            let box = Unmanaged.passUnretained(self).toOpaque()
            GEOSContext_setErrorMessageHandler_r(
                handle,
                { message, userData in
                    guard let userData else { return }
                    let context = Unmanaged<Context>.fromOpaque(userData).takeUnretainedValue()
                    context.lastError = message.map { String(cString: $0) } ?? "unknown GEOS error"
                }, box)
        }

        deinit { GEOS_finish_r(handle) }

        /// Takes (and clears) the last error, for an exception message.
        func takeError() -> String {
            defer { lastError = nil }
            return lastError ?? "GEOS returned no result"
        }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            #if canImport(Glibc)
                guard let pointer else { return }
            #endif
            Unmanaged<Context>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// The calling thread's context.
    static var context: Context {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Context>.fromOpaque(pointer).takeUnretainedValue()
        }
        let context = Context()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// A GEOS geometry owned by Swift: destroyed with the context it was made in.
    final class Handle {
        let context: Context
        let pointer: OpaquePointer

        init(_ context: Context, _ pointer: OpaquePointer) {
            self.context = context
            self.pointer = pointer
        }

        deinit { GEOSGeom_destroy_r(context.handle, pointer) }
    }

    // MARK: Swift values to GEOS

    static func sequence(_ c: Context, _ points: [XY]) throws(GeoError) -> OpaquePointer {
        var flat = [Double]()
        flat.reserveCapacity(points.count * 2)
        for p in points {
            flat.append(p.x)
            flat.append(p.y)
        }
        let seq = flat.withUnsafeBufferPointer {
            GEOSCoordSeq_copyFromBuffer_r(c.handle, $0.baseAddress, UInt32(points.count), 0, 0)
        }
        guard let seq else { throw GeoError(.geometryOperationFailed, c.takeError()) }
        return seq
    }

    static func ring(_ c: Context, _ points: [XY]) throws(GeoError) -> OpaquePointer {
        let seq = try sequence(c, points)
        guard let ring = GEOSGeom_createLinearRing_r(c.handle, seq) else {
            throw GeoError(.invalidGeometry, c.takeError())
        }
        return ring
    }

    static func make(_ c: Context, _ geometry: Geometry) throws(GeoError) -> Handle {
        let raw: OpaquePointer?
        switch geometry {
        case .point(let p):
            raw = GEOSGeom_createPointFromXY_r(c.handle, p.x, p.y)
        case .lineString(let line):
            raw = GEOSGeom_createLineString_r(c.handle, try sequence(c, line.points))
        case .polygon(let polygon):
            let shell = try ring(c, polygon.exterior)
            var holes = [OpaquePointer?]()
            for hole in polygon.holes {
                do { holes.append(try ring(c, hole)) } catch {
                    GEOSGeom_destroy_r(c.handle, shell)
                    for h in holes { GEOSGeom_destroy_r(c.handle, h) }
                    throw error
                }
            }
            raw = holes.withUnsafeMutableBufferPointer {
                GEOSGeom_createPolygon_r(c.handle, shell, $0.baseAddress, UInt32(polygon.holes.count))
            }
        case .collection(let parts):
            let handles = try parts.map { (part) throws(GeoError) in try make(c, part) }
            // The collection takes ownership of its parts: clone them out of their handles.
            var clones: [OpaquePointer?] = handles.map { GEOSGeom_clone_r(c.handle, $0.pointer) }
            let allPolygons = parts.allSatisfy { if case .polygon = $0 { true } else { false } }
            let allLines = parts.allSatisfy { if case .lineString = $0 { true } else { false } }
            let type: Int32 =
                parts.isEmpty
                ? Int32(GEOS_GEOMETRYCOLLECTION.rawValue)
                : allPolygons
                    ? Int32(GEOS_MULTIPOLYGON.rawValue)
                    : allLines ? Int32(GEOS_MULTILINESTRING.rawValue) : Int32(GEOS_GEOMETRYCOLLECTION.rawValue)
            raw = clones.withUnsafeMutableBufferPointer {
                GEOSGeom_createCollection_r(c.handle, type, $0.baseAddress, UInt32(parts.count))
            }
        }
        guard let raw else { throw GeoError(.invalidGeometry, c.takeError()) }
        return Handle(c, raw)
    }

    // MARK: GEOS to Swift values

    static func points(_ c: Context, _ geometry: OpaquePointer) -> [XY] {
        guard let seq = GEOSGeom_getCoordSeq_r(c.handle, geometry) else { return [] }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(c.handle, seq, &size)
        var flat = [Double](repeating: 0, count: Int(size) * 2)
        flat.withUnsafeMutableBufferPointer { _ = GEOSCoordSeq_copyToBuffer_r(c.handle, seq, $0.baseAddress, 0, 0) }
        return (0..<Int(size)).map { XY(flat[2 * $0], flat[2 * $0 + 1]) }
    }

    static func value(_ c: Context, _ g: OpaquePointer) -> Geometry {
        let type = GEOSGeomTypeId_r(c.handle, g)
        switch type {
        case Int32(GEOS_POINT.rawValue):
            if GEOSisEmpty_r(c.handle, g) == 1 { return .collection([]) }
            return .point(points(c, g).first ?? XY(0, 0))
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(LineString(points(c, g)))
        case Int32(GEOS_POLYGON.rawValue):
            if GEOSisEmpty_r(c.handle, g) == 1 { return .collection([]) }
            let shell = points(c, GEOSGetExteriorRing_r(c.handle, g))
            let holeCount = GEOSGetNumInteriorRings_r(c.handle, g)
            let holes = (0..<max(0, holeCount)).map { points(c, GEOSGetInteriorRingN_r(c.handle, g, $0)) }
            return .polygon(Polygon(exterior: shell, holes: holes))
        default:
            let count = GEOSGetNumGeometries_r(c.handle, g)
            return .collection((0..<max(0, count)).map { value(c, GEOSGetGeometryN_r(c.handle, g, $0)) })
        }
    }

    /// Runs a GEOS operation that returns a new geometry and converts its result.
    static func produce(
        _ operation: String, _ inputs: [Geometry], _ body: (Context, [Handle]) -> OpaquePointer?
    ) throws(GeoError) -> Geometry {
        let c = context
        let handles = try inputs.map { (g) throws(GeoError) in try make(c, g) }
        guard let result = body(c, handles) else {
            throw GeoError(.geometryOperationFailed, "\(operation): \(c.takeError())")
        }
        let owned = Handle(c, result)
        return value(c, owned.pointer)
    }

    /// Runs a GEOS predicate (`1` true, `0` false, `2` exception).
    static func predicate(
        _ operation: String, _ inputs: [Geometry], _ body: (Context, [Handle]) -> CChar
    ) throws(GeoError) -> Bool {
        let c = context
        let handles = try inputs.map { (g) throws(GeoError) in try make(c, g) }
        switch body(c, handles) {
        case 1: return true
        case 0: return false
        default: throw GeoError(.geometryOperationFailed, "\(operation): \(c.takeError())")
        }
    }

    /// GEOS's reason a geometry is invalid, or `nil` when it is valid.
    static func validityReason(of geometry: Geometry) -> String? {
        let c = context
        let handle: Handle
        do { handle = try make(c, geometry) } catch { return error.message }
        guard let reason = GEOSisValidReason_r(c.handle, handle.pointer) else { return c.takeError() }
        defer { GEOSFree_r(c.handle, reason) }
        let text = String(cString: reason)
        return text == "Valid Geometry" ? nil : text
    }
}
