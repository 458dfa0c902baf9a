import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolReports

/// Probability of detection on synthetic views with known answers.
struct DetectabilityTests {
    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon(corners: [XY(x0, y0), XY(x1, y0), XY(x1, y1), XY(x0, y1)])
    }

    /// A wide-angle camera 100 m above (0, 0) that sees the whole area in one frame.
    static let camera = CameraSpec(horizontalFOV: 150, verticalFOV: 150, sideOverlap: 0.3, frontOverlap: 0.6)
    static let sample = Coverage.Sample(
        time: Date(timeIntervalSince1970: 0), position: XY(0, 0), heightAboveGround: 100, heading: 0,
        isRecording: true)
    /// Anything in view and not occluded counts.
    static let lenient = DetectionModel(
        imageWidthPixels: 100_000, fullGSD: 1, zeroGSD: 2, maximumOffNadir: 89, threshold: 0.01, cellSize: 5)

    /// A 50 m wall from x = 40 to 60 m, across the whole area, 100 m camera: the ray to ground at
    /// x is below the wall's top past s = x / 2, so the wall hides the ground from x = 60 to 120 m.
    @Test func aTowerCastsItsKnownShadow() throws {
        let planned = try MultiPolygon(Self.rect(0, -50, 200, 50)).difference(MultiPolygon(Self.rect(40, -50, 60, 50)))
        let wall = Detectability.Obstacle(footprint: Self.rect(40, -300, 60, 300), height: 50)
        let result = try Detectability.compute(
            planned: planned, samples: [Self.sample], camera: Self.camera, obstacles: [wall], model: Self.lenient)
        #expect(result.plannedArea == 180 * 100)
        #expect(result.sweptArea == 180 * 100)
        #expect(result.shadowedArea == 60 * 100)
        #expect(result.wellSeenArea == 120 * 100)
        #expect(result.weakCells.allSatisfy { $0.x > 60 && $0.x < 120 })

        // The same wall, lower than the camera's line of sight: no shadow past x = 60 · 100 / 90.
        let low = Detectability.Obstacle(footprint: Self.rect(40, -300, 60, 300), height: 10)
        let lowResult = try Detectability.compute(
            planned: planned, samples: [Self.sample], camera: Self.camera, obstacles: [low], model: Self.lenient)
        #expect(lowResult.shadowedArea == 5 * 100, "ground from 60 to 66.7 m is hidden: \(lowResult.shadowedArea)")

        // No tower, no shadow.
        let open = try Detectability.compute(
            planned: planned, samples: [Self.sample], camera: Self.camera, obstacles: [], model: Self.lenient)
        #expect(open.shadowedArea == 0 && open.wellSeenArea == 180 * 100)
    }

    @Test func probabilityFallsWithDistanceAndAngle() {
        let model = DetectionModel.standard
        let nadir = model.probability(height: 50, distance: 0, horizontalFOV: 70)
        let edge = model.probability(height: 50, distance: 35, horizontalFOV: 70)
        let far = model.probability(height: 50, distance: 100, horizontalFOV: 70)
        #expect(nadir > edge && edge > far)
        #expect(abs(nadir - 1) < 0.05)
        #expect(far == 0, "beyond 60° off nadir nothing is scored")
        #expect(model.probability(height: 300, distance: 0, horizontalFOV: 70) == 0, "too high: 0.33 m pixels")
    }

    @Test func theReportShowsTheAreaSeenWellEnough() throws {
        let rendered = try FlightReport.render(try ReportFixture.input())
        let figures = try #require(rendered.summary.detectability)
        #expect(figures.wellSeenPercent > 95)
        #expect(figures.wellSeenArea <= figures.sweptArea)
        #expect(rendered.html.contains("Seen well enough"))
        let decoded = try FlightSummary.decode(from: rendered.json)
        #expect(decoded.detectability == figures)
    }
}
