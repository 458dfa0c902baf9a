import Foundation

/// How likely the camera is to detect smoke on one ground cell from one frame, from the ground
/// sample distance and the viewing angle. Occlusion by towers is decided separately, by ray.
///
/// The figures are assumptions, not measurements, chosen for a smoke detector that works on
/// frames scaled down to ``imageWidthPixels`` across: a young plume is about a metre across, so
/// it needs to cover a few tens of pixels. See `docs/reports.md`.
public struct DetectionModel: Hashable, Sendable, Codable {
    /// Pixels across track in the frames the detector sees (after any scaling).
    public var imageWidthPixels: Double
    /// Ground sample distance at or below which the image is sharp enough, metres per pixel.
    public var fullGSD: Double
    /// Ground sample distance at or above which smoke is not detected, metres per pixel.
    public var zeroGSD: Double
    /// Viewing angle from the vertical beyond which a cell is not scored, degrees.
    public var maximumOffNadir: Double
    /// The probability at or above which a cell counts as seen well enough.
    public var threshold: Double
    /// The side of a scored ground cell, metres.
    public var cellSize: Double

    public init(
        imageWidthPixels: Double = 1280, fullGSD: Double = 0.05, zeroGSD: Double = 0.25, maximumOffNadir: Double = 60,
        threshold: Double = 0.5, cellSize: Double = 5
    ) {
        self.imageWidthPixels = imageWidthPixels
        self.fullGSD = fullGSD
        self.zeroGSD = zeroGSD
        self.maximumOffNadir = maximumOffNadir
        self.threshold = threshold
        self.cellSize = cellSize
    }

    /// The model the reports use.
    public static let standard = DetectionModel()

    /// The probability of detecting smoke on the ground `distance` metres (horizontally) from a
    /// camera `height` metres above it, ignoring occlusion.
    ///
    /// The ground sample distance grows with the slant range and with the foreshortening of
    /// oblique ground: `gsd = h · ifov / cos² θ`, where `ifov = 2 tan(hfov / 2) / pixels` and
    /// θ is the angle from the vertical. The probability is 1 up to ``fullGSD``, falls linearly
    /// to 0 at ``zeroGSD``, and is multiplied by `cos θ` (smoke seen obliquely is seen through
    /// more canopy and haze); 0 beyond ``maximumOffNadir``.
    ///
    /// - Parameter horizontalFOV: the camera's across-track field of view, degrees.
    public func probability(height: Double, distance: Double, horizontalFOV: Double) -> Double {
        guard height > 0, distance.isFinite else { return 0 }
        let angle = atan2(distance, height)
        guard angle * 180 / .pi <= maximumOffNadir else { return 0 }
        let cosine = cos(angle)
        let ifov = 2 * tan(horizontalFOV * .pi / 360) / imageWidthPixels
        let gsd = height * ifov / (cosine * cosine)
        let sharpness = min(1, max(0, (zeroGSD - gsd) / (zeroGSD - fullGSD)))
        return sharpness * cosine
    }
}
