import Foundation

/// What a height is measured from; every API that takes a height says which one it means.
public enum HeightReference: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Metres above the WGS 84 ellipsoid, as a GNSS receiver reports before any geoid model.
    case ellipsoidal
    /// Metres above mean sea level, modelled by the EGM96 geoid (PROJ grid `us_nga_egm96_15.tif`
    /// or its older name `egm96_15.gtx`, from the `proj-data` package).
    case orthometric

    /// The geoid grid files PROJ can use for ``orthometric`` heights, in order of preference.
    public static let geoidGrids = ["us_nga_egm96_15.tif", "egm96_15.gtx"]

    /// The first of ``geoidGrids`` installed in PROJ's data directory, or `nil` when none is.
    public static var installedGeoidGrid: String? { installedGeoidGrid(in: Transformer.dataDirectory) }

    static func installedGeoidGrid(in directory: String) -> String? {
        geoidGrids.first { FileManager.default.fileExists(atPath: directory + "/" + $0) }
    }

    /// The geoid grid to use.
    ///
    /// - Throws: ``GeoError`` with code ``GeoError/Code/missingGrid`` when no EGM96 grid is installed,
    ///   rather than silently treating orthometric heights as ellipsoidal.
    static func requireGeoidGrid(in directory: String = Transformer.dataDirectory) throws(GeoError) -> String {
        guard let grid = installedGeoidGrid(in: directory) else {
            throw GeoError(
                .missingGrid,
                "orthometric heights need the EGM96 geoid grid (\(geoidGrids.joined(separator: " or "))) and none is "
                    + "installed; install `proj-data` or give ellipsoidal heights",
                location: directory)
        }
        return grid
    }

    /// `ellipsoidal` or `orthometric`.
    public var description: String { rawValue }
}
