import Foundation
import PatrolGeo
import PatrolModel

/// A report's inputs with every position projected into site metres, once.
struct ProjectedFlight {
    /// A named polygon with a label for the map.
    struct Shape {
        var id: String
        var label: String
        var polygon: Polygon
    }

    /// A point feature on the map.
    struct Marker {
        var id: String
        var position: XY
    }

    /// Telemetry sorted by time.
    var telemetry: [Telemetry]
    /// The telemetry positions, site metres, index for index with ``telemetry``.
    var track: [XY]
    /// The telemetry as coverage samples.
    var samples: [Coverage.Sample]
    /// The planned route's waypoints, site metres.
    var route: [XY]
    var boundary: Polygon
    var towers: [Shape]
    var noFlyZones: [Shape]
    var hive: Marker?
    /// Index for index with the input's detections.
    var detections: [XY]
    /// Index for index with the input's alerts.
    var alerts: [XY]

    /// Projects `input` with `frame`.
    ///
    /// - Throws: ``GeoError`` when a position falls outside the CRS's domain.
    init(_ input: FlightReportInput, frame: SiteFrame) throws(GeoError) {
        let sorted = input.telemetry.enumerated()
            .sorted { $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset }
            .map(\.element)
        telemetry = sorted
        track = try frame.project(sorted.map(\.position))
        let offset = input.groundOffset
        samples = zip(sorted, track).map { Coverage.Sample($0, position: $1, groundOffset: offset) }
        route = try frame.project(input.flight.route.waypoints.map(\.position))
        boundary = try frame.project(input.site.boundary)
        towers = try input.site.towers.map { (tower) throws(GeoError) in
            Shape(
                id: tower.id, label: "\(tower.name): \(Format.number(tower.height, 0)) m",
                polygon: try frame.project(tower.footprint))
        }
        noFlyZones = try input.site.noFlyZones.map { (zone) throws(GeoError) in
            Shape(id: zone.id, label: "\(zone.name) (no-fly: \(zone.reason))", polygon: try frame.project(zone.polygon))
        }
        if let hive = input.site.hive(input.mission.hive) {
            self.hive = Marker(id: hive.id, position: try frame.project(hive.position))
        } else {
            self.hive = nil
        }
        detections = try frame.project(input.detections.map(\.position))
        alerts = try frame.project(input.alerts.map(\.position))
    }

    /// The box the map shows: the planned area, the hive, the route, the track and the alerts.
    func extent(plannedArea: MultiPolygon) -> Bounds {
        var points = plannedArea.polygons.flatMap(\.exterior) + track + route + alerts
        if let hive { points.append(hive.position) }
        if points.isEmpty { points = boundary.exterior }
        return Bounds(points.filter { $0.x.isFinite && $0.y.isFinite })
    }
}
