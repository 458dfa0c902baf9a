import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// Checkpoints from a connection of their own: the WAL stops growing without the writer
/// checkpointing, every row stays readable, and stopping gives the writer its checkpoints back.
struct WALCheckpointerTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    func rows(_ range: Range<Int>) -> [TelemetrySample] {
        range.map { i in
            TelemetrySample(
                flightID: "f1", deviceID: "drone-1", sequence: UInt64(i + 1),
                telemetry: Telemetry(
                    time: t0.addingTimeInterval(Double(i)), position: LonLat(lon: 114.13, lat: 22.57), altitude: 50,
                    heading: 90, speed: 8, battery: 0.5, state: .surveying, waypointIndex: i))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func checkpointsRunBesideTheWriter() async throws {
        let directory = TestKit.temporaryDirectory("patrol-checkpoint")
        let path = directory.appendingPathComponent("p.sqlite").path
        let store = try PatrolStore(path: path)
        let checkpointer = try WALCheckpointer(store: store, interval: .milliseconds(20))
        // 40 commits of 200 rows: far more than the 1,000 pages after which the writer would checkpoint.
        for batch in 0..<40 { try store.append(rows(batch * 200..<(batch + 1) * 200)) }
        let deadline = Date().addingTimeInterval(30)
        while checkpointer.checkpoints < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(checkpointer.checkpoints >= 2)
        #expect(checkpointer.lastFailure == nil)
        checkpointer.stop()
        checkpointer.stop()  // idempotent
        #expect(try store.telemetryCount(flightID: "f1") == 8000)
        // A new connection sees every row: checkpointed or in the WAL, nothing is lost.
        #expect(try PatrolStore(path: path).telemetryCount(flightID: "f1") == 8000)
    }
}
