import Foundation
import PatrolGeo

/// A `sensor_readings` frame holds thousands of readings, so it is read straight from the parsed
/// tree, like ``TelemetryFastPath``, without `Codable`'s generic containers.
///
/// It only ever accepts what the `Codable` path accepts, with the same result: on anything
/// unusual it returns `nil`, and the `Codable` path reads the body again and names the problem.
enum SensorReadingsFastPath {
    static func read(_ node: JSONNode?) -> SensorReadings? {
        guard case .object(let body)? = node, case .array(let items)? = body["readings"] else { return nil }
        var readings: [SensorReading] = []
        readings.reserveCapacity(items.count)
        for item in items {
            guard case .object(let r) = item, case .string(let id)? = r["id"], case .string(let sensor)? = r["sensor"],
                case .string(let kindName)? = r["kind"], let kind = SensorKind(rawValue: kindName),
                case .number(let number)? = r["value"], number.double.isFinite, case .string(let unit)? = r["unit"],
                case .number(let time)? = r["time"], let ms = time.exactly(Int64.self),
                case .object(let l)? = r["location"], let location = location(l)
            else { return nil }
            readings.append(
                SensorReading(
                    id: id, sensor: sensor, kind: kind, value: number.double, unit: unit,
                    time: WireCodec.date(milliseconds: ms), location: location))
        }
        return SensorReadings(readings: readings)
    }

    private static func location(_ l: JSONObject) -> SensorLocation? {
        var location = SensorLocation()
        switch l["building"] {
        case nil, .null?: break
        case .string(let building)?: location.building = building
        default: return nil
        }
        switch l["zone"] {
        case nil, .null?: break
        case .string(let zone)?: location.zone = zone
        default: return nil
        }
        switch l["floor"] {
        case nil, .null?: break
        case .number(let floor)?:
            guard let value = floor.exactly(Int.self) else { return nil }
            location.floor = value
        default: return nil
        }
        switch l["position"] {
        case nil, .null?: break
        case .object(let p)?:
            guard case .number(let lon)? = p["lon"], case .number(let lat)? = p["lat"], lon.double.isFinite,
                lat.double.isFinite
            else { return nil }
            location.position = LonLat(lon: lon.double, lat: lat.double)
        default: return nil
        }
        guard location.position != nil || location.building != nil else { return nil }
        return location
    }
}
