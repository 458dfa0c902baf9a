import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolCoordinator
import PatrolModel

extension Patrol.Alerts {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export an alert as an OASIS CAP 1.2 XML message.",
            discussion: "Writes to standard output unless --out names a file.")

        @OptionGroup var options: AlertsOptions

        @Option(name: .customLong("cap"), help: "The alert to export as CAP 1.2, such as alert-1.")
        var id: String

        @Option(help: "The file to write (default: standard output).")
        var out: String?

        @Option(help: "The CAP sender: no spaces, commas, `<` or `&`.")
        var sender: String = "patrol@mumianling"

        func validate() throws {
            try checkAlertID(id)
            guard !sender.isEmpty, sender.count <= 128, !sender.contains(where: { " ,<&".contains($0) }) else {
                throw ValidationError("--sender: 1 to 128 characters, without spaces, commas, `<` or `&`")
            }
        }

        func run() async throws {
            let store = try options.store()
            let rules = try options.rules()
            let alert = try options.alert(id, in: store)
            let placement = rules.placement(of: alert)
            var area = rules.site.name
            if let tower = placement.tower { area += ", tower \(tower)" }
            if let name = rules.site.areas.first(where: { placement.areas.contains($0.id) })?.name {
                area += ", \(name)"
            }
            let message = CAPMessage(sender: sender, senderName: rules.site.name, areaDescription: area)
            let xml = message.render(alert, sent: SystemClock().now())
            guard let out else {
                print(xml, terminator: "")
                return
            }
            do { try xml.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw fail(
                    AlertCommandError(
                        message: "\(out): cannot write the file: \((error as NSError).localizedDescription)"))
            }
            print("wrote \(out)")
        }
    }
}
