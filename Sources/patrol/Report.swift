import ArgumentParser
import Foundation
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolReports
import PatrolStore

extension Patrol {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Rebuild a flight's report from the database, export its track, plan a follow-up, or report a day.",
            discussion: """
                `patrol report FLIGHT` re-renders the flight's HTML, JSON and GeoJSON report from the database alone, \
                byte-identical to the one written after landing. `--csv` and `--track-geojson` export the flown track. \
                `--follow-up FILE.yaml` writes a mission covering exactly the flight's gaps (one file per gap). \
                `patrol report --day YYYY-MM-DD` reports, per patrol area, how long ago each part was last seen.
                """)

        @Argument(help: "The flight id (see `patrol report --list`).")
        var flight: String?

        @Option(help: "The SQLite database (default: patrol-out/patrol.sqlite).")
        var db: String = "patrol-out/patrol.sqlite"

        @Option(help: "Where the files go (default: the database's directory).")
        var out: String?

        @Flag(help: "Also write the flown track as CSV: time, position, altitude, heading, speed, battery, state.")
        var csv = false

        @Flag(help: "Also write the flown track as GeoJSON points with time, altitude, battery and state.")
        var trackGeojson = false

        @Option(help: "Write a mission covering the flight's gaps to this YAML file (FILE-1.yaml… for several gaps).")
        var followUp: String?

        @Option(
            help:
                "Report a whole day (YYYY-MM-DD, the site's local day) instead of one flight: staleness per patrol area."
        )
        var day: String?

        @Option(help: "With --day: the local time (HH:MM) at which staleness is measured (default: end of day).")
        var at: String?

        @Option(
            help: "With --day: the fleet file whose time_zone the day is local to (default: geo/mumianling/fleet.yaml)."
        )
        var fleet: String?

        @Option(help: "With --day: the time zone, an IANA id such as Asia/Shanghai (default: the fleet file's).")
        var timeZone: String?

        @Flag(help: "List the flights in the database.")
        var list = false

        func validate() throws {
            guard FileManager.default.fileExists(atPath: db) else {
                throw ValidationError("no database at \(db); run `patrol demo` first or pass --db")
            }
            if !list && (flight == nil) == (day == nil) {
                throw ValidationError("give a flight id or --day YYYY-MM-DD (or --list)")
            }
            if day != nil && (csv || trackGeojson || followUp != nil) {
                throw ValidationError("--csv, --track-geojson and --follow-up are for one flight, not --day")
            }
        }

        var outputDirectory: URL {
            out.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: db).deletingLastPathComponent()
        }

        func run() async throws {
            do {
                let store = try PatrolStore(path: db)
                if list {
                    for f in try store.flights() {
                        print(f.id.padded(48) + f.status.rawValue.padded(11) + (f.startedAt.map { "\($0)" } ?? "–"))
                    }
                } else if let day {
                    try dayReport(day, store: store)
                } else if let flight {
                    try flightReport(flight, store: store)
                }
            } catch let error as ExitCode {
                throw error
            } catch { throw fail(error) }
        }

        /// The site's time zone: `--time-zone`, else the fleet file's `time_zone`.
        func siteTimeZone() throws -> TimeZone {
            if let timeZone {
                guard let zone = TimeZone(identifier: timeZone) else {
                    throw CLIFailure(description: "--time-zone \(timeZone): not a time zone id such as Asia/Shanghai")
                }
                return zone
            }
            let file = fleet.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.locate("geo/mumianling/fleet.yaml")
            let loaded = try Fleet.load(from: file)
            guard let zone = TimeZone(identifier: loaded.timeZone) else {
                throw CLIFailure(description: "\(file.path): time_zone `\(loaded.timeZone)` is not a time zone id")
            }
            return zone
        }

        func dayReport(_ day: String, store: PatrolStore) throws {
            let zone = try siteTimeZone()
            var asOf: Date?
            if let at {
                let parts = at.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, (0...24).contains(parts[0]), (0..<60).contains(parts[1]),
                    let start = PatrolStore.day(day, timeZone: zone)?.start
                else {
                    throw CLIFailure(description: "--at \(at): expected HH:MM (\(zone.identifier)) and a valid --day")
                }
                asOf = start + Double(parts[0] * 3600 + parts[1] * 60)
            }
            let rendered = try DailyReport.render(
                try store.dailyReportInput(day: day, asOf: asOf, timeZone: zone))
            let s = rendered.summary
            print(
                "day      \(s.day) (\(s.timeZone)) on site \(s.siteID): \(s.rounds.count) rounds, staleness at \(s.asOf)"
            )
            for a in s.areas {
                print(
                    "area     \(a.id): fresh \(CLIFormat.percent(a.freshPercent)) now, "
                        + "\(CLIFormat.percent(a.freshOverDayPercent)) over the day, "
                        + "not seen \(CLIFormat.percent(a.neverSeenPercent)) "
                        + "(max staleness \(Int(a.maximumStaleness / 60)) min)"
                )
            }
            printRobotRounds(s)
            for file in try rendered.write(to: outputDirectory) { print("report   \(file.path)") }
        }

        func flightReport(_ id: String, store: PatrolStore) throws {
            if try store.robotRound(id) != nil { return try roundReport(id, store: store) }
            let input = try store.reportInput(flightID: id)
            let rendered = try FlightReport.render(input)
            let directory = outputDirectory
            var files = try rendered.write(to: directory)
            if csv {
                let url = directory.appendingPathComponent("\(rendered.baseName)-track.csv")
                try TrackExport.csv(input.telemetry).write(to: url, options: .atomic)
                files.append(url)
            }
            if trackGeojson {
                let url = directory.appendingPathComponent("\(rendered.baseName)-track.geojson")
                try TrackExport.geojson(input.telemetry, flightID: id).write(to: url, options: .atomic)
                files.append(url)
            }
            print(
                "flight   \(id): coverage \(CLIFormat.percent(rendered.coverage.percent)), "
                    + "\(rendered.coverage.gapCount) gaps (\(CLIFormat.area(rendered.coverage.gapArea)))")
            for file in files { print("report   \(file.path)") }
            if let followUp {
                let missions = try FollowUp.missions(
                    gaps: rendered.coverage.gaps, input: input, check: FollowUpCheck.planner(site: input.site))
                let written = try FollowUpFiles.write(
                    missions, siteFile: try store.flightPlan(id)?.siteFile, flightID: id,
                    to: URL(fileURLWithPath: followUp))
                if written.isEmpty { print("follow-up none: the flight left no gaps") }
                let frame = try SiteFrame(crs: input.site.crs)
                for (file, mission) in zip(written, missions) {
                    guard case .areaCoverage(.inline(let area)) = mission.kind else { continue }
                    print("follow-up \(file.path): \(CLIFormat.area(try frame.project(area).area)) to sweep")
                }
            }
        }
    }
}

/// Figures for the command line, the way the report prints them.
enum CLIFormat {
    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value) }
    static func area(_ value: Double) -> String { String(format: "%.0f m²", value) }
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
}
