import PatrolGeo

/// Square cells over an area, site metres: the cells whose centres the area covers.
///
/// Cells are addressed by column and row from the lower-left corner of the area's bounds, so a
/// convex polygon can be rasterised by visiting only the cells under its bounding box.
struct CellGrid {
    /// The side of a cell, metres.
    let size: Double
    /// The lower-left corner of cell (0, 0).
    let origin: XY
    let columns: Int
    let rows: Int
    /// For each (row · columns + column), the index into ``centres``, or -1 outside the area.
    let lookup: [Int]
    /// The centres of the cells inside the area, row by row from the south.
    let centres: [XY]

    /// - Throws: ``GeoError`` when GEOS fails on the area.
    init(_ area: MultiPolygon, size: Double) throws(GeoError) {
        self.size = size
        let bounds = area.bounds
        origin = bounds.min
        columns = area.isEmpty ? 0 : max(1, Int((bounds.width / size).rounded(.up)))
        rows = area.isEmpty ? 0 : max(1, Int((bounds.height / size).rounded(.up)))
        var lookup = [Int](repeating: -1, count: columns * rows)
        var centres: [XY] = []
        if !area.isEmpty {
            let prepared = try PreparedArea(area)
            for row in 0..<rows {
                for column in 0..<columns {
                    let centre = XY(origin.x + (Double(column) + 0.5) * size, origin.y + (Double(row) + 0.5) * size)
                    if try prepared.covers(.point(centre)) {
                        lookup[row * columns + column] = centres.count
                        centres.append(centre)
                    }
                }
            }
        }
        self.lookup = lookup
        self.centres = centres
    }

    /// The area of one cell, square metres.
    var cellArea: Double { size * size }

    /// Calls `body` with the index of every cell whose centre lies inside the convex polygon
    /// `corners` (either winding, first corner not repeated).
    func forEachCell(inConvex corners: [XY], _ body: (Int) -> Void) {
        guard corners.count >= 3, columns > 0 else { return }
        let box = Bounds(corners)
        let c0 = max(0, Int(((box.min.x - origin.x) / size - 0.5).rounded(.up)))
        let c1 = min(columns - 1, Int(((box.max.x - origin.x) / size - 0.5).rounded(.down)))
        let r0 = max(0, Int(((box.min.y - origin.y) / size - 0.5).rounded(.up)))
        let r1 = min(rows - 1, Int(((box.max.y - origin.y) / size - 0.5).rounded(.down)))
        guard c0 <= c1, r0 <= r1 else { return }
        let sign: Double = Self.twiceSignedArea(corners) >= 0 ? 1 : -1
        for row in r0...r1 {
            for column in c0...c1 {
                let index = lookup[row * columns + column]
                guard index >= 0 else { continue }
                if Self.convex(corners, sign: sign, contains: centres[index]) { body(index) }
            }
        }
    }

    static func twiceSignedArea(_ corners: [XY]) -> Double {
        zip(corners, corners.dropFirst() + corners.prefix(1)).reduce(0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }
    }

    static func convex(_ corners: [XY], sign: Double, contains p: XY) -> Bool {
        var previous = corners[corners.count - 1]
        for corner in corners {
            let cross = (corner.x - previous.x) * (p.y - previous.y) - (corner.y - previous.y) * (p.x - previous.x)
            if cross * sign < 0 { return false }
            previous = corner
        }
        return true
    }
}
