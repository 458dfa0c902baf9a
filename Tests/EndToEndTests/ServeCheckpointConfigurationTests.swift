import Foundation
import PatrolCoordinator
import PatrolModel
import PatrolTestKit
import Testing

/// `store_checkpoints` in `patrol serve`'s configuration: WAL checkpoints on their own thread
/// (the default) or in the committing connection.
struct ServeCheckpointConfigurationTests {
    @Test func checkpointsRunInTheBackgroundUnlessTheWriterIsAsked() throws {
        let example = ServeConfigurationTests()
        let line = "store_checkpoints: background"
        #expect(try ServeConfiguration.load(from: try example.example()).backgroundCheckpoints)
        let writer = try example.example { $0.replacingOccurrences(of: line, with: "store_checkpoints: writer") }
        #expect(try ServeConfiguration.load(from: writer).backgroundCheckpoints == false)
        let absent = try example.example { $0.replacingOccurrences(of: line, with: "") }
        #expect(try ServeConfiguration.load(from: absent).backgroundCheckpoints)
        let bad = try example.example { $0.replacingOccurrences(of: line, with: "store_checkpoints: sometimes") }
        do {
            _ = try ServeConfiguration.load(from: bad)
            Issue.record("a bad value was accepted")
        } catch {
            #expect("\(error)".contains("store_checkpoints"), "\(error)")
            #expect("\(error)".contains("expected background or writer"), "\(error)")
        }
    }
}
