import Foundation
import PatrolCoordinator
import PatrolModel
import PatrolTestKit
import Testing

struct ServeConfigurationTests {
    /// The documented example, with its keys present.
    func example(_ edit: (String) -> String = { $0 }) throws -> URL {
        let directory = TestKit.temporaryDirectory("patrol-serve-config")
        let keys = directory.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        for name in ["coordinator.key", "devices.yaml", "operators.yaml"] {
            _ = FileManager.default.createFile(atPath: keys.appendingPathComponent(name).path, contents: Data())
        }
        let root = TestKit.repositoryRoot.path
        let text = try String(contentsOf: TestKit.file("deploy/patrol.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "../geo/", with: "\(root)/geo/")
            .replacingOccurrences(of: "../missions/", with: "\(root)/missions/")
            .replacingOccurrences(of: "../keys/", with: "keys/")
        return try TestKit.write(edit(text), to: "patrol.yaml", in: directory)
    }

    @Test func theDocumentedExampleLoads() throws {
        let configuration = try ServeConfiguration.load(from: try example())
        #expect(configuration.endpoints.devices == "tcp://127.0.0.1:5555")
        #expect(configuration.endpoints.operators == "tcp://127.0.0.1:5556")
        #expect(configuration.endpoints.events == "tcp://127.0.0.1:5557")
        #expect(configuration.endpoints.metrics == "127.0.0.1:9464")
        #expect(configuration.onShutdown == .hold)
        #expect(configuration.missionFiles.count == 3)
        let setup = try ServeSetup.load(configuration)
        #expect(setup.missions["hill-fire-patrol"] != nil)
        #expect(setup.fleet.drones.count == 2)
    }

    @Test func optionalEndpointsAndPolicyAreRead() throws {
        let url = try example {
            $0.replacingOccurrences(of: "# events:", with: "events:")
                .replacingOccurrences(of: "# metrics:", with: "metrics:")
                .replacingOccurrences(of: "on_shutdown: hold", with: "on_shutdown: return")
        }
        let configuration = try ServeConfiguration.load(from: url)
        #expect(configuration.endpoints.events == "tcp://127.0.0.1:5557")
        #expect(configuration.endpoints.metrics == "127.0.0.1:9464")
        #expect(configuration.onShutdown == .return)
    }

    @Test func mistakesAreNamedByFileLineAndField() throws {
        let cases: [((String) -> String, String)] = [
            (
                { $0.replacingOccurrences(of: "on_shutdown: hold", with: "on_shutdown: land") },
                "on_shutdown: unknown value `land`"
            ),
            ({ $0 + "\nlisten: 1\n" }, "listen: unknown field `listen`"),
            (
                { $0.replacingOccurrences(of: "tcp://127.0.0.1:5556", with: "127.0.0.1:5556") },
                "endpoints.operators: expected a ZeroMQ endpoint"
            ),
            (
                { $0.replacingOccurrences(of: "hill-fire-patrol.yaml", with: "nowhere.yaml") },
                "missions[0]: no such file"
            ),
            (
                { $0.replacingOccurrences(of: "tcp://127.0.0.1:5556", with: "tcp://127.0.0.1:5555") },
                "devices and operators need their own endpoints"
            ),
            (
                { $0.replacingOccurrences(of: "log_level: info", with: "log_level: loud") },
                "log_level: unknown level `loud`"
            ),
        ]
        for (edit, expected) in cases {
            let url = try example(edit)
            #expect(throws: LoadError.self) { try ServeConfiguration.load(from: url) }
            do {
                _ = try ServeConfiguration.load(from: url)
            } catch {
                #expect(error.description.hasPrefix(url.path + ":"), "\(error)")
                #expect(error.description.contains(expected), "\(error)")
                #expect(error.line != nil, "\(error)")
            }
        }
    }
}
