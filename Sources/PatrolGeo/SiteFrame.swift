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
        Polygon(
            exterior: try project(polygon.exterior),
            holes: try polygon.holes.map { (ring) throws(GeoError) in try project(ring) })
    }

    /// A polygon in site metres back to lon/lat.
    public func unproject(_ polygon: Polygon) throws(GeoError) -> GeoPolygon {
        GeoPolygon(
            exterior: try unproject(polygon.exterior),
            holes: try polygon.holes.map { (ring) throws(GeoError) in try unproject(ring) })
    }
}
