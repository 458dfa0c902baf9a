import Foundation

/// A terrain model: ground heights on a regular grid in the site's projected CRS (metres), looked
/// up with bilinear interpolation.
///
/// Heights are orthometric (metres above mean sea level, EGM96), like a site's ground elevation.
/// The grid is read from an ESRI ASCII grid (`.asc`, the format QGIS and GDAL open as
/// `AAIGrid`), whose cell corners or centres are in the site's CRS. A point outside the grid takes
/// the height of the nearest grid edge.
public struct Terrain: Hashable, Sendable, Codable {
    /// The centre of the south-west cell, in site metres.
    public var origin: XY
    /// Distance between neighbouring cell centres, metres.
    public var cellSize: Double
    public var columns: Int
    public var rows: Int
    /// Ground heights, row by row from south to north, west to east within a row; metres.
    public var heights: [Double]
    /// What the heights are measured from (always ``HeightReference/orthometric`` when read from a file).
    public var reference: HeightReference

    /// A grid of `columns` × `rows` heights (south row first) with the south-west cell centre at `origin`.
    public init(
        origin: XY, cellSize: Double, columns: Int, rows: Int, heights: [Double],
        reference: HeightReference = .orthometric
    ) {
        precondition(columns >= 2 && rows >= 2 && heights.count == columns * rows && cellSize > 0)
        self.origin = origin
        self.cellSize = cellSize
        self.columns = columns
        self.rows = rows
        self.heights = heights
        self.reference = reference
    }

    /// The centre of the north-east cell, in site metres.
    public var far: XY { XY(origin.x + cellSize * Double(columns - 1), origin.y + cellSize * Double(rows - 1)) }

    /// The ground height at `point` (site metres), bilinear between the four surrounding cell centres.
    public func height(at point: XY) -> Double {
        let gx = min(max((point.x - origin.x) / cellSize, 0), Double(columns - 1))
        let gy = min(max((point.y - origin.y) / cellSize, 0), Double(rows - 1))
        let i = min(Int(gx), columns - 2)
        let j = min(Int(gy), rows - 2)
        let fx = gx - Double(i)
        let fy = gy - Double(j)
        let h00 = heights[j * columns + i]
        let h10 = heights[j * columns + i + 1]
        let h01 = heights[(j + 1) * columns + i]
        let h11 = heights[(j + 1) * columns + i + 1]
        return (h00 * (1 - fx) + h10 * fx) * (1 - fy) + (h01 * (1 - fx) + h11 * fx) * fy
    }

    private enum CodingKeys: String, CodingKey {
        case originX = "origin_x", originY = "origin_y", cellSize = "cell_size", columns, rows, heights, reference
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let columns = try c.decode(Int.self, forKey: .columns)
        let rows = try c.decode(Int.self, forKey: .rows)
        let cellSize = try c.decode(Double.self, forKey: .cellSize)
        let heights = try c.decode([Double].self, forKey: .heights)
        let name = try c.decode(String.self, forKey: .reference)
        guard columns >= 2, rows >= 2, heights.count == columns * rows, cellSize > 0,
            let reference = HeightReference(rawValue: name)
        else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "inconsistent terrain grid"))
        }
        self.init(
            origin: XY(try c.decode(Double.self, forKey: .originX), try c.decode(Double.self, forKey: .originY)),
            cellSize: cellSize, columns: columns, rows: rows, heights: heights, reference: reference)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(origin.x, forKey: .originX)
        try c.encode(origin.y, forKey: .originY)
        try c.encode(cellSize, forKey: .cellSize)
        try c.encode(columns, forKey: .columns)
        try c.encode(rows, forKey: .rows)
        try c.encode(heights, forKey: .heights)
        try c.encode(reference.rawValue, forKey: .reference)
    }

    /// Whether `point` lies within the grid's cell centres.
    public func covers(_ point: XY) -> Bool {
        point.x >= origin.x && point.y >= origin.y && point.x <= far.x && point.y <= far.y
    }
}

extension Terrain {
    /// Reads an ESRI ASCII grid: a header (`ncols`, `nrows`, `xllcorner` or `xllcenter`, `yllcorner`
    /// or `yllcenter`, `cellsize`, optional `NODATA_value`), then `nrows` lines of `ncols` heights,
    /// the northernmost row first. Blank lines and lines starting with `#` are skipped.
    ///
    /// Strict: a missing or repeated header key, a row with the wrong number of values, a value that
    /// is not a finite number between −500 and 9000 m, a NODATA cell, or a grid over 4 million cells
    /// is refused.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/invalidGeometry`` and location `file:line`.
    public static func parse(asciiGrid text: String, file: String) throws(GeoError) -> Terrain {
        var header: [String: Double] = [:]
        var values: [[Double]] = []
        var lineNumber = 0
        func fail(_ message: String, line: Int? = nil) -> GeoError {
            GeoError(.invalidGeometry, message, location: "\(file):\(line ?? lineNumber)")
        }
        let keys = ["ncols", "nrows", "xllcorner", "xllcenter", "yllcorner", "yllcenter", "cellsize", "nodata_value"]
        var columns = 0
        var rows = 0
        var nodata: Double?
        var lastRowLine = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if values.isEmpty, let first = fields.first, first.first?.isLetter == true {
                let key = first.lowercased()
                guard keys.contains(key) else {
                    throw fail("unknown header key `\(first)`; expected one of \(keys.joined(separator: ", "))")
                }
                guard fields.count == 2, let value = Double(fields[1]), value.isFinite else {
                    throw fail("`\(first)` needs one finite number")
                }
                guard header.updateValue(value, forKey: key) == nil else { throw fail("`\(first)` is given twice") }
                continue
            }
            if values.isEmpty {
                for key in ["ncols", "nrows", "cellsize"] where header[key] == nil {
                    throw fail("the header has no `\(key)`")
                }
                guard let c = header["ncols"], let r = header["nrows"], c == c.rounded(), r == r.rounded(), c >= 2,
                    r >= 2, c * r <= 4_000_000
                else { throw fail("`ncols` and `nrows` must be whole numbers ≥ 2 with at most 4 million cells") }
                guard header["cellsize"]! > 0 else { throw fail("`cellsize` must be positive") }
                guard (header["xllcorner"] == nil) != (header["xllcenter"] == nil),
                    (header["yllcorner"] == nil) != (header["yllcenter"] == nil)
                else {
                    throw fail("the header needs exactly one of `xllcorner`/`xllcenter` and of `yllcorner`/`yllcenter`")
                }
                columns = Int(c)
                rows = Int(r)
                nodata = header["nodata_value"]
            }
            guard values.count < rows else { throw fail("more than the \(rows) rows `nrows` promises") }
            guard fields.count == columns else {
                throw fail("row \(values.count + 1) has \(fields.count) values; `ncols` is \(columns)")
            }
            var row: [Double] = []
            row.reserveCapacity(columns)
            for (index, field) in fields.enumerated() {
                guard let value = Double(field), value.isFinite else {
                    throw fail("row \(values.count + 1), column \(index + 1): `\(field)` is not a finite number")
                }
                if let nodata, value == nodata {
                    throw fail("row \(values.count + 1), column \(index + 1): no data; the terrain may have no holes")
                }
                guard (-500...9000).contains(value) else {
                    throw fail("row \(values.count + 1), column \(index + 1): \(value) m is outside −500…9000 m")
                }
                row.append(value)
            }
            values.append(row)
            lastRowLine = lineNumber
        }
        guard !values.isEmpty else { throw fail("no height rows", line: lineNumber) }
        guard values.count == rows else {
            throw fail("\(values.count) rows of heights; `nrows` is \(rows)", line: lastRowLine)
        }
        let cell = header["cellsize"]!
        let x = header["xllcenter"] ?? header["xllcorner"]! + cell / 2
        let y = header["yllcenter"] ?? header["yllcorner"]! + cell / 2
        return Terrain(
            origin: XY(x, y), cellSize: cell, columns: columns, rows: rows,
            heights: values.reversed().flatMap { $0 })
    }
}
