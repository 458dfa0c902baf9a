import PatrolGeo
import PatrolModel

/// Renders the report written after every flight: what part of the planned area the camera
/// actually saw, the gaps, the detections and alerts, the deviation from the route and the
/// battery, as an HTML page, a JSON summary and a GeoJSON layer.
///
/// Rendering is pure: the same input always gives byte-identical output, and nothing is read
/// from the clock or the locale. Write the result with ``RenderedReport/write(to:)``.
public enum FlightReport {
    /// Renders the report of one flight.
    ///
    /// Telemetry positions, the route, the site's features, detections and alerts are projected
    /// into the site's CRS (``PatrolModel/Site/crs``); coverage counts the samples in which the
    /// vehicle reported ``PatrolModel/VehicleState/surveying``, at the telemetry altitude plus the
    /// hive's pad height above flat ground. Each cell of the planned area is also scored by its
    /// probability of detecting smoke (``Detectability``), with towers occluding the view.
    ///
    /// - Parameter input: the flight and everything about it.
    /// - Returns: the summary, the coverage and the three files' contents.
    /// - Throws: ``GeoError`` with code ``GeoError/Code/unknownCRS`` when PROJ does not know the
    ///   site's CRS, ``GeoError/Code/transformFailed`` when a position cannot be projected, or
    ///   ``GeoError/Code/geometryOperationFailed`` when GEOS fails; `EncodingError` if the summary
    ///   holds a non-finite number.
    public static func render(_ input: FlightReportInput) throws -> RenderedReport {
        let frame = try SiteFrame(crs: input.site.crs)
        let projected = try ProjectedFlight(input, frame: frame)
        let coverage = try Coverage.compute(
            planned: input.plannedArea, samples: projected.samples, camera: input.mission.camera,
            minimumGapArea: input.minimumGapArea)
        let obstacles = zip(input.site.towers, projected.towers).map {
            Detectability.Obstacle(footprint: $1.polygon, height: $0.height)
        }
        let detectability = try Detectability.compute(
            planned: input.plannedArea, samples: projected.samples, camera: input.mission.camera, obstacles: obstacles,
            model: input.detectionModel)
        let summary = FlightSummary(input, projected: projected, coverage: coverage, detectability: detectability)
        let html = ReportPage(
            input: input, projected: projected, coverage: coverage, detectability: detectability, summary: summary
        ).render()
        let geojson = try ReportGeoJSON.data(input: input, projected: projected, coverage: coverage, frame: frame)
        return RenderedReport(
            summary: summary, coverage: coverage, detectability: detectability, html: html, json: try summary.encoded(),
            geojson: geojson)
    }
}
