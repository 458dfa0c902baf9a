import Foundation
import PatrolGeo
import Testing

struct GeometryTests {
    let square = Polygon(corners: [XY(0, 0), XY(100, 0), XY(100, 100), XY(0, 100)])

    @Test func areaAndCentroid() {
        #expect(square.area == 10_000)
        #expect(square.centroid == XY(50, 50))
        let holed = Polygon(
            exterior: square.exterior,
            holes: [Polygon(corners: [XY(10, 10), XY(10, 20), XY(20, 20), XY(20, 10)]).exterior])
        #expect(holed.area == 9_900)
    }

    @Test func validityReasons() {
        #expect(square.validationIssue == nil)
        let open = Polygon(exterior: [XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 1)])
        #expect(open.validationIssue?.contains("does not close") == true)
        let tooFew = Polygon(exterior: [XY(0, 0), XY(1, 0), XY(0, 0)])
        #expect(tooFew.validationIssue?.contains("at least 4") == true)
        let bowtie = Polygon(corners: [XY(0, 0), XY(10, 10), XY(10, 0), XY(0, 4)])
        #expect(
            bowtie.validationIssue?.lowercased().contains("self-intersection") == true,
            "\(bowtie.validationIssue ?? "valid")")
    }

    @Test func clippingAndDifference() throws {
        let area = MultiPolygon(square)
        let notch = MultiPolygon(Polygon(corners: [XY(80, 80), XY(120, 80), XY(120, 120), XY(80, 120)]))
        let rest = try area.difference(notch)
        #expect(abs(rest.area - 9_600) < 1e-6)
        let inside = try area.intersection(notch)
        #expect(abs(inside.area - 400) < 1e-6)
        let pieces = try area.clip(LineString([XY(-10, 50), XY(110, 50)]))
        #expect(pieces.count == 1)
        #expect(abs(pieces[0].length - 100) < 1e-9)
        #expect(try area.covers(XY(50, 50)))
        #expect(try !area.covers(XY(150, 50)))
    }

    @Test func swathAndUnion() throws {
        let swath = try LineString([XY(0, 0), XY(100, 0)]).swath(width: 20)
        #expect(abs(swath.area - 2_000) < 1e-6)
        let other = try LineString([XY(0, 10), XY(100, 10)]).swath(width: 20)
        let both = try MultiPolygon.union([swath, other])
        #expect(abs(both.area - 3_000) < 1e-6)
        let grown = try MultiPolygon(square).buffered(by: -10)
        #expect(abs(grown.area - 6_400) < 1e-6)
    }

    @Test func cameraFootprint() {
        let f = CameraFootprint(altitude: 50, horizontalFOVDegrees: 90, verticalFOVDegrees: 90)
        #expect(abs(f.width - 100) < 1e-9)
        #expect(abs(f.lineSpacing(sideOverlap: 0.3) - 70) < 1e-9)
        #expect(abs(f.polygon(centre: XY(0, 0), heading: 0.3).area - 10_000) < 1e-6)
    }

    @Test func geometryFromManyThreads() async throws {
        try await withThrowingTaskGroup(of: Double.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let line = LineString([XY(0, Double(i)), XY(100, Double(i))])
                    return try line.swath(width: 10).area
                }
            }
            for try await area in group { #expect(abs(area - 1_000) < 1e-6) }
        }
    }
}
