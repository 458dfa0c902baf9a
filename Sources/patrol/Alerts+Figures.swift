import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolModel
import PatrolStore

extension Patrol.Alerts {
    struct Figures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time to acknowledge and time to close, per class and per responsible party (medians).")

        @OptionGroup var options: AlertsOptions

        @Flag(help: "Print JSON instead of tables.")
        var json = false

        func run() async throws {
            let store = try options.store()
            let figures: AlertFigures
            do {
                let transitions = try store.alertTransitionsByAlert()
                let parties = try store.firstRecipients(level: "outer_loop")
                figures = AlertFigures(
                    try store.alerts().map {
                        AlertHistory(alert: $0, transitions: transitions[$0.id] ?? [], responsible: parties[$0.id])
                    })
            } catch {
                throw fail(error)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let document = ["by_class": figures.byClass, "by_party": figures.byParty]
                print(String(decoding: try encoder.encode(document), as: UTF8.self))
                return
            }
            Self.table("class", figures.byClass)
            print("")
            Self.table("party", figures.byParty)
        }

        static func table(_ title: String, _ rows: [AlertFigures.Row]) {
            print(title.padded(22) + "alerts  acknowledged  median to ack  closed  median to close")
            for r in rows {
                print(
                    r.key.padded(22) + "\(r.alerts)".padded(8) + "\(r.acknowledged)".padded(14)
                        + duration(r.medianToAcknowledge).padded(15) + "\(r.closed)".padded(8)
                        + duration(r.medianToClose))
            }
        }

        /// `6m 10s`, `1h 02m`, or `-` when there is nothing to measure.
        static func duration(_ seconds: TimeInterval?) -> String {
            guard let seconds else { return "-" }
            let s = Int(seconds.rounded())
            if s >= 3600 { return String(format: "%dh %02dm", s / 3600, s % 3600 / 60) }
            return s >= 60 ? String(format: "%dm %02ds", s / 60, s % 60) : "\(s)s"
        }
    }
}
