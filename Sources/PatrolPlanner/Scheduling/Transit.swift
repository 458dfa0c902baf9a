public import PatrolGeo

/// A straight flight from one point to another within a band of altitude over a span of time:
/// the way an urgent sortie's drone takes to its target (diverted from where it flies, or from
/// its hive), the look there and the way back, as the coordinator judges it for separation.
///
/// It is judged in time against another drone's ``Trajectory``
/// (``conflict(with:now:age:buffer:vertical:margin:)``). Against a sortie without one, it is judged
/// by the scheduler's rule (``Sortie/conflicts(with:buffer:vertical:)``) with the segment itself in
/// place of a box: it shares a sortie's airspace when their times overlap, the segment passes
/// within twice the horizontal buffer of the sortie's extent (each grown by the buffer), and their
/// altitude bands are closer than the vertical separation.
public struct Transit: Hashable, Sendable, Codable {
    /// From where, to where (the target), site metres.
    public var from: XY
    public var to: XY
    /// When it starts and ends (the way there, the look and the way back), in the same seconds
    /// as the sorties it is judged against.
    public var start: Double
    public var end: Double
    /// Lowest and highest altitude flown, metres above the hive's ground.
    public var lowest: Double
    public var highest: Double
    /// When its drone is expected overhead and when its look ends (it is then on its way back
    /// until ``end``): the timing by which it is judged against other drones' trajectories
    /// (``conflict(with:now:age:buffer:vertical:margin:)``). `nil` in a transit kept before they
    /// were: it is then at every point of its segment throughout.
    public var overhead: Double?
    public var lookEnd: Double?
    /// When it leaves `from` (after a hive's launch delay and the climb in its column; `nil`:
    /// at ``start``).
    public var departure: Double?

    public init(
        from: XY, to: XY, start: Double, end: Double, lowest: Double, highest: Double, overhead: Double? = nil,
        lookEnd: Double? = nil, departure: Double? = nil
    ) {
        self.from = from
        self.to = to
        self.start = start
        self.end = end
        self.lowest = lowest
        self.highest = highest
        self.overhead = overhead
        self.lookEnd = lookEnd
        self.departure = departure
    }

    /// Whether this transit and `sortie` share airspace at the same time.
    public func conflicts(with sortie: Sortie, buffer: Double, vertical: Double) -> Bool {
        guard start < sortie.end, sortie.start < end else { return false }
        guard Self.distance(from: from, to: to, box: sortie.bounds) <= 2 * buffer else { return false }
        return lowest - vertical < sortie.highest && sortie.lowest - vertical < highest
    }

    /// Whether this transit and `other` share airspace at the same time (two diversions).
    public func conflicts(with other: Transit, buffer: Double, vertical: Double) -> Bool {
        guard start < other.end, other.start < end else { return false }
        guard Self.distance(from: from, to: to, segment: other.from, other.to) <= 2 * buffer else { return false }
        return lowest - vertical < other.highest && other.lowest - vertical < highest
    }

    /// The shortest distance between the segment `a`–`b` and the box, metres (0 when they meet).
    public static func distance(from a: XY, to b: XY, box: Bounds) -> Double {
        if crosses(a, b, box) { return 0 }
        let corners = [box.min, XY(box.max.x, box.min.y), box.max, XY(box.min.x, box.max.y)]
        var best = Swift.min(pointDistance(a, box), pointDistance(b, box))
        for c in corners { best = Swift.min(best, pointDistance(c, a, b)) }
        return best
    }

    /// The shortest distance between the segments `a`–`b` and `c`–`d`, metres.
    public static func distance(from a: XY, to b: XY, segment c: XY, _ d: XY) -> Double {
        if properlyCross(a, b, c, d) { return 0 }
        return Swift.min(
            pointDistance(a, c, d), pointDistance(b, c, d), pointDistance(c, a, b), pointDistance(d, a, b))
    }

    /// Whether the segment `a`–`b` meets the box (Liang–Barsky clipping).
    static func crosses(_ a: XY, _ b: XY, _ box: Bounds) -> Bool {
        var t0 = 0.0
        var t1 = 1.0
        let d = b - a
        for (p, q) in [
            (-d.x, a.x - box.min.x), (d.x, box.max.x - a.x), (-d.y, a.y - box.min.y), (d.y, box.max.y - a.y),
        ] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { t0 = Swift.max(t0, r) } else { t1 = Swift.min(t1, r) }
                if t0 > t1 { return false }
            }
        }
        return true
    }

    static func pointDistance(_ p: XY, _ box: Bounds) -> Double {
        let dx = Swift.max(box.min.x - p.x, 0, p.x - box.max.x)
        let dy = Swift.max(box.min.y - p.y, 0, p.y - box.max.y)
        return (dx * dx + dy * dy).squareRoot()
    }

    static func pointDistance(_ p: XY, _ a: XY, _ b: XY) -> Double {
        let d = b - a
        let length2 = d.x * d.x + d.y * d.y
        guard length2 > 0 else { return p.distance(to: a) }
        let t = Swift.min(1, Swift.max(0, ((p.x - a.x) * d.x + (p.y - a.y) * d.y) / length2))
        return p.distance(to: a + d * t)
    }

    static func properlyCross(_ a: XY, _ b: XY, _ c: XY, _ d: XY) -> Bool {
        func side(_ p: XY, _ q: XY, _ r: XY) -> Double { (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x) }
        let d1 = side(c, d, a)
        let d2 = side(c, d, b)
        let d3 = side(a, b, c)
        let d4 = side(a, b, d)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }
}
