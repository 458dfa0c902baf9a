import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolCoordinator
import PatrolModel
import PatrolStore

extension Patrol.Alerts {
    /// `patrol alerts silence add|list|end`: maintenance windows and silences set by operators.
    struct SilenceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "silence",
            abstract: "Hold back the notifications of matching alerts for a while (maintenance windows).",
            discussion: """
                A silence covers alerts by class, place (area or tower id) and source device; an alert it \
                covers is still opened and recorded, but its escalation notifies nobody until the silence \
                ends (then it goes on where it was). Silences in geo/<site>/silences.yaml apply too.
                """,
            subcommands: [Add.self, List.self, End.self], defaultSubcommand: List.self)
    }
}

extension Patrol.Alerts.SilenceCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a silence.")

        @OptionGroup var options: AlertsOptions

        @Option(name: .customLong("class"), help: "A class it covers (repeat for several; default every class).")
        var classes: [String] = []

        @Option(name: .customLong("place"), help: "An area or tower id it covers (repeat; default the whole site).")
        var places: [String] = []

        @Option(name: .customLong("source"), help: "A source device it covers (`hive-2`, `gw-b2/*`; repeat).")
        var sources: [String] = []

        @Option(help: "When it starts, ISO 8601 with an offset (default now).")
        var start: String?

        @Option(help: "When it ends, ISO 8601 with an offset.")
        var end: String?

        @Option(name: .customLong("for"), help: "How long, instead of --end: minutes (`90`) or hours (`2h`).")
        var duration: String?

        @Option(help: "Who sets it.")
        var by: String

        @Option(help: "Why (required).")
        var reason: String

        @Option(help: "Its id (default silence-N).")
        var id: String?

        func validate() throws {
            try checkActor(by)
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty, reason.count <= 500 else {
                throw ValidationError("--reason: say why, in 1 to 500 characters")
            }
            guard (end == nil) != (duration == nil) else { throw ValidationError("give --end or --for, not both") }
            for c in classes where DetectionClass(rawValue: c) == nil {
                throw ValidationError(
                    "--class: unknown class `\(c)`; expected one of: "
                        + DetectionClass.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let id { try checkAlertID(id) }
        }

        func run() async throws {
            let rules = try options.rules()
            let known = Set(rules.site.areas.map(\.id)).union(rules.site.towers.map(\.id))
            for place in places where !known.contains(place) {
                throw fail(
                    CommandFailure(
                        "--place: no area or tower `\(place)`; expected one of: \(known.sorted().joined(separator: ", "))"
                    ))
            }
            let now = Date()
            let from = try start.map { try Self.time($0, option: "--start") } ?? now
            let until: Date
            if let end {
                until = try Self.time(end, option: "--end")
            } else {
                until = from.addingTimeInterval(try Self.seconds(duration ?? ""))
            }
            guard until > from else { throw fail(CommandFailure("the silence must end after it starts")) }
            let store = try options.store()
            do {
                let number = try store.nextSilenceNumber()
                let silence = Silence(
                    id: id ?? "silence-\(number)", start: from, end: until,
                    classes: Set(classes.compactMap(DetectionClass.init(rawValue:))), places: Set(places),
                    sources: Set(sources), by: by, reason: reason)
                try store.add(silence, at: now)
                print("\(silence.id): \(describe(silence))")
            } catch { throw fail(error) }
        }

        static func time(_ text: String, option: String) throws -> Date {
            guard let date = Silence.parseTime(text) else {
                throw fail(
                    CommandFailure("\(option): `\(text)` is not ISO 8601 with an offset (2026-12-01T09:00:00+08:00)"))
            }
            return date
        }

        static func seconds(_ text: String) throws -> TimeInterval {
            if text.hasSuffix("h"), let hours = Double(text.dropLast()), hours > 0, hours <= 24 * 30 {
                return hours * 3600
            }
            if let minutes = Double(text), minutes > 0, minutes <= 60 * 24 * 30 { return minutes * 60 }
            throw fail(CommandFailure("--for: `\(text)` is not minutes (90) or hours (2h), up to 30 days"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List silences: the site's file and the stored ones.")

        @OptionGroup var options: AlertsOptions

        func run() async throws {
            let rules = try options.rules()
            let stored: [Silence]
            do { stored = try options.store().silences() } catch { throw fail(error) }
            let all = rules.silences.silences.map { ($0, "file") } + stored.map { ($0, "cli") }
            if all.isEmpty { print("no silences") }
            let now = Date()
            for (silence, origin) in all {
                let state = silence.isActive(at: now) ? "active" : (silence.end <= now ? "ended" : "pending")
                print("\(silence.id.padded(16)) \(state.padded(8)) \(origin.padded(5)) \(describe(silence))")
            }
            for rule in rules.silences.inhibitions {
                print(
                    "inhibit: a \(rule.confirmed ? "confirmed " : "")\(rule.when.map(\.rawValue).sorted().joined(separator: "/")) "
                        + "mutes \(rule.mutes.map(\.rawValue).sorted().joined(separator: "/")) in its tower "
                        + "(or within \(Int(rule.radius)) m)")
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a stored silence now.")

        @OptionGroup var options: AlertsOptions

        @Argument(help: "The silence's id.")
        var id: String

        func run() async throws {
            do {
                guard try options.store().endSilence(id, at: Date()) else {
                    throw CommandFailure("no stored silence `\(id)`; `patrol alerts silence list` shows them")
                }
                print("\(id): ended")
            } catch { throw fail(error) }
        }
    }
}

/// One line about a silence: when, what, who and why.
func describe(_ s: Silence) -> String {
    let what = s.classes.isEmpty ? "every class" : s.classes.map(\.rawValue).sorted().joined(separator: ",")
    let place = s.places.isEmpty ? "the whole site" : s.places.sorted().joined(separator: ",")
    let source = s.sources.isEmpty ? "" : " from \(s.sources.sorted().joined(separator: ","))"
    return "\(s.start.formatted(utcFormat)) to \(s.end.formatted(utcFormat)), \(what) in \(place)\(source); "
        + "by \(s.by): \(s.reason)"
}
