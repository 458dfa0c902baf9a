import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolReports

/// Writes follow-up missions as mission files.
enum FollowUpFiles {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `missions` to `file` (one mission) or to `file-1.yaml`, `file-2.yaml`… (several).
    ///
    /// - Parameter siteFile: the site file recorded with the flight; the missions name it.
    /// - Returns: the files written, none when there are no missions.
    static func write(_ missions: [Mission], siteFile: String?, flightID: String, to file: URL) throws -> [URL] {
        guard !missions.isEmpty else { return [] }
        guard let siteFile else {
            throw Failure(
                description: "flight `\(flightID)` has no site file in its record; a follow-up mission must name one")
        }
        let directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stem = file.deletingPathExtension().lastPathComponent
        let ext = file.pathExtension.isEmpty ? "yaml" : file.pathExtension
        return try missions.enumerated().map { index, mission in
            let url = missions.count == 1 ? file : directory.appendingPathComponent("\(stem)-\(index + 1).\(ext)")
            let comment = "Follow-up patrol covering gap \(index + 1) of \(missions.count) left by flight \(flightID)."
            try Data(mission.yaml(site: siteFile, comment: comment).utf8).write(to: url, options: .atomic)
            return url
        }
    }
}

/// The planner's side of a follow-up: whether a mission's sweep covers its gap.
enum FollowUpCheck {
    /// Plans `mission` over `site` and accepts it when its swaths leave at most `tolerance` of
    /// the gap's area unswept; a mission that cannot be planned is refused.
    static func planner(site: Site, tolerance: Double = 0.005) -> FollowUp.Check {
        { mission, gap in
            let plan = try CoveragePlanner.plan(mission, site: site)
            let swaths = try MultiPolygon.union(
                plan.sweepLines.map { (line) throws(GeoError) in try line.swath(width: plan.footprint.width) })
            return try MultiPolygon(gap).difference(swaths).area <= tolerance * gap.area
        }
    }
}
