import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolStore

extension Patrol.Alerts {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one alert: where, who is responsible, its transitions, notifications and next deadline.")

        @OptionGroup var options: AlertsOptions

        @Argument(help: "The alert's id, such as alert-1.")
        var id: String

        func validate() throws { try checkAlertID(id) }

        func run() async throws {
            let store = try options.store()
            let rules = try options.rules()
            let alert = try options.alert(id, in: store)
            let placement = rules.placement(of: alert)
            do {
                let deadline = try store.deadline(alertID: id)
                let responsible = deadline?.responsible ?? rules.map.responsible(for: alert.kind, at: placement).id
                print("\(alert.id)  \(alert.kind.rawValue)  \(alert.state.rawValue)")
                let place = [placement.tower.map { "tower \($0)" }, placement.areas.sorted().first.map { "area \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                print(
                    "  position     " + String(format: "%.6f, %.6f ±%.1f m", alert.position.lat, alert.position.lon, alert.positionError)
                        + (place.isEmpty ? "" : "  (\(place))"))
                print(
                    "  seen         \(alert.observations) time(s) by \(alert.source), first \(alert.firstSeen.formatted(utcFormat)), "
                        + "last \(alert.lastSeen.formatted(utcFormat)); confidence " + String(format: "%.2f", alert.confidence))
                print("  responsible  \(Self.describe(responsible, rules))")
                print("transitions")
                for t in try store.alertTransitions(alertID: id) {
                    let from = t.from?.rawValue ?? "(opened)"
                    print("  \(t.at.formatted(utcFormat))  \(from.padded(12)) -> \(t.to.rawValue.padded(13)) \(t.actor): \(t.reason)")
                }
                let notifications = try store.notifications(alertID: id)
                print(notifications.isEmpty ? "notifications: none" : "notifications")
                for n in notifications {
                    let late = n.at.timeIntervalSince(n.due) >= 1 ? " (due \(n.due.formatted(utcFormat)))" : ""
                    print(
                        "  \(n.at.formatted(utcFormat))  \(n.level.padded(20)) \(Self.describe(n.recipient, rules))"
                            + (n.reminder ? "  reminder" : "") + late)
                }
                if let deadline {
                    let levels = deadline.levels.compactMap { rules.escalation.levels.indices.contains($0) ? rules.escalation.levels[$0].name : nil }
                    print("next deadline  \(deadline.due.formatted(utcFormat))  \(levels.joined(separator: ", "))\(deadline.reminder ? " (reminder)" : "")")
                } else {
                    print("next deadline  none")
                }
            } catch {
                throw fail(error)
            }
        }

        /// A party as `id (name)`, or the id alone when the map does not know it.
        static func describe(_ id: String, _ rules: AlertPolicy) -> String {
            rules.map.party(id).map { "\(id) (\($0.name))" } ?? id
        }
    }

    struct Escalations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pending escalation deadlines, the soonest first.")

        @OptionGroup var options: AlertsOptions

        func run() async throws {
            let store = try options.store()
            let rules = try options.rules()
            do {
                let deadlines = try store.deadlines()
                if deadlines.isEmpty {
                    print("no pending escalations")
                    return
                }
                print("due (UTC)             alert     kind              state         step                        to")
                for d in deadlines {
                    let alert = try store.alert(d.alertID)
                    let levels = rules.escalation.levels
                    let names = d.levels.compactMap { levels.indices.contains($0) ? levels[$0].name : nil }
                    let to = d.levels.filter { levels.indices.contains($0) }.map {
                        rules.escalation.recipient(level: $0, responsible: d.responsible)
                    }
                    let which = names.count > 1 && names.count == levels.count ? "every level" : names.joined(separator: "+")
                    let step = (d.reminder ? "reminder: " : "") + which
                    print(
                        d.due.formatted(utcFormat).padded(22) + d.alertID.padded(10) + (alert?.kind.rawValue ?? "?").padded(18)
                            + (alert?.state.rawValue ?? "?").padded(14) + step.padded(28) + to.joined(separator: ", "))
                }
            } catch {
                throw fail(error)
            }
        }
    }
}
