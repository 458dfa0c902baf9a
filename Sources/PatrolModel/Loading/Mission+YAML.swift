import Foundation
import PatrolGeo

extension Mission {
    /// The mission as a mission file that ``Mission/load(from:)`` reads back.
    ///
    /// An inline area is written as one ring of `[lon, lat]` pairs with 8 decimals (about
    /// 1 mm); holes are not written, since mission files draw one ring.
    ///
    /// - Parameters:
    ///   - site: the `site:` path, relative to the file to be written or absolute.
    ///   - comment: a first line of comment, such as where the mission came from.
    public func yaml(site: String, comment: String? = nil) -> String {
        let kindName: String
        switch kind {
        case .areaCoverage: kindName = "area_coverage"
        case .corridor: kindName = "corridor"
        case .facade: kindName = "facade"
        case .robotRound: kindName = "robot_round"
        }
        func number(_ value: Double, _ decimals: Int = 3) -> String {
            var text = String(format: "%.\(decimals)f", value)
            while text.contains("."), text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text
        }
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines: [String] = []
        if let comment { lines += comment.split(separator: "\n").map { "# \($0)" } }
        lines.append("id: \(quoted(id))")
        lines.append("name: \(quoted(name))")
        lines.append("site: \(quoted(site))")
        switch kind {
        case .areaCoverage(let area):
            lines.append("kind: area_coverage")
            switch area {
            case .site(let id): lines.append("area: \(quoted(id))")
            case .inline(let polygon):
                let ring = polygon.exterior.map { "[\(number($0.lon, 8)), \(number($0.lat, 8))]" }
                lines.append("area: [\(ring.joined(separator: ", "))]")
            }
        case .corridor, .facade, .robotRound:
            // Only area-coverage missions are written today (follow-ups of coverage gaps); the
            // other kinds' blocks are not, so say so in the file rather than write a wrong one.
            lines.append("# this mission's \(kindName) block is not written by this version of Patrol")
            lines.append("kind: \(kindName)")
        }
        lines.append("hive: \(quoted(hive))")
        lines.append("altitude_m: \(number(altitude))")
        lines.append("transit_altitude_m: \(number(transitAltitude))")
        lines.append("speed_mps: \(number(speed))")
        lines.append("camera:")
        lines.append("  horizontal_fov_deg: \(number(camera.horizontalFOV))")
        lines.append("  vertical_fov_deg: \(number(camera.verticalFOV))")
        lines.append("  side_overlap: \(number(camera.sideOverlap))")
        lines.append("  front_overlap: \(number(camera.frontOverlap))")
        lines.append("detect: [\(detect.map(\.rawValue).joined(separator: ", "))]")
        if let maximumStaleness { lines.append("max_staleness_min: \(number(maximumStaleness / 60))") }
        if limits != FlightLimits() {
            lines.append("limits:")
            lines.append("  max_altitude_m: \(number(limits.maxAltitudeAGL))")
            lines.append("  geofence_margin_m: \(number(limits.geofenceMargin))")
            lines.append("  endurance_min: \(number(limits.endurance / 60))")
            lines.append("  reserve: \(number(limits.reserve))")
            lines.append("  max_climb_mps: \(number(limits.maxClimbRate))")
            lines.append("  max_descent_mps: \(number(limits.maxDescentRate))")
            lines.append("  max_turn_deg: \(number(limits.maxTurn))")
        }
        if let schedule { lines += schedule.yamlLines(number) }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension PatrolSchedule {
    /// The `schedule:` block that ``PatrolSchedule/load(_:)`` reads back.
    func yamlLines(_ number: (Double, Int) -> String) -> [String] {
        func clock(_ seconds: Double) -> String {
            let minutes = Int((seconds / 60).rounded())
            return "\"" + String(format: "%02d:%02d", minutes / 60, minutes % 60) + "\""
        }
        var lines = ["schedule:"]
        switch recurrence {
        case .every(let interval, let from, let to):
            lines.append("  every_h: \(number(interval / 3600, 4))")
            lines.append("  from: \(clock(from))")
            lines.append("  to: \(clock(to))")
        case .times(let times):
            lines.append("  times: [\(times.map(clock).joined(separator: ", "))]")
        }
        lines.append("  window_min: \(number(window / 60, 3))")
        lines.append("  priority: \(priority)")
        lines.append("  payload: [\(payload.sorted().map(\.rawValue).joined(separator: ", "))]")
        lines.append("  weather:")
        lines.append("    max_wind_mps: \(number(weatherLimits.maxWind, 3))")
        lines.append("    max_rain_mmph: \(number(weatherLimits.maxRain, 3))")
        lines.append("    min_temp_c: \(number(weatherLimits.minTemperature, 3))")
        lines.append("    max_temp_c: \(number(weatherLimits.maxTemperature, 3))")
        return lines
    }
}
