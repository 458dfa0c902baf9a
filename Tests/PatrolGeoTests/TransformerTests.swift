import PatrolGeo
import Testing

/// Reference values from PROJ's own `cs2cs` (proj-bin 9.1.1), e.g.
/// `echo "22.57 114.13 0" | cs2cs -f "%.4f" EPSG:4326 EPSG:4547`.
struct TransformerTests {
    let lon = 114.13
    let lat = 22.57

    @Test func wgs84ToSiteGaussKruger() throws {
        let t = try Transformer(from: "EPSG:4326", to: "EPSG:4547")
        let p = try t.transform(XYZ(lon, lat))
        #expect(abs(p.x - 513_369.78) <= 0.01)
        #expect(abs(p.y - 2_496_924.76) <= 0.01)
        let back = try t.transform(p, inverse: true)
        #expect(abs(back.x - lon) < 1e-9)
        #expect(abs(back.y - lat) < 1e-9)
    }

    @Test(arguments: [
        ("EPSG:32650", 204_866.9807, 2_498_758.8395, 0.0),
        ("EPSG:4490", 114.13, 22.57, 0.0),
        ("EPSG:4978", -2_408_923.7364, 5_377_660.4935, 2_432_816.7364),
    ])
    func referenceValues(crs: String, x: Double, y: Double, z: Double) throws {
        let t = try Transformer(from: "EPSG:4326", to: crs)
        let p = try t.transform(XYZ(lon, lat, 0))
        let tolerance = crs == "EPSG:4490" ? 1e-9 : 0.01
        #expect(abs(p.x - x) <= tolerance)
        #expect(abs(p.y - y) <= tolerance)
        #expect(abs(p.z - z) <= 0.01)
    }

    @Test func batchMatchesSinglePoints() throws {
        let t = try Transformer(from: "EPSG:4326", to: "EPSG:4547")
        let points = (0..<100).map { XY(114.10 + Double($0) * 0.0005, 22.55 + Double($0) * 0.0004) }
        let batch = try t.transform(points)
        for (i, p) in points.enumerated() {
            #expect(try t.transform(XYZ(p.x, p.y)).xy == batch[i])
        }
    }

    @Test func unknownCRSIsATypedError() {
        #expect {
            _ = try Transformer(from: "EPSG:4326", to: "EPSG:999999")
        } throws: { error in
            (error as? GeoError)?.code == .unknownCRS && "\(error)".contains("EPSG:999999")
        }
    }

    @Test func nonFiniteInputIsATypedError() throws {
        let t = try Transformer(from: "EPSG:4326", to: "EPSG:4547")
        #expect {
            _ = try t.transform([XY(114.1, 22.5), XY(.nan, 22.5)])
        } throws: { error in
            (error as? GeoError)?.code == .transformFailed && "\(error)".contains("point 1")
        }
    }
}
