import Foundation
public import PatrolGeo

extension Site {
    /// Ground height at `point` (site metres) relative to ``groundElevation`` (the origin's ground):
    /// 0 on flat ground, positive up the hill. From ``terrain`` when the site has one, else 0.
    public func groundRise(at point: XY) -> Double {
        guard let terrain else { return 0 }
        return terrain.height(at: point) - groundElevation
    }

    /// Ground height at `point` (site metres), orthometric (metres above mean sea level, EGM96).
    public func groundElevation(at point: XY) -> Double { groundElevation + groundRise(at: point) }

    /// Reads a terrain layer (an ESRI ASCII grid in the site's CRS, heights orthometric).
    ///
    /// - Throws: ``LoadError`` with the file and line of the first problem.
    static func readTerrain(_ url: URL) throws(LoadError) -> Terrain {
        let text = try readText(url)
        do { return try Terrain.parse(asciiGrid: text, file: url.path) } catch {
            let line = error.location.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
            throw LoadError(file: url.path, line: line, message: error.message)
        }
    }
}
