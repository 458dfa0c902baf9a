public import PatrolGeo
public import PatrolModel

/// How well the camera could have detected smoke on the planned area, beyond the area its
/// frustum swept: each ground cell is scored by the best frame that viewed it, from that frame's
/// ground sample distance and viewing angle (``DetectionModel``), and a frame scores nothing on a
/// cell when the ray from the camera to the cell passes through a tower.
public struct DetectabilityResult: Hashable, Sendable, Codable {
    public var model: DetectionModel
    /// The cells of the planned area, row by row from the south.
    public var cellCount: Int
    /// Square metres of cells whose probability reached the model's threshold.
    public var wellSeenArea: Double
    /// Square metres of cells inside some frame's footprint (the swept area, on the grid).
    public var sweptArea: Double
    /// Square metres of swept cells every view of which was blocked by a tower.
    public var shadowedArea: Double
    /// The planned area on the grid, square metres.
    public var plannedArea: Double
    /// The mean probability over the planned area's cells, 0 to 1.
    public var meanProbability: Double
    /// Swept cells below the threshold, as squares in site metres (for the map).
    public var weakCells: [XY]

    /// The well-seen share of the planned area, 0 to 100.
    public var wellSeenPercent: Double { plannedArea > 0 ? 100 * wellSeenArea / plannedArea : 0 }
}

/// The computation behind ``DetectabilityResult``.
public enum Detectability {
    /// A tower as an obstacle: its footprint in site metres and its height above the ground.
    public struct Obstacle: Hashable, Sendable {
        public var footprint: Polygon
        /// Metres above the ground.
        public var height: Double

        /// An obstacle from its footprint (site metres) and height.
        public init(footprint: Polygon, height: Double) {
            self.footprint = footprint
            self.height = height
        }
    }

    /// Scores the cells of `planned` by the recording samples.
    ///
    /// - Throws: ``GeoError`` when GEOS fails on the planned area.
    public static func compute(
        planned: MultiPolygon, samples: [Coverage.Sample], camera: CameraSpec, obstacles: [Obstacle],
        model: DetectionModel = .standard
    ) throws(GeoError) -> DetectabilityResult {
        let grid = try CellGrid(planned, size: model.cellSize)
        var best = [Double](repeating: 0, count: grid.centres.count)
        var swept = [Bool](repeating: false, count: grid.centres.count)
        var visible = [Bool](repeating: false, count: grid.centres.count)
        let boxes = obstacles.map { $0.footprint.bounds }
        for sample in Coverage.thinned(samples, maximumSampleInterval: 5) {
            guard sample.isRecording, sample.heightAboveGround > 0, sample.heightAboveGround.isFinite,
                sample.position.x.isFinite, sample.position.y.isFinite, sample.heading.isFinite
            else { continue }
            let h = sample.heightAboveGround
            let footprint = CameraFootprint(
                altitude: h, horizontalFOVDegrees: camera.horizontalFOV, verticalFOVDegrees: camera.verticalFOV)
            let corners = Array(
                footprint.polygon(centre: sample.position, heading: (90 - sample.heading) * .pi / 180).exterior
                    .dropLast())
            let reach = Bounds(corners + [sample.position])
            let near = obstacles.indices.filter { i in
                boxes[i].max.x >= reach.min.x && boxes[i].min.x <= reach.max.x && boxes[i].max.y >= reach.min.y
                    && boxes[i].min.y <= reach.max.y
            }
            grid.forEachCell(inConvex: corners) { cell in
                swept[cell] = true
                let target = grid.centres[cell]
                let p = model.probability(
                    height: h, distance: target.distance(to: sample.position), horizontalFOV: camera.horizontalFOV)
                guard p > best[cell] || !visible[cell] else { return }
                for i in near where blocks(obstacles[i], box: boxes[i], from: sample.position, height: h, to: target) {
                    return
                }
                visible[cell] = true
                best[cell] = max(best[cell], p)
            }
        }
        let area = grid.cellArea
        let count = grid.centres.count
        return DetectabilityResult(
            model: model, cellCount: count,
            wellSeenArea: Double(best.filter { $0 >= model.threshold }.count) * area,
            sweptArea: Double(swept.filter { $0 }.count) * area,
            shadowedArea: Double(zip(swept, visible).filter { $0 && !$1 }.count) * area,
            plannedArea: Double(count) * area,
            meanProbability: count > 0 ? best.reduce(0, +) / Double(count) : 0,
            weakCells: grid.centres.indices.filter { swept[$0] && best[$0] < model.threshold }.map { grid.centres[$0] })
    }

    /// Whether the ray from a camera at `camera`, `height` metres up, to the ground at `target`
    /// passes through the prism of `obstacle` (its footprint raised to its height).
    ///
    /// The ray is at height `height · (1 − t)` a fraction `t` along, so it is below the top from
    /// `t₀ = 1 − H / height` on: it is blocked when the ground track of that last part meets the
    /// footprint.
    static func blocks(_ obstacle: Obstacle, box: Bounds, from camera: XY, height: Double, to target: XY) -> Bool {
        let t0 = max(0, 1 - obstacle.height / height)
        let start = camera + (target - camera) * t0
        guard max(start.x, target.x) >= box.min.x, min(start.x, target.x) <= box.max.x,
            max(start.y, target.y) >= box.min.y, min(start.y, target.y) <= box.max.y
        else { return false }
        let ring = obstacle.footprint.exterior
        if contains(ring, start) || contains(ring, target) { return true }
        for (a, b) in zip(ring, ring.dropFirst()) where segmentsCross(start, target, a, b) { return true }
        return false
    }

    /// Even-odd point in ring (closed ring).
    static func contains(_ ring: [XY], _ p: XY) -> Bool {
        var inside = false
        for (a, b) in zip(ring, ring.dropFirst()) where (a.y > p.y) != (b.y > p.y) {
            if p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) { inside.toggle() }
        }
        return inside
    }

    static func segmentsCross(_ p: XY, _ q: XY, _ a: XY, _ b: XY) -> Bool {
        func orient(_ o: XY, _ u: XY, _ v: XY) -> Double { (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x) }
        let d1 = orient(a, b, p)
        let d2 = orient(a, b, q)
        let d3 = orient(p, q, a)
        let d4 = orient(p, q, b)
        return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0))
    }
}
