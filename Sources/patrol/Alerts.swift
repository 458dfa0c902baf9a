import ArgumentParser
import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore

extension Patrol {
    /// `patrol alerts …`: review incidents and drive them through their lifecycle.
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Review the alerts in a Patrol database, act on them, and export them.",
            discussion: "Without a subcommand, lists the alerts (`patrol alerts list`).",
            subcommands: [
                List.self, Show.self, Ack.self, Resolve.self, FalseAlarm.self, Escalations.self, Export.self,
                Figures.self, Report.self, SilenceCommand.self, IngestTest.self,
            ],
            defaultSubcommand: List.self)
    }
}

/// The options every `patrol alerts` subcommand shares: the database, and the site whose policy
/// files (`responsibility.yaml`, `escalation.yaml`) apply.
struct AlertsOptions: ParsableArguments {
    @Option(help: "The SQLite database (default: patrol-out/patrol.sqlite).")
    var db: String = "patrol-out/patrol.sqlite"

    @Option(help: "The site folder with the policy files (default: geo/mumianling).")
    var site: String?

    func validate() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); run `patrol demo` first or pass --db")
        }
    }

    func store() throws -> PatrolStore {
        do { return try PatrolStore(path: db) } catch { throw fail(error) }
    }

    func rules() throws -> AlertPolicy {
        let directory = site.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.locate("geo/mumianling")
        do { return try AlertPolicy.load(siteDirectory: directory) } catch { throw fail(error) }
    }

    /// An engine on the wall clock, for commands that change an alert.
    func engine() throws -> EscalationEngine {
        EscalationEngine(
            store: try store(), rules: try rules(), clock: SystemClock(),
            logger: Logger(label: "patrol") { _ in
                SwiftLogNoOpLogHandler()
            })
    }

    /// The alert with `id`, or a clear error.
    func alert(_ id: String, in store: PatrolStore) throws -> Alert {
        let found: Alert?
        do { found = try store.alert(id) } catch { throw fail(error) }
        guard let found else {
            throw fail(AlertCommandError(message: "no alert `\(id)` in \(db); `patrol alerts list` shows them"))
        }
        return found
    }
}

/// An alert id as typed by an operator: checked before it reaches the database.
func checkAlertID(_ id: String) throws {
    guard !id.isEmpty, id.count <= 64, !id.contains(where: { $0.isWhitespace || $0.isNewline }) else {
        throw ValidationError("`\(id)` is not an alert id (such as alert-1)")
    }
}

/// Dates as operators read them: UTC, to the second.
let utcFormat = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

extension Patrol.Alerts {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the alerts recorded in a Patrol database.")

        @OptionGroup var options: AlertsOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let alerts: [Alert]
            do { alerts = try options.store().alerts() } catch { throw fail(error) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(alerts), as: UTF8.self))
                return
            }
            if alerts.isEmpty {
                print("no alerts")
                return
            }
            print(
                "id        kind              state         lon          lat         ±m   seen  conf  "
                    + "first seen (UTC)      source")
            for a in alerts {
                let columns = a.id.padded(10) + a.kind.rawValue.padded(18) + a.state.rawValue.padded(14)
                print(
                    columns
                        + String(
                            format: "%.6f  %.6f  %4.1f  %4d  %.2f  ", a.position.lon, a.position.lat, a.positionError,
                            a.observations,
                            a.confidence) + a.firstSeen.formatted(utcFormat).padded(22) + a.source)
            }
        }
    }
}
