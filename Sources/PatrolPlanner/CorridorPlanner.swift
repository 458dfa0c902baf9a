import Foundation
import PatrolGeo
public import PatrolModel

/// Plans corridor and perimeter routes: parallel camera passes along a line (a road) or a closed
/// boundary (the community fence), so that the swaths together cover a band of the asked width.
///
/// Passes are offset copies of the centreline (GEOS buffers for rings, offset curves for lines),
/// spread evenly so neighbouring swaths overlap at least by the mission's side overlap. Parts of a
/// pass inside a no-fly zone or a tower's clearance at survey altitude are cut out, flown around,
/// and listed in the plan's notes.
public enum CorridorPlanner {
    /// Plans the corridor route for `mission` over `site`.
    ///
    /// - Throws: ``PlanError`` when the mission is not a corridor, its hive is unknown, nothing
    ///   of the band can be flown, or the route breaks a rule.
    public static func plan(_ mission: Mission, site: Site) throws(PlanError) -> CoveragePlan {
        guard case .corridor(let spec) = mission.kind else {
            throw PlanError(.unknownReference, "not a corridor mission", mission: mission.id)
        }
        return try PlanError.mapping(mission: mission.id) {
            let frame = try SiteFrame(crs: site.crs)
            var assembly = try RouteAssembly(mission: mission, site: site, frame: frame)
            let footprint = CameraFootprint(
                altitude: mission.altitude, horizontalFOVDegrees: mission.camera.horizontalFOV,
                verticalFOVDegrees: mission.camera.verticalFOV)
            let spacing = footprint.lineSpacing(sideOverlap: mission.camera.sideOverlap)
            let offsets = passOffsets(width: spec.width, offset: spec.offset, swath: footprint.width, spacing: spacing)
            let (band, passes) = try geometry(spec, frame: frame, offsets: offsets)
            guard !band.isEmpty else { throw PlanError(.empty, "the corridor band is empty", mission: mission.id) }

            var notes: [String] = []
            var flown: [LineString] = []
            for (index, whole) in passes.enumerated() {
                // A closed pass starts at its corner nearest the drone, then is cut around obstacles.
                let closed = whole.points.count > 2 && whole.points.first == whole.points.last
                let pass = closed ? rotated(whole, nearest: assembly.position) : whole
                let (pieces, note) = try assembly.cut(pass, altitude: mission.altitude, what: "pass \(index + 1)")
                if let note { notes.append(note) }
                for piece in order(pieces, from: assembly.position) {
                    try assembly.survey(piece.points, altitude: mission.altitude, what: "corridor pass \(index + 1)")
                    flown.append(piece)
                }
            }
            guard !flown.isEmpty else { throw PlanError(.empty, "no corridor pass can be flown", mission: mission.id) }
            let exclusions = try RouteCheck.exclusions(site: site, frame: frame, altitude: mission.altitude)
            let target = try band.difference(MultiPolygon.union(exclusions.map(\.area)))
            let area = band.polygons.max { $0.area < $1.area }!
            return try assembly.finish(
                area: area, target: target, passes: flown, footprint: footprint,
                lineSpacing: offsets.count > 1
                    ? offsets[1] - offsets[0] : footprint.width, extraFence: band.polygons, notes: notes)
        }
    }

    /// Offsets of the passes from the centreline: as few as cover `width` around `offset` with
    /// swaths `swath` wide no more than `spacing` apart, the outermost swaths flush with the band's edges.
    static func passOffsets(width: Double, offset: Double, swath: Double, spacing: Double) -> [Double] {
        guard width > swath else { return [offset] }
        let count = Int(((width - swath) / spacing).rounded(.up)) + 1
        let step = (width - swath) / Double(count - 1)
        return (0..<count).map { offset - (width - swath) / 2 + step * Double($0) }
    }

    /// The band to cover and the pass lines, in site metres.
    static func geometry(
        _ spec: CorridorSpec, frame: SiteFrame, offsets: [Double]
    ) throws(GeoError) -> (MultiPolygon, [LineString]) {
        switch spec.centreline {
        case .ring(let ring):
            let polygon = MultiPolygon(Polygon(exterior: try frame.project(ring)).normalisedWinding)
            let outer = try polygon.buffered(by: spec.offset + spec.width / 2)
            let inner = try polygon.buffered(by: spec.offset - spec.width / 2)
            let band = try outer.difference(inner)
            // Exterior rings of the grown or shrunk boundary run counter-clockwise.
            var passes: [LineString] = []
            for d in offsets { passes += try polygon.buffered(by: d).polygons.map { LineString($0.exterior) } }
            return (band, passes)
        case .line(let line):
            let centre = LineString(try frame.project(line))
            let middle = try centre.offset(by: spec.offset)
            let band = try MultiPolygon.union(
                middle.map { (piece) throws(GeoError) in try piece.swath(width: spec.width) })
            var passes: [LineString] = []
            for (k, d) in offsets.enumerated() {
                let pieces = try centre.offset(by: d)
                // Every other pass flown back, as a boustrophedon.
                passes += k % 2 == 0 ? pieces : pieces.reversed().map { LineString($0.points.reversed()) }
            }
            return (band, passes)
        }
    }

    /// The pieces of one pass in flying order: each time the nearest end of what is left,
    /// starting a closed piece at its corner nearest the vehicle.
    static func order(_ pieces: [LineString], from start: XY) -> [LineString] {
        var left = pieces
        var cursor = start
        var result: [LineString] = []
        while !left.isEmpty {
            var best = (index: 0, reversed: false, distance: Double.infinity)
            for (i, piece) in left.enumerated() {
                let a = piece.points[0]
                let b = piece.points[piece.points.count - 1]
                if a.distance(to: cursor) < best.distance { best = (i, false, a.distance(to: cursor)) }
                if b.distance(to: cursor) < best.distance { best = (i, true, b.distance(to: cursor)) }
            }
            var piece = left.remove(at: best.index)
            if best.reversed { piece = LineString(piece.points.reversed()) }
            if piece.points.first == piece.points.last, piece.points.count > 2 {
                piece = rotated(piece, nearest: cursor)
            }
            result.append(piece)
            cursor = piece.points[piece.points.count - 1]
        }
        return result
    }

    /// A closed ring started (and ended) at its corner nearest `point`.
    static func rotated(_ ring: LineString, nearest point: XY) -> LineString {
        let corners = Array(ring.points.dropLast())
        let start = corners.indices.min { corners[$0].distance(to: point) < corners[$1].distance(to: point) } ?? 0
        let turned = Array(corners[start...] + corners[..<start])
        return LineString(turned + [turned[0]])
    }
}
