/// A local east-north-up frame around a site origin, in metres, computed by PROJ.
///
/// Geographic positions (longitude, latitude in degrees, height in metres as ``heights`` says)
/// go through geocentric coordinates to a topocentric frame (`+proj=cart` then
/// `+proj=topocentric` on the WGS 84 ellipsoid): `x` east, `y` north, `z` up along the ellipsoid
/// normal at the origin, zero at the origin. Orthometric heights go through the EGM96 geoid grid
/// first (`+proj=vgridshift`), and the frame refuses to be created when the grid is missing.
///
/// Like ``Transformer`` it owns a PROJ context and is not `Sendable`: create it once per owner.
public final class LocalFrame {
    private let transformer: Transformer
    /// The origin of the frame.
    public let origin: LonLat
    /// The origin's height, in ``heights``.
    public let originHeight: Double
    /// What the geographic heights given to and returned by this frame are measured from.
    public let heights: HeightReference
    /// The PROJ pipeline from geographic coordinates to this frame.
    public let pipeline: String

    /// Creates the frame around `origin`.
    ///
    /// - Parameters:
    ///   - origin: the point where east, north and up are zero.
    ///   - height: the origin's height, in metres above `heights`' reference surface.
    ///   - heights: whether geographic heights (this one and those transformed) are ellipsoidal or
    ///     orthometric (EGM96).
    /// - Throws: ``GeoError`` with code ``GeoError/Code/missingGrid`` when `heights` is orthometric
    ///   and no EGM96 grid is installed, or ``GeoError/Code/unknownCRS`` with PROJ's message when
    ///   PROJ rejects the pipeline or the origin is not a valid position.
    public init(origin: LonLat, height: Double = 0, heights: HeightReference) throws(GeoError) {
        let name = "ENU(\(origin.lon), \(origin.lat), \(height) m \(heights))"
        guard origin.isValid, height.isFinite else {
            throw GeoError(.unknownCRS, "the origin is not a valid position", location: name)
        }
        var steps = ["+proj=pipeline", "+step +proj=unitconvert +xy_in=deg +xy_out=rad"]
        var ellipsoidalHeight = height
        if heights == .orthometric {
            let shift = "+step +proj=vgridshift +grids=\(try HeightReference.requireGeoidGrid()) +multiplier=1"
            steps.append(shift)
            let toEllipsoid = try Transformer(
                pipeline: (steps + ["+step +proj=unitconvert +xy_in=rad +xy_out=deg"]).joined(separator: " "),
                source: "orthometric", target: "ellipsoidal")
            ellipsoidalHeight = try toEllipsoid.transform(XYZ(origin.lon, origin.lat, height)).z
        }
        steps.append("+step +proj=cart +ellps=WGS84")
        steps.append(
            "+step +proj=topocentric +ellps=WGS84 +lon_0=\(origin.lon) +lat_0=\(origin.lat) +h_0=\(ellipsoidalHeight)")
        pipeline = steps.joined(separator: " ")
        transformer = try Transformer(pipeline: pipeline, source: "lon/lat/\(heights) height", target: name)
        self.origin = origin
        self.originHeight = height
        self.heights = heights
    }

    /// Geographic positions (lon, lat in degrees, height in metres) to east, north, up metres.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` naming the first point
    ///   PROJ cannot transform (NaN, a latitude beyond ±90°, outside the geoid grid, …).
    public func local(_ points: [XYZ]) throws(GeoError) -> [XYZ] {
        try transformer.transform(points)
    }

    /// One geographic position to east, north, up metres.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` when PROJ cannot transform it.
    public func local(_ point: XYZ) throws(GeoError) -> XYZ {
        try local([point])[0]
    }

    /// East, north, up metres back to geographic positions (lon, lat in degrees, height in metres).
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` naming the first point
    ///   PROJ cannot transform.
    public func geographic(_ points: [XYZ]) throws(GeoError) -> [XYZ] {
        try transformer.transform(points, inverse: true)
    }

    /// One east, north, up position back to a geographic position.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` when PROJ cannot transform it.
    public func geographic(_ point: XYZ) throws(GeoError) -> XYZ {
        try geographic([point])[0]
    }

    /// Transforms parallel arrays in place (geographic to local, or back when `inverse` is true).
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/transformFailed`` naming the first failing point.
    public func transform(
        x: inout [Double], y: inout [Double], z: inout [Double], inverse: Bool = false
    ) throws(GeoError) {
        try transformer.transform(x: &x, y: &y, z: &z, inverse: inverse)
    }
}
