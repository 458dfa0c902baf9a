import Foundation
import PatrolCoordinator
import PatrolModel
import PatrolReports
import PatrolStore

extension Patrol.Report {
    /// `patrol report ROUND` for a robot round: its page, JSON and GeoJSON, and with `--csv` or
    /// `--track-geojson` its walked track as the flights' track export writes it.
    func roundReport(_ id: String, store: PatrolStore) throws {
        guard followUp == nil else {
            throw CLIFailure(description: "--follow-up: `\(id)` is a robot round; follow-ups are for drone flights")
        }
        let input = try store.roundReportInput(flightID: id)
        let rendered = try RoundReport.render(input)
        let directory = outputDirectory
        var files = try rendered.write(to: directory)
        if csv {
            let url = directory.appendingPathComponent("round-\(id)-track.csv")
            try TrackExport.csv(input.telemetry).write(to: url, options: .atomic)
            files.append(url)
        }
        if trackGeojson {
            let url = directory.appendingPathComponent("round-\(id)-track.geojson")
            try TrackExport.geojson(input.telemetry, flightID: id).write(to: url, options: .atomic)
            files.append(url)
        }
        let s = rendered.summary
        print(
            "round    \(id): \(s.checkpointsReached) of \(s.checkpoints.count) checkpoints reached"
                + (s.checkpointsMissed.isEmpty ? "" : " (missed: \(s.checkpointsMissed.joined(separator: ", ")))")
                + ", \(s.alerts.count) incident(s), \(s.spoken.count) warning(s) spoken")
        for file in files { print("report   \(file.path)") }
    }

    /// One line per robot round of a day.
    func printRobotRounds(_ summary: DailySummary) {
        for r in summary.robotRounds {
            print(
                "robot    \(r.id): \(r.checkpointsReached) of \(r.checkpoints.count) checkpoints, "
                    + "\(r.alerts.count) incident(s), \(r.spoken.count) warning(s) spoken")
        }
    }
}
