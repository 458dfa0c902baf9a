import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore

extension Patrol {
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the alerts recorded in a Patrol database.")

        @Option(help: "The SQLite database (default: patrol-out/patrol.sqlite).")
        var db: String = "patrol-out/patrol.sqlite"

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            guard FileManager.default.fileExists(atPath: db) else {
                throw ValidationError("no database at \(db); run `patrol demo` first or pass --db")
            }
        }

        func run() async throws {
            let alerts: [Alert]
            do { alerts = try PatrolStore(path: db).alerts() } catch { throw fail(error) }
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
            print("id        kind    state         lon          lat         ±m   seen  conf  first seen (UTC)      source")
            let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
            for a in alerts {
                let columns = a.id.padded(10) + a.kind.rawValue.padded(8) + a.state.rawValue.padded(14)
                print(
                    columns
                        + String(
                            format: "%.6f  %.6f  %4.1f  %4d  %.2f  ", a.position.lon, a.position.lat, a.positionError, a.observations,
                            a.confidence) + a.firstSeen.formatted(format).padded(22) + a.source)
            }
        }
    }
}
