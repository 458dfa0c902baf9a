import Foundation
import PatrolGeo
import Testing

/// The terrain grid: bilinear lookup with known answers, and strict reading of ESRI ASCII grids.
struct TerrainGridTests {
    /// A 3 × 2 grid (north row first) with corner at (1000, 2000) and 10 m cells: centres at x 1005,
    /// 1015, 1025 and y 2005 (south), 2015 (north).
    let text = """
        ncols 3
        nrows 2
        xllcorner 1000
        yllcorner 2000
        cellsize 10
        30 40 50
        10 20 60
        """

    @Test func readsNorthRowFirstAndInterpolatesBilinearly() throws {
        let t = try Terrain.parse(asciiGrid: text, file: "t.asc")
        #expect(t.columns == 3 && t.rows == 2 && t.cellSize == 10)
        #expect(t.origin == XY(1005, 2005))
        #expect(t.reference == .orthometric)
        #expect(t.height(at: XY(1005, 2005)) == 10)
        #expect(t.height(at: XY(1025, 2015)) == 50)
        // Middle of the west cell square: the mean of 10, 20, 30, 40.
        #expect(abs(t.height(at: XY(1010, 2010)) - 25) < 1e-9)
        // A quarter of the way east and three quarters north in the east square: 20, 60 south; 40, 50 north.
        let south = 20 + 0.25 * (60 - 20)
        let north = 40 + 0.25 * (50 - 40)
        #expect(abs(t.height(at: XY(1017.5, 2012.5)) - (south + 0.75 * (north - south))) < 1e-9)
        // Beyond the grid, the nearest edge holds.
        #expect(t.height(at: XY(900, 1900)) == 10)
        #expect(t.height(at: XY(2000, 2010)) == 55)
        #expect(!t.covers(XY(900, 2010)) && t.covers(XY(1010, 2010)))
    }

    @Test func aPlaneIsReproducedExactly() throws {
        // h = 5 + 0.1 x + 0.3 y on a 4 × 3 grid of centres, any point inside gives the plane's value.
        func plane(_ x: Double, _ y: Double) -> Double { 5 + 0.1 * x + 0.3 * y }
        var rows: [String] = []
        for j in [2, 1, 0] {
            let values: [String] = (0..<4).map { i in String(plane(Double(i * 20), Double(j * 20))) }
            rows.append(values.joined(separator: " "))
        }
        let grid = "ncols 4\nnrows 3\nxllcenter 0\nyllcenter 0\ncellsize 20\n" + rows.joined(separator: "\n")
        let t = try Terrain.parse(asciiGrid: grid, file: "plane.asc")
        for p in [XY(3, 7), XY(31.5, 22), XY(59.9, 39.9), XY(40, 0)] {
            let error: Double = abs(t.height(at: p) - plane(p.x, p.y))
            #expect(error < 1e-9)
        }
    }

    /// Each hostile grid fails with the file, the line and what is wrong.
    @Test(arguments: [
        ("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n1 2 3\n4 5\n", "t.asc:7:", "row 2 has 2 values"),
        ("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n1 2 3\n", "t.asc:6:", "1 rows of heights"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n1 nan\n4 5\n", "t.asc:6:", "not a finite number"),
        (
            "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\nNODATA_value -9999\n1 -9999\n4 5\n", "t.asc:7:",
            "no data"
        ),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 10\n1 2\n4 12000\n", "t.asc:7:", "outside"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\n1 2\n4 5\n", "t.asc:5:", "no `cellsize`"),
        ("ncols 2\nncols 2\n", "t.asc:2:", "given twice"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\nheight 3\n", "t.asc:5:", "unknown header key `height`"),
        (
            "ncols 2\nnrows 2\nxllcorner 0\nxllcenter 0\nyllcorner 0\ncellsize 1\n1 2\n3 4\n", "t.asc:7:",
            "exactly one of"
        ),
        ("ncols 5000\nnrows 5000\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n", "t.asc:6:", "4 million"),
        ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3 4\n5 6\n", "t.asc:8:", "more than the 2 rows"),
    ])
    func hostileGridsNameTheLine(grid: String, location: String, message: String) {
        #expect {
            try Terrain.parse(asciiGrid: grid, file: "t.asc")
        } throws: { error in
            let text = (error as? GeoError)?.description ?? ""
            return text.hasPrefix(location) && text.contains(message)
        }
    }

    @Test func survivesACodableRoundTrip() throws {
        let t = try Terrain.parse(asciiGrid: text, file: "t.asc")
        let back = try JSONDecoder().decode(Terrain.self, from: try JSONEncoder().encode(t))
        #expect(back == t)
    }
}
