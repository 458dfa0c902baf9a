import Foundation
import PatrolGeo
import PatrolModel

@testable import PatrolReports

/// A synthetic survey: a 400 × 300 m rectangle near EPSG:4547 (513000 E, 2497000 N) swept by
/// north–south lines at the hill mission's camera settings (50 m, 70° × 55°, side overlap 0.3).
enum Sweep {
    static let origin = XY(513_000, 2_497_000)
    static let width = 400.0
    static let height = 300.0
    static let altitude = 50.0
    static let camera = CameraSpec(horizontalFOV: 70, verticalFOV: 55, sideOverlap: 0.3, frontOverlap: 0.6)
    static let footprint = CameraFootprint(altitude: altitude, horizontalFOVDegrees: 70, verticalFOVDegrees: 55)
    /// About 49 m: 70 % of the 70 m footprint width.
    static let spacing = footprint.lineSpacing(sideOverlap: camera.sideOverlap)
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static let speed = 8.0
    static let interval = 0.5

    static let area = MultiPolygon(
        Polygon(corners: [origin, origin + XY(width, 0), origin + XY(width, height), origin + XY(0, height)]))

    /// Sweep line eastings relative to the origin: the first at half a spacing, then every spacing
    /// until the footprints reach the east edge (8 lines).
    static func lineOffsets(shift: Double = 0) -> [Double] {
        var lines: [Double] = []
        var x = spacing / 2
        while true {
            lines.append(x + shift)
            if x + footprint.width / 2 >= width { return lines }
            x += spacing
        }
    }

    /// One vertex of a flight path and the state the vehicle reports on the leg that ends there.
    struct Leg {
        var to: XY
        var state: VehicleState
    }

    /// The boustrophedon over `lines` (eastings relative to the origin), running 10 m past both
    /// edges; turns between lines are flown in `transit`, lines in `lineState(index)`.
    static func legs(lines: [Double], lineState: (Int) -> VehicleState = { _ in .surveying }) -> (XY, [Leg]) {
        var legs: [Leg] = []
        var first: XY?
        for (index, x) in lines.enumerated() {
            let (y0, y1) = index.isMultiple(of: 2) ? (-10.0, height + 10) : (height + 10, -10.0)
            let a = origin + XY(x, y0)
            if first == nil { first = a } else { legs.append(Leg(to: a, state: .transit)) }
            legs.append(Leg(to: origin + XY(x, y1), state: lineState(index)))
        }
        return (first ?? origin, legs)
    }

    /// Samples every ``interval`` seconds at ``speed`` along `legs` from `from`, headings along the
    /// leg, at ``altitude``; `offset` displaces every surveying sample (to test deviation).
    static func fly(from: XY, _ legs: [Leg], offset: XY = XY(0, 0))
        -> [(time: Date, position: XY, heading: Double, state: VehicleState)]
    {
        var out: [(time: Date, position: XY, heading: Double, state: VehicleState)] = []
        var here = from
        var t = 0.0
        for leg in legs {
            let d = leg.to - here
            let steps = max(1, Int((d.length / (speed * interval)).rounded(.up)))
            let heading = (90 - atan2(d.y, d.x) * 180 / .pi).truncatingRemainder(dividingBy: 360)
            for step in (out.isEmpty ? 0 : 1)...steps {
                let p = here + d * (Double(step) / Double(steps))
                out.append(
                    (
                        start + t, leg.state == .surveying ? p + offset : p,
                        (heading + 360).truncatingRemainder(dividingBy: 360), leg.state
                    ))
                t += interval
            }
            here = leg.to
        }
        return out
    }

    /// Coverage samples for a flight over `lines`.
    static func samples(lines: [Double], lineState: (Int) -> VehicleState = { _ in .surveying }) -> [Coverage.Sample] {
        let (from, path) = legs(lines: lines, lineState: lineState)
        return fly(from: from, path).map {
            Coverage.Sample(
                time: $0.time, position: $0.position, heightAboveGround: altitude, heading: $0.heading,
                isRecording: $0.state == .surveying)
        }
    }
}
