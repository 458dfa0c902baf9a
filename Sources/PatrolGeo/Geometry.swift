import Foundation

/// A polygon in site metres: an exterior ring and zero or more holes.
///
/// Rings are closed (the first position equals the last), as in GeoJSON and GEOS. Use
/// ``validationIssue`` before trusting a polygon that came from outside.
public struct Polygon: Hashable, Codable, Sendable {
    public var exterior: [XY]
    public var holes: [[XY]]

    public init(exterior: [XY], holes: [[XY]] = []) {
        self.exterior = exterior
        self.holes = holes
    }

    /// A closed polygon from the corners of a ring given without repeating the first corner.
    public init(corners: [XY]) {
        self.init(exterior: corners.isEmpty ? [] : corners + [corners[0]])
    }

    /// The area in square metres: the exterior's minus the holes'.
    public var area: Double {
        abs(Ring.signedArea(exterior)) - holes.reduce(0) { $0 + abs(Ring.signedArea($1)) }
    }

    /// The axis-aligned bounding box.
    public var bounds: Bounds { Bounds(exterior) }

    /// The centroid of the exterior ring (holes ignored).
    public var centroid: XY { Ring.centroid(exterior) }

    /// The polygon with the exterior counter-clockwise and holes clockwise (RFC 7946, §3.1.6).
    public var normalisedWinding: Polygon {
        Polygon(
            exterior: Ring.signedArea(exterior) < 0 ? exterior.reversed() : exterior,
            holes: holes.map { Ring.signedArea($0) > 0 ? $0.reversed() : $0 })
    }

    /// The first reason this polygon is not usable, or `nil` when it is valid: too few
    /// positions, a ring that does not close, zero area, or (checked by GEOS) a
    /// self-intersection or a hole outside its shell.
    public var validationIssue: String? {
        if let issue = Ring.issue(exterior, name: "exterior ring") { return issue }
        for (index, hole) in holes.enumerated() {
            if let issue = Ring.issue(hole, name: "hole \(index + 1)") { return issue }
        }
        return GEOS.validityReason(of: .polygon(self))
    }
}

/// A set of polygons in site metres treated as one area (the result of clipping and unions).
public struct MultiPolygon: Hashable, Codable, Sendable {
    public var polygons: [Polygon]

    public init(_ polygons: [Polygon]) { self.polygons = polygons }
    public init(_ polygon: Polygon) { self.polygons = [polygon] }

    /// The total area in square metres.
    public var area: Double { polygons.reduce(0) { $0 + $1.area } }
    public var isEmpty: Bool { polygons.isEmpty }
    /// The bounding box of all parts.
    public var bounds: Bounds { Bounds(polygons.flatMap(\.exterior)) }
}

/// A polyline in site metres.
public struct LineString: Hashable, Codable, Sendable {
    public var points: [XY]

    public init(_ points: [XY]) { self.points = points }

    /// The length in metres.
    public var length: Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }
}

/// An axis-aligned box.
public struct Bounds: Hashable, Codable, Sendable {
    public var min: XY
    public var max: XY

    public init(min: XY, max: XY) {
        self.min = min
        self.max = max
    }

    /// The smallest box holding `points` (a degenerate box at the origin when empty).
    public init(_ points: some Sequence<XY>) {
        var lo = XY(.infinity, .infinity)
        var hi = XY(-.infinity, -.infinity)
        for p in points {
            lo = XY(Swift.min(lo.x, p.x), Swift.min(lo.y, p.y))
            hi = XY(Swift.max(hi.x, p.x), Swift.max(hi.y, p.y))
        }
        if lo.x > hi.x { lo = XY(0, 0); hi = lo }
        self.init(min: lo, max: hi)
    }

    public var width: Double { max.x - min.x }
    public var height: Double { max.y - min.y }

    /// This box grown by `margin` metres on every side.
    public func expanded(by margin: Double) -> Bounds {
        Bounds(min: XY(min.x - margin, min.y - margin), max: XY(max.x + margin, max.y + margin))
    }

    /// The smallest box holding both.
    public func union(_ other: Bounds) -> Bounds { Bounds([min, max, other.min, other.max]) }
}

/// A polygon in geographic coordinates, as read from or written to GeoJSON.
public struct GeoPolygon: Hashable, Codable, Sendable {
    public var exterior: [LonLat]
    public var holes: [[LonLat]]

    public init(exterior: [LonLat], holes: [[LonLat]] = []) {
        self.exterior = exterior
        self.holes = holes
    }
}

/// Ring arithmetic shared by the geometry types.
enum Ring {
    /// Shoelace area: positive for counter-clockwise rings.
    static func signedArea(_ ring: [XY]) -> Double {
        guard ring.count > 2 else { return 0 }
        var sum = 0.0
        for (a, b) in zip(ring, ring.dropFirst()) { sum += a.x * b.y - b.x * a.y }
        if let first = ring.first, let last = ring.last, first != last { sum += last.x * first.y - first.x * last.y }
        return sum / 2
    }

    static func centroid(_ ring: [XY]) -> XY {
        let a = signedArea(ring)
        guard abs(a) > 1e-12 else {
            let n = Double(Swift.max(ring.count, 1))
            return XY(ring.reduce(0) { $0 + $1.x } / n, ring.reduce(0) { $0 + $1.y } / n)
        }
        var cx = 0.0
        var cy = 0.0
        for (p, q) in zip(ring, ring.dropFirst()) {
            let cross = p.x * q.y - q.x * p.y
            cx += (p.x + q.x) * cross
            cy += (p.y + q.y) * cross
        }
        return XY(cx / (6 * a), cy / (6 * a))
    }

    static func issue(_ ring: [XY], name: String) -> String? {
        if ring.count < 4 {
            return "\(name) has \(ring.count) positions; a ring needs at least 4 (3 corners and the closing one)"
        }
        if ring.first != ring.last {
            return "\(name) does not close: the first position \(ring[0]) differs from the last \(ring[ring.count - 1])"
        }
        if let bad = ring.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            return "\(name) position \(bad) is not a finite number"
        }
        if abs(signedArea(ring)) < 1e-9 { return "\(name) has zero area" }
        return nil
    }
}
