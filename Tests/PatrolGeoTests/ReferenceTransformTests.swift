import PatrolGeo
import Testing

/// Patrol's transforms against values computed independently with PROJ's command-line tools
/// (proj-bin 9.1.1), to 1 cm (1e-8° ≈ 1 mm for geographic results).
///
/// Forward, from (114.131, 22.571, 50 m) on WGS 84:
/// `echo "22.571 114.131 50" | cs2cs -f %.4f EPSG:4326 EPSG:32650` (likewise 4547, 4490), and
/// `echo "22.571 114.131 50" | cs2cs -f %.4f EPSG:4979 EPSG:4978` for geocentric.
/// Inverse: `echo "204970.1 2498868.0" | cs2cs -f %.9f EPSG:32650 EPSG:4326`,
/// `echo "2497000.0 513500.0" | cs2cs -f %.9f EPSG:4547 EPSG:4326`,
/// `echo "-2408900.0 5377700.0 2432850.0" | cs2cs -f %.9f EPSG:4978 EPSG:4979`.
/// cs2cs prints lat/lon and northing/easting in the CRSs' official order; Patrol normalises to
/// lon/lat and easting/northing, so the values below are swapped where needed.
struct ReferenceTransformTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var source: String
        var target: String
        var input: XYZ
        var expected: XYZ
        var testDescription: String { "\(source) -> \(target)" }
    }

    static let cases: [Case] = [
        Case(
            source: "EPSG:4326", target: "EPSG:32650", input: XYZ(114.131, 22.571, 50),
            expected: XYZ(204_972.0067, 2_498_867.6523, 50)),
        Case(
            source: "EPSG:4326", target: "EPSG:4547", input: XYZ(114.131, 22.571, 50),
            expected: XYZ(513_472.5275, 2_497_035.5901, 50)),
        Case(
            source: "EPSG:4326", target: "EPSG:4490", input: XYZ(114.131, 22.571, 50),
            expected: XYZ(114.131, 22.571, 50)),
        Case(
            source: "EPSG:4979", target: "EPSG:4978", input: XYZ(114.131, 22.571, 50),
            expected: XYZ(-2_409_019.0930, 5_377_621.7953, 2_432_938.1842)),
        Case(
            source: "EPSG:32650", target: "EPSG:4326", input: XYZ(204_970.1, 2_498_868.0, 0),
            expected: XYZ(114.130981411, 22.571002806, 0)),
        Case(
            source: "EPSG:4547", target: "EPSG:4326", input: XYZ(513_500.0, 2_497_000.0, 0),
            expected: XYZ(114.131266824, 22.570678393, 0)),
        Case(
            source: "EPSG:4490", target: "EPSG:4326", input: XYZ(114.131, 22.571, 0),
            expected: XYZ(114.131, 22.571, 0)),
        Case(
            source: "EPSG:4978", target: "EPSG:4979", input: XYZ(-2_408_900.0, 5_377_700.0, 2_432_850.0),
            expected: XYZ(114.129632331, 22.570186043, 37.099755694)),
    ]

    static func expectClose(_ actual: XYZ, _ expected: XYZ, geographic: Bool) {
        let horizontal = geographic ? 1e-8 : 0.01
        #expect(abs(actual.x - expected.x) <= horizontal, "x \(actual.x) vs \(expected.x)")
        #expect(abs(actual.y - expected.y) <= horizontal, "y \(actual.y) vs \(expected.y)")
        #expect(abs(actual.z - expected.z) <= 0.01, "z \(actual.z) vs \(expected.z)")
    }

    static func isGeographic(_ crs: String) -> Bool { ["EPSG:4326", "EPSG:4979", "EPSG:4490"].contains(crs) }

    @Test(arguments: cases)
    func matchesCS2CS(_ c: Case) throws {
        let t = try Transformer(from: c.source, to: c.target)
        Self.expectClose(try t.transform(c.input), c.expected, geographic: Self.isGeographic(c.target))
        // And back through the same transformer's inverse.
        Self.expectClose(try t.transform(c.expected, inverse: true), c.input, geographic: Self.isGeographic(c.source))
    }

    @Test func inPlaceBatchMatchesPoints() throws {
        let t = try Transformer(from: "EPSG:4326", to: "EPSG:4547")
        let points = (0..<1000).map { XYZ(114.10 + Double($0) * 1e-5, 22.55 + Double($0) * 2e-5, Double($0)) }
        var x = points.map(\.x)
        var y = points.map(\.y)
        var z = points.map(\.z)
        try t.transform(x: &x, y: &y, z: &z)
        let single = try t.transform(points)
        #expect(zip(single, zip(x, zip(y, z))).allSatisfy { $0 == XYZ($1.0, $1.1.0, $1.1.1) })
    }

    @Test func latitudeBeyondNinetyIsATypedError() throws {
        let t = try Transformer(from: "EPSG:4326", to: "EPSG:32650")
        #expect {
            _ = try t.transform(XYZ(114.1, 95, 0))
        } throws: { error in
            (error as? GeoError)?.code == .transformFailed && "\(error)".contains("point 0 (114.1, 95.0")
        }
    }
}
