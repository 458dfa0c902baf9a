import Foundation

/// A planar position in metres in a projected or local frame: `x` east, `y` north.
public struct XY: Hashable, Codable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    public static func + (a: XY, b: XY) -> XY { XY(a.x + b.x, a.y + b.y) }
    public static func - (a: XY, b: XY) -> XY { XY(a.x - b.x, a.y - b.y) }
    public static func * (a: XY, s: Double) -> XY { XY(a.x * s, a.y * s) }

    /// The Euclidean length of the vector.
    public var length: Double { (x * x + y * y).squareRoot() }
    /// The distance to another point, in metres.
    public func distance(to other: XY) -> Double { (self - other).length }
    /// The dot product.
    public func dot(_ o: XY) -> Double { x * o.x + y * o.y }
    /// This vector rotated counter-clockwise by `radians`.
    public func rotated(by radians: Double) -> XY {
        let c = cos(radians)
        let s = sin(radians)
        return XY(x * c - y * s, x * s + y * c)
    }

    public var description: String { "(\(x), \(y))" }
}

/// A position in three dimensions: `x`, `y` as in ``XY`` (or lon/lat in degrees), `z` in metres.
public struct XYZ: Hashable, Codable, Sendable {
    public var x: Double
    public var y: Double
    public var z: Double

    public init(_ x: Double, _ y: Double, _ z: Double = 0) {
        self.x = x
        self.y = y
        self.z = z
    }

    public var xy: XY { XY(x, y) }
}

/// A geographic position on WGS 84 / CGCS2000 in degrees, longitude first as in RFC 7946.
public struct LonLat: Hashable, Codable, Sendable, CustomStringConvertible {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// Whether both values are finite and within the ranges of longitude and latitude.
    public var isValid: Bool {
        lon.isFinite && lat.isFinite && (-180...180).contains(lon) && (-90...90).contains(lat)
    }

    /// The great-circle distance to `other` in metres, on a sphere of the Earth's mean radius
    /// (haversine; within 0.5 % of the ellipsoidal distance).
    public func greatCircleDistance(to other: LonLat) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.lat - lat) * radians
        let dLon = (other.lon - lon) * radians
        let h = pow(sin(dLat / 2), 2) + cos(lat * radians) * cos(other.lat * radians) * pow(sin(dLon / 2), 2)
        return 2 * 6_371_008.8 * asin(min(1, h.squareRoot()))
    }

    public var description: String { "(\(lon), \(lat))" }
}
