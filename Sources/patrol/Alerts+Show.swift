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
            do {
                let deadline = try store.deadline(alertID: id)
                let notifications = try store.notifications(alertID: id)
                // Who answered first, as recorded; the map's answer today only if escalation never started.
                let firstLevel = rules.escalation.levels[0].name
                let recorded = deadline?.responsible ?? notifications.first { $0.level == firstLevel }?.recipient
                summary(alert, rules: rules, responsible: recorded)
                print("transitions")
                for t in try store.alertTransitions(alertID: id) {
                    let from = (t.from?.rawValue ?? "(opened)").padded(12)
                    print(
                        "  \(t.at.formatted(utcFormat))  \(from) -> \(t.to.rawValue.padded(13)) \(t.actor): \(t.reason)"
                    )
                }
                print(notifications.isEmpty ? "notifications: none" : "notifications")
                for n in notifications {
                    let late = n.at.timeIntervalSince(n.due) >= 1 ? " (due \(n.due.formatted(utcFormat)))" : ""
                    let who = Self.describe(n.recipient, rules) + (n.reminder ? "  reminder" : "") + late
                    print("  \(n.at.formatted(utcFormat))  \(n.level.padded(20)) \(who)")
                }
                let held = try store.suppressions(alertID: id)
                if !held.isEmpty { print("held back") }
                for h in held {
                    print(
                        "  \(h.at.formatted(utcFormat))  \(h.kind.padded(20)) until \(h.until.formatted(utcFormat)): \(h.reason)"
                    )
                }
                let actions = try store.actions(alertID: id)
                if !actions.isEmpty { print("automatic actions") }
                for a in actions {
                    let command = a.commandID.map { " [\($0)]" } ?? ""
                    print("  \(a.at.formatted(utcFormat))  \(a.kind.padded(24)) \(a.target)\(command): \(a.reason)")
                }
                guard let deadline else {
                    print("next deadline  none")
                    return
                }
                let step =
                    Self.levelNames(deadline.levels, rules).joined(separator: ", ")
                    + (deadline.reminder ? " (reminder)" : "")
                print("next deadline  \(deadline.due.formatted(utcFormat))  \(step)")
            } catch {
                throw fail(error)
            }
        }

        /// The alert's first lines: what, where, how often seen, and who is responsible.
        func summary(_ alert: Alert, rules: AlertPolicy, responsible: String?) {
            let placement = rules.placement(of: alert)
            let party = responsible ?? rules.map.responsible(for: alert.kind, at: placement).id
            let place = [placement.tower.map { "tower \($0)" }, placement.areas.sorted().first.map { "area \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            let position = String(
                format: "%.6f, %.6f ±%.1f m", alert.position.lat, alert.position.lon, alert.positionError)
            print("\(alert.id)  \(alert.kind.rawValue)  \(alert.state.rawValue)")
            print("  position     \(position)" + (place.isEmpty ? "" : "  (\(place))"))
            print(
                "  seen         \(alert.observations) time(s) by \(alert.source), "
                    + "first \(alert.firstSeen.formatted(utcFormat)), last \(alert.lastSeen.formatted(utcFormat)); "
                    + "confidence " + String(format: "%.2f", alert.confidence))
            if !alert.sources.isEmpty {
                let each = alert.sources.sorted { $0.key < $1.key }
                    .map { "\($0.key) " + String(format: "%.2f", $0.value) }.joined(separator: ", ")
                print("  sources      \(each)" + (alert.confirmed ? "  (confirmed)" : ""))
            }
            if let earlier = alert.reopenedFrom { print("  reopened from \(earlier) (re-ignition)") }
            print("  responsible  \(Self.describe(party, rules))")
        }

        /// The names of the policy's levels at `indices`, skipping any the policy no longer has.
        static func levelNames(_ indices: [Int], _ rules: AlertPolicy) -> [String] {
            let levels = rules.escalation.levels
            return indices.compactMap { levels.indices.contains($0) ? levels[$0].name : nil }
        }

        /// A party as `id (name)`, or the id alone when the map does not know it.
        static func describe(_ id: String, _ rules: AlertPolicy) -> String {
            rules.map.party(id).map { "\(id) (\($0.name))" } ?? id
        }
    }

    struct Escalations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List pending escalation deadlines, the soonest first.")

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
                    let names = Show.levelNames(d.levels, rules)
                    let to = d.levels.filter { levels.indices.contains($0) }.map {
                        rules.escalation.recipient(level: $0, responsible: d.responsible)
                    }
                    let which =
                        names.count > 1 && names.count == levels.count ? "every level" : names.joined(separator: "+")
                    let step = (d.reminder ? "reminder: " : "") + which
                    print(
                        d.due.formatted(utcFormat).padded(22) + d.alertID.padded(10)
                            + (alert?.kind.rawValue ?? "?").padded(18)
                            + (alert?.state.rawValue ?? "?").padded(14) + step.padded(28) + to.joined(separator: ", "))
                }
            } catch {
                throw fail(error)
            }
        }
    }
}
