import Foundation
import PatrolGeo

/// Writes a `sensor_readings` body without `JSONEncoder`, which took 40 % of a simulated
/// 400,000-sensor run (docs/benchmarks.md#simulation). The output has the encoder's shape: keys
/// sorted, optional members omitted when `nil`, dates as integer milliseconds, integral doubles
/// without a fraction, and a non-finite double as a string that every strict decoder refuses.
enum SensorReadingsWriter {
    static func append(_ batch: SensorReadings, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + batch.readings.count * 200)
        out += #"{"readings":["#.utf8
        for (index, r) in batch.readings.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"id":"#.utf8
            WireCodec.appendJSONString(r.id, to: &out)
            out += #","kind":""#.utf8
            out += r.kind.rawValue.utf8
            out += #"","location":{"#.utf8
            appendLocation(r.location, to: &out)
            out += #"},"sensor":"#.utf8
            WireCodec.appendJSONString(r.sensor, to: &out)
            out += #","time":"#.utf8
            out += String(WireCodec.milliseconds(r.time)).utf8
            out += #","unit":"#.utf8
            WireCodec.appendJSONString(r.unit, to: &out)
            out += #","value":"#.utf8
            appendNumber(r.value, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += "]}".utf8
    }

    private static func appendLocation(_ l: SensorLocation, to out: inout [UInt8]) {
        var first = true
        func key(_ name: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += "\"\(name)\":".utf8
        }
        if let building = l.building {
            key("building")
            WireCodec.appendJSONString(building, to: &out)
        }
        if let floor = l.floor {
            key("floor")
            out += String(floor).utf8
        }
        if let p = l.position {
            key("position")
            out += #"{"lat":"#.utf8
            appendNumber(p.lat, to: &out)
            out += #","lon":"#.utf8
            appendNumber(p.lon, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        if let zone = l.zone {
            key("zone")
            WireCodec.appendJSONString(zone, to: &out)
        }
    }

    /// A double as JSON: integral values up to 2⁵³ without a fraction, others in Swift's shortest
    /// round-trip form; `NaN` and infinities as strings, as ``WireCodec`` writes them everywhere.
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out += #""NaN""#.utf8
        } else if value.isInfinite {
            out += (value > 0 ? #""Infinity""# : #""-Infinity""#).utf8
        } else if value == value.rounded(.towardZero), abs(value) <= 9_007_199_254_740_992 {
            out += String(Int64(value)).utf8
        } else {
            out += "\(value)".utf8
        }
    }
}
