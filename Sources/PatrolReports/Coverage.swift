public import Foundation
public import PatrolGeo
public import PatrolModel

/// What the camera actually saw during a flight, computed from its telemetry.
///
/// Every recording sample contributes the ground footprint of a nadir camera over flat ground at
/// the sample's height, oriented along its heading. Two consecutive samples that are both
/// recording, and close enough in time, contribute the convex hull of their two footprints, so
/// that the sampling interval leaves no slivers between frames; a sample next to a non-recording
/// one contributes its own footprint only, so an interrupted sweep is never bridged. All the
/// pieces are merged with one GEOS unary union and clipped to the planned area.
///
/// Everything here is pure and deterministic: the same input gives the same output.
public enum Coverage {
    /// One telemetry sample in site metres, as coverage needs it.
    public struct Sample: Hashable, Sendable {
        public var time: Date
        /// The vehicle's position in site metres.
        public var position: XY
        /// Camera height above the (flat) ground, metres.
        public var heightAboveGround: Double
        /// Course over ground, degrees clockwise from north (as ``Telemetry/heading``).
        public var heading: Double
        /// Whether the camera was recording at this instant.
        public var isRecording: Bool

        public init(time: Date, position: XY, heightAboveGround: Double, heading: Double, isRecording: Bool) {
            self.time = time
            self.position = position
            self.heightAboveGround = heightAboveGround
            self.heading = heading
            self.isRecording = isRecording
        }

        /// A sample from a telemetry record already projected to `position`; the camera records
        /// while the vehicle reports ``VehicleState/surveying``.
        ///
        /// - Parameter groundOffset: metres to add to the telemetry altitude (which is above the
        ///   take-off point) to get the height above the ground, e.g. the hive's pad height.
        public init(_ telemetry: Telemetry, position: XY, groundOffset: Double = 0) {
            self.init(
                time: telemetry.time, position: position, heightAboveGround: telemetry.altitude + groundOffset,
                heading: telemetry.heading, isRecording: telemetry.state == .surveying)
        }
    }

    /// Projects telemetry into site metres and turns it into coverage samples.
    ///
    /// - Throws: ``GeoError`` when a position cannot be projected into the frame's CRS.
    public static func samples(
        from telemetry: [Telemetry], frame: SiteFrame, groundOffset: Double = 0
    ) throws(GeoError) -> [Sample] {
        let positions = try frame.project(telemetry.map(\.position))
        return zip(telemetry, positions).map { Sample($0, position: $1, groundOffset: groundOffset) }
    }

    /// Computes the seen area and the gaps of `planned`.
    ///
    /// - Parameters:
    ///   - planned: the area the flight was meant to cover, site metres.
    ///   - samples: the flown telemetry in time order.
    ///   - camera: the camera's fields of view.
    ///   - minimumGapArea: gaps smaller than this many square metres are not reported as gaps
    ///     (they still count against the coverage percentage).
    ///   - maximumSampleInterval: consecutive recording samples further apart in time than this
    ///     many seconds (a telemetry drop-out) are not bridged.
    /// - Throws: ``GeoError`` when GEOS fails on the geometry.
    public static func compute(
        planned: MultiPolygon, samples: [Sample], camera: CameraSpec, minimumGapArea: Double = 25,
        maximumSampleInterval: TimeInterval = 5
    ) throws(GeoError) -> CoverageResult {
        let area = try MultiPolygon.union([planned])
        let kept = thinned(samples, maximumSampleInterval: maximumSampleInterval)
        let pieces = footprintPieces(kept, camera: camera, maximumSampleInterval: maximumSampleInterval)
        let seen: MultiPolygon
        if pieces.isEmpty || area.isEmpty {
            seen = MultiPolygon([])
        } else {
            let swept = try Geometry.unaryUnion(pieces.map(Geometry.polygon))
            seen = MultiPolygon(try swept.intersection(area.geometry).polygons)
        }
        let uncovered = try area.difference(seen)
        let gaps = MultiPolygon(uncovered.polygons.filter { $0.area >= minimumGapArea })
        return CoverageResult(plannedArea: area.area, seen: seen, gaps: gaps, minimumGapArea: minimumGapArea)
    }

    /// `samples` without those that add nothing: a sample is dropped when it lies less than
    /// `step` metres and `turn` degrees from the last one kept, at the same height within 0.5 m,
    /// and both it and its neighbours record, within half of `maximumSampleInterval` of the last
    /// kept. The hull of the kept pair around it holds its footprint (up to its offset from the
    /// line between them), so dense telemetry (10 Hz and more) costs no more than 2 Hz.
    static func thinned(
        _ samples: [Sample], maximumSampleInterval: TimeInterval, step: Double = 2, turn: Double = 2
    ) -> [Sample] {
        guard samples.count > 2 else { return samples }
        var kept = [samples[0]]
        kept.reserveCapacity(samples.count)
        for i in 1..<(samples.count - 1) {
            let (here, last) = (samples[i], kept[kept.count - 1])
            let steady =
                here.isRecording && samples[i - 1].isRecording && samples[i + 1].isRecording && last.isRecording
                && here.position.distance(to: last.position) < step
                && abs(here.heightAboveGround - last.heightAboveGround) < 0.5
                && abs(remainder(here.heading - last.heading, 360)) < turn
                && here.time.timeIntervalSince(last.time) < maximumSampleInterval / 2
                && samples[i + 1].time.timeIntervalSince(here.time) <= maximumSampleInterval
                && here.time.timeIntervalSince(samples[i - 1].time) <= maximumSampleInterval
            if !steady { kept.append(here) }
        }
        kept.append(samples[samples.count - 1])
        return kept
    }

    /// The polygons whose union is the swept area: single footprints and hulls of consecutive pairs.
    static func footprintPieces(_ samples: [Sample], camera: CameraSpec, maximumSampleInterval: TimeInterval)
        -> [Polygon]
    {
        let corners = samples.map { sample -> [XY]? in
            guard sample.isRecording, sample.heightAboveGround > 0, sample.position.x.isFinite,
                sample.position.y.isFinite, sample.heightAboveGround.isFinite, sample.heading.isFinite
            else { return nil }
            let footprint = CameraFootprint(
                altitude: sample.heightAboveGround, horizontalFOVDegrees: camera.horizontalFOV,
                verticalFOVDegrees: camera.verticalFOV)
            // Telemetry headings are clockwise from north; footprints want counter-clockwise from east.
            let heading = (90 - sample.heading) * .pi / 180
            return Array(footprint.polygon(centre: sample.position, heading: heading).exterior.dropLast())
        }
        func linked(_ index: Int) -> Bool {
            guard index + 1 < samples.count, corners[index] != nil, corners[index + 1] != nil else { return false }
            let interval = samples[index + 1].time.timeIntervalSince(samples[index].time)
            return interval >= 0 && interval <= maximumSampleInterval
        }
        var pieces: [Polygon] = []
        for index in samples.indices {
            guard let here = corners[index] else { continue }
            if linked(index), let next = corners[index + 1] {
                let hull = convexHull(here + next)
                if hull.count >= 3 { pieces.append(Polygon(corners: hull)) }
            } else if index == 0 || !linked(index - 1) {
                pieces.append(Polygon(corners: here))
            }
        }
        return pieces
    }

    /// The convex hull of `points`, counter-clockwise, without repeating the first point
    /// (Andrew's monotone chain).
    static func convexHull(_ points: [XY]) -> [XY] {
        let sorted = Set(points).sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard sorted.count >= 3 else { return sorted }
        func cross(_ o: XY, _ a: XY, _ b: XY) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
        var lower: [XY] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 {
                lower.removeLast()
            }
            lower.append(p)
        }
        var upper: [XY] = []
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 {
                upper.removeLast()
            }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
