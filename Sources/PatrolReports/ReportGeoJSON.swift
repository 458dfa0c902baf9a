import Foundation
import PatrolGeo
import PatrolModel

/// The report's GeoJSON layer: what a GIS needs to overlay the flight on other data.
///
/// One FeatureCollection in lon/lat (RFC 7946), each feature tagged with a `layer` property:
/// `planned`, `seen`, one `gap` per gap, `route`, `track`, one `detection` per detection and one
/// `alert` per alert.
enum ReportGeoJSON {
    /// The FeatureCollection for a rendered flight.
    ///
    /// - Throws: ``GeoError`` when a geometry cannot be taken back to lon/lat.
    static func data(
        input: FlightReportInput, projected: ProjectedFlight, coverage: CoverageResult, frame: SiteFrame
    ) throws(GeoError) -> Data {
        let flight: [String: JSONValue] = ["flight": .string(input.flight.id), "mission": .string(input.mission.id)]
        func feature(_ geometry: GeoGeometry, _ layer: String, _ extra: [String: JSONValue]) -> GeoFeature {
            GeoFeature(
                geometry: geometry, properties: flight.merging(extra) { $1 }.merging(["layer": .string(layer)]) { $1 })
        }
        var features: [GeoFeature] = []
        if !input.plannedArea.isEmpty {
            let planned = try geographic(input.plannedArea, frame)
            features.append(feature(.multiPolygon(planned), "planned", ["area_m2": number(coverage.plannedArea)]))
        }
        if !coverage.seen.isEmpty {
            let seen = try geographic(coverage.seen, frame)
            features.append(
                feature(
                    .multiPolygon(seen), "seen",
                    [
                        "area_m2": number(coverage.seenArea), "coverage_percent": number(coverage.percent),
                    ]))
        }
        for (index, gap) in coverage.gaps.polygons.enumerated() {
            let polygon = try frame.unproject(gap.normalisedWinding)
            features.append(
                feature(.polygon(polygon), "gap", ["index": .number(Double(index + 1)), "area_m2": number(gap.area)]))
        }
        let route = input.flight.route.waypoints.map(\.position)
        if route.count >= 2 { features.append(feature(.lineString(route), "route", [:])) }
        let track = projected.telemetry.map(\.position)
        if track.count >= 2 {
            var properties: [String: JSONValue] = ["samples": .number(Double(track.count))]
            if let first = projected.telemetry.first, let last = projected.telemetry.last {
                properties["start"] = .string(first.time.formatted(.iso8601))
                properties["end"] = .string(last.time.formatted(.iso8601))
            }
            features.append(feature(.lineString(track), "track", properties))
        }
        for detection in input.detections {
            features.append(
                feature(
                    .point(detection.position), "detection",
                    [
                        "id": .string(detection.id), "class": .string(detection.kind.rawValue),
                        "confidence": number(detection.confidence), "time": .string(detection.time.formatted(.iso8601)),
                    ]))
        }
        for alert in input.alerts {
            features.append(
                feature(
                    .point(alert.position), "alert",
                    [
                        "id": .string(alert.id), "class": .string(alert.kind.rawValue),
                        "state": .string(alert.state.rawValue),
                        "confidence": number(alert.confidence), "observations": .number(Double(alert.observations)),
                        "first_seen": .string(alert.firstSeen.formatted(.iso8601)),
                    ]))
        }
        return GeoJSON.data(features)
    }

    /// An area in site metres as lon/lat polygons, exteriors counter-clockwise.
    private static func geographic(_ area: MultiPolygon, _ frame: SiteFrame) throws(GeoError) -> [GeoPolygon] {
        try area.polygons.map { (polygon) throws(GeoError) in try frame.unproject(polygon.normalisedWinding) }
    }

    /// A finite number rounded to centimetres (square or linear), or `null`.
    private static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .number((value * 100).rounded() / 100) : .null
    }
}
