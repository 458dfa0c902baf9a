public import PatrolGeo

/// Where a drone is expected to be over time: timed points (site metres, altitude above its hive's
/// ground), flown in straight lines between them. The coordinator builds one for each drone in the
/// air from its last telemetry and the rest of its route on the route's planned timing (each leg's
/// horizontal length at the leg's speed plus its climb or descent at the vertical speed, as
/// ``PatrolTask/profile(from:resumeAt:drone:wind:)`` counts a sortie's time), and for each queued
/// sortie from its planned launch. An urgent sortie's ``Transit`` is judged against it in time
/// (``Transit/conflict(with:now:age:buffer:vertical:margin:)``) rather than against the whole
/// extent and altitude band of the other drone's sortie.
public struct Trajectory: Hashable, Sendable, Codable {
    public struct Point: Hashable, Sendable, Codable {
        /// Seconds, in the same clock as the transits judged against it.
        public var time: Double
        public var xy: XY
        public var altitude: Double

        public init(time: Double, xy: XY, altitude: Double) {
            self.time = time
            self.xy = xy
            self.altitude = altitude
        }
    }

    /// In time order, at least one.
    public var points: [Point]

    public init(_ points: [Point]) {
        precondition(!points.isEmpty, "a trajectory needs at least one point")
        self.points = points
    }

    public var start: Double { points[0].time }
    public var end: Double { points[points.count - 1].time }

    /// A trajectory that starts at `time` at `xy`, `altitude`, then flies through `path` in order:
    /// each leg at its speed (`speeds[i]` for the leg ending at `path[i]`, else `speed`), plus its
    /// climb or descent at `verticalSpeed`.
    public static func flying(
        from xy: XY, altitude: Double, at time: Double, through path: [PathPoint], speeds: [Double] = [],
        speed: Double, verticalSpeed: Double
    ) -> Trajectory {
        var points = [Point(time: time, xy: xy, altitude: altitude)]
        for (i, p) in path.enumerated() {
            let last = points[points.count - 1]
            let v = i < speeds.count && speeds[i] > 0 ? min(speeds[i], speed) : speed
            let dt =
                last.xy.distance(to: p.xy) / max(v, 0.1) + abs(p.altitude - last.altitude) / max(verticalSpeed, 0.1)
            points.append(Point(time: last.time + dt, xy: p.xy, altitude: p.altitude))
        }
        return Trajectory(points)
    }

    /// The position at `time`, clamped to the first and last points.
    public func at(_ time: Double) -> (xy: XY, altitude: Double) {
        if time <= start { return (points[0].xy, points[0].altitude) }
        if time >= end { return (points[points.count - 1].xy, points[points.count - 1].altitude) }
        let i = index(after: time)
        let (a, b) = (points[i - 1], points[i])
        let f = b.time > a.time ? (time - a.time) / (b.time - a.time) : 1
        return (a.xy + (b.xy - a.xy) * f, a.altitude + (b.altitude - a.altitude) * f)
    }

    /// The part flown from `from` to `to` (both clamped to the trajectory), as points: the position
    /// at `from`, every point in between, the position at `to`. Empty when the two do not meet.
    public func part(from: Double, to: Double) -> [Point] {
        let a = max(from, start)
        let b = min(to, end)
        guard a <= b else { return [] }
        let first = at(a)
        var part = [Point(time: a, xy: first.xy, altitude: first.altitude)]
        var i = index(after: a)
        while i < points.count, points[i].time < b {
            part.append(points[i])
            i += 1
        }
        let last = at(b)
        part.append(Point(time: b, xy: last.xy, altitude: last.altitude))
        return part
    }

    /// The index of the first point later than `time` (binary search).
    func index(after time: Double) -> Int {
        var (lo, hi) = (0, points.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].time <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension Trajectory {
    /// Seconds between two instants judged: a drone flies at most 15 m/s, well within the 60 m
    /// of the horizontal rule.
    public static let timeStep = 1.0

    /// The first instant at which this trajectory and `other` come within separation: this one's
    /// position then, and the other's anywhere within `margin`'s slack of that instant (its timing
    /// error), closer than twice `buffer` horizontally (each drone's extent grown by the buffer, as
    /// the scheduler's rule) while their altitudes are closer than `vertical`. This one's altitude
    /// is `band` at every instant when given (a drone climbing while it flies), else its own.
    /// `now` and `age` (of the telemetry `other` starts from) set the slack. `nil` when they keep apart.
    public func conflict(
        with other: Trajectory, band: ClosedRange<Double>? = nil, now: Double, age: Double, buffer: Double,
        vertical: Double, margin: TimingMargin
    ) -> TrajectoryConflict? {
        let reach = margin.slack(age: age, ahead: end - now)
        guard start <= other.end + reach, other.start - reach <= end else { return nil }
        var t = start
        while true {
            let slack = margin.slack(age: age, ahead: t - now)
            let part = other.part(from: t - slack, to: t + slack)
            if !part.isEmpty {
                let here = at(t)
                if Transit.distance(from: here.xy, to: part) <= 2 * buffer {
                    let altitudes = part.map(\.altitude)
                    let (low, high) = (altitudes.min()!, altitudes.max()!)
                    let mine = band ?? here.altitude...here.altitude
                    if mine.lowerBound - vertical < high, low - vertical < mine.upperBound {
                        return TrajectoryConflict(time: t, highest: high)
                    }
                }
            }
            if t >= end { return nil }
            t = Swift.min(end, t + Self.timeStep)
        }
    }
}

/// How far in time another drone may be from where its trajectory puts it, when an urgent
/// sortie's way is judged against it: `base` seconds, plus the age of the telemetry it starts from,
/// plus `growth` times the seconds ahead of now (the route's timing error: wind, turns, a slow or
/// fast leg). The other drone is taken to be anywhere its trajectory passes within that many
/// seconds before or after each instant of the urgent sortie's way.
public struct TimingMargin: Hashable, Sendable, Codable {
    public var base: Double
    public var growth: Double

    public init(base: Double = 15, growth: Double = 0.15) {
        self.base = base
        self.growth = growth
    }

    /// Seconds either side of `ahead` seconds from now, from telemetry `age` seconds old.
    public func slack(age: Double, ahead: Double) -> Double { base + max(0, age) + growth * max(0, ahead) }
}

/// Where a transit and another drone's trajectory would come within separation.
public struct TrajectoryConflict: Hashable, Sendable {
    /// The first instant of the transit found in conflict.
    public var time: Double
    /// The highest altitude of the other drone within the margin around that instant: a transit
    /// whose lowest point is the vertical separation above it clears it there.
    public var highest: Double
}

extension Transit {
    /// The first instant at which this transit and `other` (a drone's trajectory) come within
    /// separation (``Trajectory/conflict(with:band:now:age:buffer:vertical:margin:)`` with the
    /// transit's whole band at every instant: its drone climbs while it flies). A transit whose
    /// timing is not known counts at every point of its segment throughout. `nil` when they keep apart.
    public func conflict(
        with other: Trajectory, now: Double, age: Double, buffer: Double, vertical: Double, margin: TimingMargin
    ) -> TrajectoryConflict? {
        if let mine = trajectory {
            return mine.conflict(
                with: other, band: lowest...highest, now: now, age: age, buffer: buffer, vertical: vertical,
                margin: margin)
        }
        let reach = margin.slack(age: age, ahead: end - now)
        let part = other.part(from: start - reach, to: end + reach)
        guard !part.isEmpty else { return nil }
        let distance =
            part.count == 1
            ? Self.distance(from: from, to: to, segment: part[0].xy, part[0].xy)
            : zip(part, part.dropFirst()).map { Self.distance(from: from, to: to, segment: $0.xy, $1.xy) }.min()!
        let altitudes = part.map(\.altitude)
        guard distance <= 2 * buffer, lowest - vertical < altitudes.max()!, altitudes.min()! - vertical < highest
        else { return nil }
        return TrajectoryConflict(time: start, highest: altitudes.max()!)
    }

    /// This transit as a trajectory: over `from` until its departure, climbing from the bottom of
    /// its band to its top on the way out, at the top over the target and on the way back; `nil`
    /// when its timing is not known.
    public var trajectory: Trajectory? {
        guard let overhead, let lookEnd else { return nil }
        let leaves = min(max(departure ?? start, start), overhead)
        return Trajectory([
            .init(time: start, xy: from, altitude: lowest), .init(time: leaves, xy: from, altitude: lowest),
            .init(time: overhead, xy: to, altitude: highest),
            .init(time: lookEnd, xy: to, altitude: highest), .init(time: end, xy: from, altitude: highest),
        ])
    }

    /// The shortest horizontal distance from `p` to the polyline `part`, metres.
    static func distance(from p: XY, to part: [Trajectory.Point]) -> Double {
        guard part.count > 1 else { return p.distance(to: part[0].xy) }
        return zip(part, part.dropFirst()).map { pointDistance(p, $0.xy, $1.xy) }.min()!
    }
}
