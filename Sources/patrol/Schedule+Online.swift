import ArgumentParser
import Foundation
import PatrolCoordinator

extension Patrol {
    /// Prints a schedule's sorties, one line each.
    static func printScheduleLines(_ lines: [ScheduleLine]) {
        if lines.isEmpty { print("schedule empty") }
        for line in lines {
            print(
                "sortie   \(line.start.formatted(.iso8601)) \(line.vehicle.padded(8)) \(line.mission.padded(24)) "
                    + "\(line.state)  \(line.sortie ?? "")")
        }
    }

    struct ScheduleShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule-show",
            abstract: "The sortie queue of a running coordinator (viewer role); `patrol schedule` plans offline.")

        @OptionGroup var connection: OperatorConnection

        func run() async throws {
            let response = try await connection.perform("schedule_show", [:])
            if !connection.json { printScheduleLines(response.schedule ?? []) }
        }
    }

    struct ScheduleApply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule-apply",
            abstract: "Schedule a day's patrols onto a running coordinator's sortie queue (admin role).",
            discussion: """
                The coordinator schedules its launchable missions that have a `schedule:` onto its fleet for the \
                day, as `patrol schedule --day` does offline (drone sorties and robot rounds), and queues every \
                sortie; each is launched at its time after pre-flight gating.
                """)

        @Option(help: "The day, YYYY-MM-DD in the fleet's time zone (default: today).")
        var day: String?

        @OptionGroup var connection: OperatorConnection

        func run() async throws {
            var args: [String: String] = [:]
            if let day { args["day"] = day }
            let response = try await connection.perform("schedule_apply", args)
            if !connection.json { printScheduleLines(response.schedule ?? []) }
        }
    }
}
