public import Foundation
import PatrolGeo
public import PatrolModel

/// A flight's flown track as plain files for spreadsheets and GIS tools: one row (CSV) or one
/// point (GeoJSON) per telemetry sample, in time order, with time, position, altitude, battery
/// and state.
public enum TrackExport {
    /// The CSV header, in column order.
    public static let csvHeader = "time,lon,lat,altitude_m,heading_deg,speed_mps,battery,state,waypoint"

    /// The track as CSV (RFC 4180, `\n` line ends): times in UTC ISO 8601 with milliseconds,
    /// positions in degrees with 7 decimals (about 1 cm), altitude above the take-off point.
    ///
    /// - Parameter telemetry: the flight's telemetry, in any order.
    public static func csv(_ telemetry: [Telemetry]) -> Data {
        var text = csvHeader + "\n"
        text.reserveCapacity(80 * (telemetry.count + 1))
        for t in sorted(telemetry) {
            text += Format.timestamp(t.time)
            text += ","
            text += [
                Format.number(t.position.lon, 7), Format.number(t.position.lat, 7), Format.number(t.altitude, 2),
                Format.number(t.heading, 1), Format.number(t.speed, 2), Format.number(t.battery, 4),
                t.state.rawValue, String(t.waypointIndex),
            ].joined(separator: ",")
            text += "\n"
        }
        return Data(text.utf8)
    }

    /// The track as a GeoJSON FeatureCollection: one `track` LineString, then one `sample` Point
    /// per telemetry sample with `time`, `altitude_m`, `battery`, `state`, `speed_mps` and
    /// `heading_deg`.
    ///
    /// - Parameters:
    ///   - telemetry: the flight's telemetry, in any order.
    ///   - flightID: written into every feature's `flight` property.
    public static func geojson(_ telemetry: [Telemetry], flightID: String) -> Data {
        let samples = sorted(telemetry)
        var features: [GeoFeature] = []
        if samples.count >= 2 {
            features.append(
                GeoFeature(
                    geometry: .lineString(samples.map(\.position)),
                    properties: [
                        "flight": .string(flightID), "layer": "track", "samples": .number(Double(samples.count)),
                    ]))
        }
        for t in samples {
            features.append(
                GeoFeature(
                    geometry: .point(t.position),
                    properties: [
                        "flight": .string(flightID), "layer": "sample", "time": .string(Format.timestamp(t.time)),
                        "altitude_m": .number(t.altitude), "battery": .number(t.battery),
                        "state": .string(t.state.rawValue), "speed_mps": .number(t.speed),
                        "heading_deg": .number(t.heading),
                    ]))
        }
        return GeoJSON.data(features)
    }

    private static func sorted(_ telemetry: [Telemetry]) -> [Telemetry] {
        telemetry.enumerated()
            .sorted { $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset }
            .map(\.element)
    }
}
