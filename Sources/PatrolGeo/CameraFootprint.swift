import Foundation

/// The ground footprint of a nadir-pointing camera over flat ground.
public struct CameraFootprint: Hashable, Codable, Sendable {
    /// Across-track extent on the ground, in metres.
    public var width: Double
    /// Along-track extent on the ground, in metres.
    public var length: Double

    /// The footprint at `altitude` metres above the ground for the given fields of view.
    public init(altitude: Double, horizontalFOVDegrees: Double, verticalFOVDegrees: Double) {
        width = 2 * altitude * tan(horizontalFOVDegrees * .pi / 360)
        length = 2 * altitude * tan(verticalFOVDegrees * .pi / 360)
    }

    /// The distance between adjacent sweep lines for a given side overlap (0 to <1).
    public func lineSpacing(sideOverlap: Double) -> Double { width * (1 - sideOverlap) }

    /// The distance between consecutive frames for a given front overlap (0 to <1).
    public func triggerSpacing(frontOverlap: Double) -> Double { length * (1 - frontOverlap) }

    /// The footprint rectangle centred on `centre`, its length along `heading` (radians,
    /// counter-clockwise from east).
    public func polygon(centre: XY, heading: Double) -> Polygon {
        let along = XY(cos(heading), sin(heading)) * (length / 2)
        let across = XY(-sin(heading), cos(heading)) * (width / 2)
        return Polygon(corners: [
            centre - along - across, centre + along - across, centre + along + across, centre - along + across,
        ])
    }
}
