import Foundation
import PatrolGeo
import PatrolModel

/// Telemetry is nearly everything a link carries, so it is read straight from the parsed tree,
/// without `Codable`'s generic containers (which cost more than the JSON parse itself).
///
/// The fast path only ever accepts what the `Codable` path accepts, with the same result: on
/// anything unusual it returns `nil`, and the `Codable` path reads the body again and names the
/// problem. `WireCodecTests` checks the two agree.
enum TelemetryFastPath {
    static func read(_ node: JSONNode?) -> TelemetryReport? {
        guard case .object(let body)? = node, case .object(let t)? = body["telemetry"] else { return nil }
        let flightID: String?
        switch body["flight_id"] {
        case nil, .null?: flightID = nil
        case .string(let id)?: flightID = id
        default: return nil
        }
        guard case .number(let time)? = t["time"], let ms = time.exactly(Int64.self),
            case .object(let position)? = t["position"], let lon = double(position["lon"]),
            let lat = double(position["lat"]), let altitude = double(t["altitude"]),
            let heading = double(t["heading"]), let speed = double(t["speed"]), let battery = double(t["battery"]),
            case .string(let stateName)? = t["state"], let state = VehicleState(rawValue: stateName),
            case .number(let index)? = t["waypoint_index"], let waypointIndex = index.exactly(Int.self)
        else { return nil }
        guard let linkQuality = optional(t["link_quality"]), let altitudeAMSL = optional(t["altitude_amsl"]),
            let verticalSpeed = optional(t["vertical_speed"])
        else { return nil }
        let attitude: Attitude?
        switch t["attitude"] {
        case nil, .null?: attitude = nil
        case .object(let a)?:
            guard let roll = double(a["roll"]), let pitch = double(a["pitch"]), let yaw = double(a["yaw"]) else {
                return nil
            }
            attitude = Attitude(roll: roll, pitch: pitch, yaw: yaw)
        default: return nil
        }
        return TelemetryReport(
            flightID: flightID,
            telemetry: Telemetry(
                time: WireCodec.date(milliseconds: ms), position: LonLat(lon: lon, lat: lat), altitude: altitude,
                heading: heading, speed: speed, battery: battery, state: state, waypointIndex: waypointIndex,
                linkQuality: linkQuality, altitudeAMSL: altitudeAMSL, verticalSpeed: verticalSpeed, attitude: attitude))
    }

    /// An optional number: `.some(nil)` when absent or `null`, `nil` when it is not a finite number.
    private static func optional(_ node: JSONNode?) -> Double?? {
        switch node {
        case nil, .null?: return .some(nil)
        case let node?:
            guard let value = double(node) else { return nil }
            return .some(value)
        }
    }

    private static func double(_ node: JSONNode?) -> Double? {
        guard case .number(let number)? = node, number.double.isFinite else { return nil }
        return number.double
    }
}
