public import Foundation

/// A flight report rendered in memory: the summary and the three files' contents.
public struct RenderedReport: Hashable, Sendable {
    /// The figures, as in ``json``.
    public var summary: FlightSummary
    /// The coverage the figures came from, in site metres.
    public var coverage: CoverageResult
    /// How well the camera could detect smoke on the planned area.
    public var detectability: DetectabilityResult
    /// The self-contained HTML page.
    public var html: String
    /// ``summary`` encoded by ``FlightSummary/encoded()``.
    public var json: Data
    /// A GeoJSON FeatureCollection in lon/lat: planned and seen areas, gaps, route, track,
    /// detections and alerts.
    public var geojson: Data

    public init(
        summary: FlightSummary, coverage: CoverageResult, detectability: DetectabilityResult, html: String, json: Data,
        geojson: Data
    ) {
        self.summary = summary
        self.coverage = coverage
        self.detectability = detectability
        self.html = html
        self.json = json
        self.geojson = geojson
    }

    /// The file name stem, `flight-<id>`, with characters unsafe in file names replaced by `-`.
    public var baseName: String {
        let safe = summary.flightID.unicodeScalars.map { scalar -> Character in
            let allowed =
                scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "-_.".unicodeScalars.contains(scalar))
            return allowed ? Character(scalar) : "-"
        }
        let stem = String(safe).trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return "flight-\(stem.isEmpty ? "unnamed" : stem)"
    }

    /// Writes `flight-<id>.html`, `flight-<id>.json` and `flight-<id>.geojson` into `directory`,
    /// creating it if needed and replacing files of the same names.
    ///
    /// - Returns: the three files' URLs, in that order.
    /// - Throws: the file system's error (a `CocoaError`) when the directory cannot be created or a
    ///   file cannot be written.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files: [(String, Data)] = [
            ("html", Data(html.utf8)), ("json", json), ("geojson", geojson),
        ]
        return try files.map { ext, data in
            let url = directory.appendingPathComponent("\(baseName).\(ext)", isDirectory: false)
            try data.write(to: url, options: .atomic)
            return url
        }
    }
}
