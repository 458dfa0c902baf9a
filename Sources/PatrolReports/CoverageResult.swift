public import PatrolGeo

/// The outcome of ``Coverage/compute(planned:samples:camera:minimumGapArea:maximumSampleInterval:)``:
/// how much of the planned area the camera saw, and where it did not look.
public struct CoverageResult: Hashable, Sendable, Codable {
    /// The planned area, square metres.
    public var plannedArea: Double
    /// The part of the planned area the camera saw, site metres.
    public var seen: MultiPolygon
    /// The parts of the planned area the camera did not see, each at least ``minimumGapArea``.
    public var gaps: MultiPolygon
    /// The smallest unseen patch reported as a gap, square metres.
    public var minimumGapArea: Double

    public init(plannedArea: Double, seen: MultiPolygon, gaps: MultiPolygon, minimumGapArea: Double) {
        self.plannedArea = plannedArea
        self.seen = seen
        self.gaps = gaps
        self.minimumGapArea = minimumGapArea
    }

    /// The seen area, square metres.
    public var seenArea: Double { seen.area }

    /// The seen share of the planned area, 0 to 100 (0 when nothing was planned).
    public var percent: Double {
        plannedArea > 0 ? min(100, max(0, 100 * seenArea / plannedArea)) : 0
    }

    /// How many gaps are reported.
    public var gapCount: Int { gaps.polygons.count }

    /// The total area of the reported gaps, square metres.
    public var gapArea: Double { gaps.area }
}
