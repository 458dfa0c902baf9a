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
        return lines.joined(separator: "\n") + "\n"
    }
}
