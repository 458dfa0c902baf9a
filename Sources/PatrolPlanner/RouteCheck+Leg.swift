import PatrolGeo
import PatrolModel

extension RouteCheck {
    /// One leg of a route as the checks see it: its ends in site metres and its heights above ground.
    struct Leg {
        /// Index of the waypoint the leg starts at (equal to ``to`` for the take-off climb).
        var from: Int
        var to: Int
        var a: XY
        var b: XY
        /// Heights above local ground at either end, metres.
        var lowAGL: Double
        var highAGL: Double
        var startAGL: Double
        var endAGL: Double
        var speed: Double
        var kind: Waypoint.Kind
        /// Altitudes above the take-off point at either end, metres.
        var startAltitude = 0.0
        var endAltitude = 0.0

        var location: Location { from == to ? .waypoint(to) : .leg(from, to) }
        /// Where the finding is drawn: the waypoint, or both ends of the leg.
        var ends: [XY] { a == b ? [a] : [a, b] }
        var horizontal: Double { a.distance(to: b) }
        /// The leg as a line, a tiny segment when it is vertical (GEOS needs two distinct points).
        var line: LineString { a == b ? LineString([a, a + XY(0.01, 0)]) : LineString([a, b]) }

        /// Points along the leg every `step` metres, both ends included.
        func samples(step: Double = 1) -> [XY] {
            let n = max(1, Int((horizontal / step).rounded(.up)))
            return (0...n).map { a + (b - a) * (Double($0) / Double(n)) }
        }

        /// The route's legs; the first is the climb from the pad at the first waypoint.
        ///
        /// - Parameter rise: metres the ground rises at a point above the ground below the origin
        ///   (the site's terrain); heights above ground at either end are measured from it.
        static func all(route: Route, xy: [XY], groundOffset: Double, rise: (XY) -> Double = { _ in 0 }) -> [Leg] {
            let w = route.waypoints
            guard !w.isEmpty, xy.count == w.count else { return [] }
            let padAGL = groundOffset - rise(xy[0])
            let firstAGL = w[0].altitude + padAGL
            var legs = [
                Leg(
                    from: 0, to: 0, a: xy[0], b: xy[0], lowAGL: min(padAGL, firstAGL), highAGL: max(padAGL, firstAGL),
                    startAGL: padAGL, endAGL: firstAGL, speed: w[0].speed, kind: w[0].kind, startAltitude: 0,
                    endAltitude: w[0].altitude)
            ]
            for i in w.indices.dropFirst() {
                let start = w[i - 1].altitude + groundOffset - rise(xy[i - 1])
                let end = w[i].altitude + groundOffset - rise(xy[i])
                legs.append(
                    Leg(
                        from: i - 1, to: i, a: xy[i - 1], b: xy[i], lowAGL: min(start, end), highAGL: max(start, end),
                        startAGL: start, endAGL: end, speed: w[i].speed, kind: w[i].kind,
                        startAltitude: w[i - 1].altitude, endAltitude: w[i].altitude))
            }
            return legs
        }
    }
}

/// Metres, or a height band, for messages: `12.4 m`, `50 m AGL`, `50–60 m AGL`.
enum Figures {
    static func metres(_ value: Double) -> String { "\(tenths(value)) m" }

    static func tenths(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }

    static func band(_ low: Double, _ high: Double) -> String {
        tenths(low) == tenths(high) ? "at \(tenths(low)) m AGL" : "at \(tenths(low))–\(tenths(high)) m AGL"
    }
}
