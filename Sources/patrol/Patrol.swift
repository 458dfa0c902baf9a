import ArgumentParser
import Foundation

/// The `patrol` command: plan, fly and review neighbourhood patrols.
@main
struct Patrol: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol",
        abstract: "Coordinate drone and robot patrols of a neighbourhood.",
        discussion: """
            Plans georeferenced patrols (PROJ, GEOS), flies them with devices over ZeroMQ, turns detections \
            into alerts stored in SQLite, and writes a coverage report after every flight. \
            `patrol demo` flies the default hill fire patrol with a simulated drone.
            """,
        subcommands: [
            Demo.self, Sim.self, Validate.self, Plan.self, Schedule.self, Report.self, Alerts.self, Transform.self,
            Convert.self, Keys.self, ServeTest.self, Watch.self, Bench.self, Serve.self, Status.self, Launch.self,
            Pause.self, Resume.self, Return.self, Abort.self, ScheduleShow.self, ScheduleApply.self, Device.self,
        ])
}

/// Where the project's own files are: the current directory if it holds them, otherwise the
/// source tree this binary was built from (so `patrol demo` works from anywhere).
enum ProjectFiles {
    static let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func locate(_ relativePath: String) -> URL {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: here.path) { return here }
        return sourceRoot.appendingPathComponent(relativePath)
    }

    static var defaultScenario: URL { locate("simulators/hill-fire.yaml") }
    static var defaultMission: URL { locate("missions/hill-fire-patrol.yaml") }
}

/// A failure of a command, said in words.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints an error the way compilers do and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return ExitCode.failure
}

extension String {
    /// The string left-aligned in a column `width` characters wide (`%-8@` does not pad on Linux).
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
