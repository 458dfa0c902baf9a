internal import CGEOS

extension LineString {
    /// The line moved sideways by `distance` metres: to the left of its direction when positive,
    /// to the right when negative (GEOS offset curve, round joins). A curve that folds on
    /// itself may come back in several pieces; each keeps the line's direction.
    ///
    /// - Throws: ``GeoError`` when GEOS fails.
    public func offset(by distance: Double, quadrantSegments: Int32 = 8) throws(GeoError) -> [LineString] {
        guard distance != 0 else { return [self] }
        let pieces = try GEOS.produce("offset curve", [.lineString(self)]) { c, h in
            GEOSOffsetCurve_r(c.handle, h[0].pointer, distance, quadrantSegments, Int32(GEOSBUF_JOIN_ROUND.rawValue), 5)
        }.lineStrings
        // GEOS before 3.11 reversed right-hand offsets; keep the input's direction whatever the version.
        guard let first = points.first, let last = points.last else { return pieces }
        return pieces.map { piece in
            guard let a = piece.points.first, let b = piece.points.last else { return piece }
            let forward = a.distance(to: first) + b.distance(to: last)
            let backward = a.distance(to: last) + b.distance(to: first)
            return backward < forward ? LineString(piece.points.reversed()) : piece
        }
    }
}
