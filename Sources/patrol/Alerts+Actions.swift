import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolCoordinator
import PatrolModel

/// The arguments of a command that acts on one alert.
struct AlertActionArguments: ParsableArguments {
    @OptionGroup var options: AlertsOptions

    @Argument(help: "The alert's id, such as alert-1.")
    var id: String

    @Option(help: "Why, in a few words; recorded with the change.")
    var note: String = ""

    func validate() throws {
        try checkAlertID(id)
        guard note.count <= 500 else { throw ValidationError("--note: at most 500 characters") }
    }

    /// Applies `action` by `who` and prints what happened.
    func apply(_ action: AlertAction, by who: String) throws {
        let engine = try options.engine()
        do {
            let alert = try engine.act(action, alertID: id, by: who, reason: note)
            let escalation =
                AlertLifecycle.unhandled.contains(alert.state) ? "escalation continues" : "escalation stopped"
            print("\(alert.id): \(alert.state.rawValue) by \(who); \(escalation)")
        } catch {
            throw fail(error)
        }
    }
}

/// Checks a `--by` value: someone must be named.
func checkActor(_ who: String) throws {
    let trimmed = who.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty, trimmed.count <= 64 else {
        throw ValidationError("--by: name who acts (1 to 64 characters)")
    }
}

extension Patrol.Alerts {
    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an alert: someone has taken it on, and escalation stops.")

        @OptionGroup var arguments: AlertActionArguments

        @Option(help: "Who acknowledges: a person or a party id from responsibility.yaml.")
        var by: String

        func validate() throws { try checkActor(by) }

        func run() async throws { try arguments.apply(.acknowledge, by: by) }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an alert resolved: the problem is fixed.")

        @OptionGroup var arguments: AlertActionArguments

        @Option(help: "Who resolved it.")
        var by: String

        func validate() throws { try checkActor(by) }

        func run() async throws { try arguments.apply(.resolve, by: by) }
    }

    struct FalseAlarm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "false-alarm", abstract: "Mark an alert a false alarm: there was nothing there.")

        @OptionGroup var arguments: AlertActionArguments

        @Option(help: "Who says so (default: operator).")
        var by: String = "operator"

        func validate() throws { try checkActor(by) }

        func run() async throws { try arguments.apply(.falseAlarm, by: by) }
    }
}
