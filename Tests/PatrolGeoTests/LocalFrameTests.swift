import Foundation
import Testing

@testable import PatrolGeo

/// The local ENU frame around the Mumianling origin (114.13, 22.57) against PROJ's tools.
///
/// Ellipsoidal heights, origin 20 m:
/// `echo "22.571 114.131 50" | cs2cs -d 4 EPSG:4979 EPSG:4978 | cct -d 4 +proj=topocentric +ellps=WGS84
///  +lon_0=114.13 +lat_0=22.57 +h_0=20` gives `102.8445 110.7392 29.9982`;
/// `echo "100 -50 30 0" | cct -I -d 4 +proj=topocentric +ellps=WGS84 +lon_0=114.13 +lat_0=22.57 +h_0=20
///  | cs2cs -f %.9f -I EPSG:4979 EPSG:4978` gives `22.569548485 114.130972332 50.000959479`.
///
/// Orthometric (EGM96) heights, origin 20 m above the geoid, which is 17.2612 m above the ellipsoid
/// (`echo "22.57 114.13 20" | cs2cs -f %.4f EPSG:4326+5773 EPSG:4979`):
/// `echo "22.571 114.131 50" | cs2cs -f %.4f EPSG:4326+5773 EPSG:4978 | cct -d 4 +proj=topocentric
///  +ellps=WGS84 +lon_0=114.13 +lat_0=22.57 +h_0=17.2612` gives `102.8444 110.7392 30.0002`.
struct LocalFrameTests {
    let origin = LonLat(lon: 114.13, lat: 22.57)

    static func expectClose(_ a: XYZ, _ b: XYZ, horizontal: Double) {
        #expect(abs(a.x - b.x) <= horizontal, "x \(a.x) vs \(b.x)")
        #expect(abs(a.y - b.y) <= horizontal, "y \(a.y) vs \(b.y)")
        #expect(abs(a.z - b.z) <= 0.01, "z \(a.z) vs \(b.z)")
    }

    @Test func ellipsoidalMatchesCct() throws {
        let frame = try LocalFrame(origin: origin, height: 20, heights: .ellipsoidal)
        Self.expectClose(try frame.local(XYZ(114.131, 22.571, 50)), XYZ(102.8445, 110.7392, 29.9982), horizontal: 0.01)
        Self.expectClose(
            try frame.geographic(XYZ(100, -50, 30)), XYZ(114.130972332, 22.569548485, 50.000959479), horizontal: 1e-8)
    }

    @Test func orthometricGoesThroughTheGeoid() throws {
        try #require(HeightReference.installedGeoidGrid != nil, "no EGM96 grid in \(Transformer.dataDirectory)")
        let frame = try LocalFrame(origin: origin, height: 20, heights: .orthometric)
        #expect(frame.pipeline.contains("vgridshift"))
        let enu = try frame.local(XYZ(114.131, 22.571, 50))
        Self.expectClose(enu, XYZ(102.8444, 110.7392, 30.0002), horizontal: 0.01)
        Self.expectClose(try frame.geographic(enu), XYZ(114.131, 22.571, 50), horizontal: 1e-8)
    }

    @Test(arguments: HeightReference.allCases)
    func originIsZero(heights: HeightReference) throws {
        let frame = try LocalFrame(origin: origin, height: 20, heights: heights)
        Self.expectClose(try frame.local(XYZ(origin.lon, origin.lat, 20)), XYZ(0, 0, 0), horizontal: 1e-6)
    }

    @Test func badInputIsATypedError() throws {
        #expect(throws: GeoError.self) { try LocalFrame(origin: LonLat(lon: 114, lat: 95), heights: .ellipsoidal) }
        let frame = try LocalFrame(origin: origin, heights: .ellipsoidal)
        #expect {
            _ = try frame.local([XYZ(114.13, 22.57, 0), XYZ(.nan, 22.57, 0)])
        } throws: { error in
            (error as? GeoError)?.code == .transformFailed && "\(error)".contains("point 1")
        }
    }
}

/// Without a geoid grid, orthometric heights are refused, not silently taken as ellipsoidal.
struct MissingGeoidTests {
    @Test func missingGridIsATypedError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-grids-\(UUID().uuidString)").path
        #expect(HeightReference.installedGeoidGrid(in: empty) == nil)
        #expect {
            _ = try HeightReference.requireGeoidGrid(in: empty)
        } throws: { error in
            (error as? GeoError)?.code == .missingGrid && "\(error)".contains("none is installed")
        }
    }
}
