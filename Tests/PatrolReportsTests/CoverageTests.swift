import Foundation
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolReports

@Suite struct CoverageTests {
    private func coverage(_ samples: [Coverage.Sample], planned: MultiPolygon = Sweep.area) throws -> CoverageResult {
        try Coverage.compute(planned: planned, samples: samples, camera: Sweep.camera)
    }

    @Test func fullSweepCoversTheArea() throws {
        let result = try coverage(Sweep.samples(lines: Sweep.lineOffsets()))
        #expect(abs(result.plannedArea - 120_000) < 1e-6)
        #expect(result.percent >= 99, "full sweep saw \(result.percent) %")
        #expect(result.gapCount == 0)
    }

    @Test func halfTheLinesCoverAboutHalf() throws {
        let lines = Sweep.lineOffsets()
        let result = try coverage(Sweep.samples(lines: Array(lines.prefix(lines.count / 2))))
        #expect(abs(result.percent - 50) <= 3, "half sweep saw \(result.percent) %")
        #expect(result.gapCount == 1)
    }

    @Test func shiftedLinesLeaveAnEdgeStrip() throws {
        let result = try coverage(Sweep.samples(lines: Sweep.lineOffsets(shift: Sweep.spacing)))
        // The first line now sits at 1.5 spacings; its footprint starts half a swath west of it.
        let stripWidth = 1.5 * Sweep.spacing - Sweep.footprint.width / 2
        let expected = stripWidth * Sweep.height
        #expect(result.gapCount == 1)
        #expect(abs(result.gapArea - expected) <= 0.05 * expected, "gap \(result.gapArea) m², expected \(expected)")
        #expect(abs(result.gaps.bounds.max.x - (Sweep.origin.x + stripWidth)) < 1)
    }

    @Test func samplesNotSurveyingDoNotCount() throws {
        let lines = Sweep.lineOffsets()
        let none = try coverage(Sweep.samples(lines: lines) { _ in .transit })
        #expect(none.seenArea == 0)
        #expect(none.percent == 0)
        #expect(none.gapCount == 1)
        #expect(abs(none.gapArea - 120_000) < 1e-6)

        // Every other line flown without recording: each recorded line is a strip on its own,
        // never bridged across the line flown in between.
        let alternate = try coverage(Sweep.samples(lines: lines) { $0.isMultiple(of: 2) ? .surveying : .transit })
        let half = Sweep.footprint.width / 2
        let strips = lines.enumerated().filter { $0.offset.isMultiple(of: 2) }.map { _, x in
            min(Sweep.width, x + half) - max(0, x - half)
        }
        let expected = strips.reduce(0, +) * Sweep.height
        #expect(
            abs(alternate.seenArea - expected) <= 0.01 * expected, "seen \(alternate.seenArea), expected \(expected)")
    }

    @Test(arguments: [0.0, 90.0, 225.0])
    func aStraightLineSweepsTheFootprintWidth(heading: Double) throws {
        let direction = XY(sin(heading * .pi / 180), cos(heading * .pi / 180))
        let samples = (0...50).map { i in
            Coverage.Sample(
                time: Sweep.start + Double(i) * 0.5, position: Sweep.origin + direction * (Double(i) * 4),
                heightAboveGround: Sweep.altitude, heading: heading, isRecording: true)
        }
        let planned = try Geometry.point(Sweep.origin).buffered(by: 1000)
        let result = try coverage(samples, planned: planned)
        let expected = Sweep.footprint.width * (200 + Sweep.footprint.length)
        #expect(abs(result.seenArea - expected) <= 0.001 * expected, "seen \(result.seenArea), expected \(expected)")
    }

    @Test func anInterruptedLineIsNotBridged() throws {
        // 300 m north; recording on the first and last 100 m only.
        let samples = (0...75).map { i in
            let y = Double(i) * 4
            return Coverage.Sample(
                time: Sweep.start + Double(i) * 0.5, position: Sweep.origin + XY(0, y),
                heightAboveGround: Sweep.altitude, heading: 0, isRecording: y <= 100 || y >= 200)
        }
        let planned = try Geometry.point(Sweep.origin).buffered(by: 1000)
        let result = try coverage(samples, planned: planned)
        let expected = 2 * Sweep.footprint.width * (100 + Sweep.footprint.length)
        #expect(abs(result.seenArea - expected) <= 0.001 * expected)
        #expect(result.seen.polygons.count == 2)
    }

    @Test func aTelemetryDropOutIsNotBridged() throws {
        let samples = [0.0, 100.0].enumerated().map { i, y in
            Coverage.Sample(
                time: Sweep.start + Double(i) * 60, position: Sweep.origin + XY(0, y),
                heightAboveGround: Sweep.altitude, heading: 0, isRecording: true)
        }
        let planned = try Geometry.point(Sweep.origin).buffered(by: 1000)
        let result = try coverage(samples, planned: planned)
        let frame = Sweep.footprint.width * Sweep.footprint.length
        #expect(abs(result.seenArea - 2 * frame) <= 0.001 * frame)
    }

    @Test func smallGapsAreNotReported() throws {
        // A 4 × 4 m patch of the planned area far from the sweep is unseen but below 25 m².
        let patch = Polygon(corners: [XY(-100, 0), XY(-96, 0), XY(-96, 4), XY(-100, 4)].map { Sweep.origin + $0 })
        let planned = MultiPolygon(Sweep.area.polygons + [patch])
        let result = try coverage(Sweep.samples(lines: Sweep.lineOffsets()), planned: planned)
        #expect(result.gapCount == 0)
        #expect(abs(result.plannedArea - 120_016) < 1e-6)
        #expect(result.percent < 100)
        let strict = try Coverage.compute(
            planned: planned, samples: Sweep.samples(lines: Sweep.lineOffsets()), camera: Sweep.camera,
            minimumGapArea: 10)
        #expect(strict.gapCount == 1)
        #expect(abs(strict.gapArea - 16) < 1e-6)
    }

    @Test func convexHullOfTwoSquares() {
        let a = [XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 1)]
        let b = a.map { $0 + XY(3, 0) }
        let hull = Coverage.convexHull(a + b)
        #expect(Set(hull) == [XY(0, 0), XY(4, 0), XY(4, 1), XY(0, 1)])
        #expect(Polygon(corners: hull).area == 4)
    }
}
