import Foundation
import PatrolTestKit
import Testing

/// `patrol bench schedule`'s choice of days, run as a real process (Patrol's rows only: the
/// comparison with OR-Tools is a benchmark, never run in tests).
@Suite(.serialized)
struct BenchScheduleCommandTests {
    let cli = CommandLineTests()

    @Test func heldOutSeedsAreARangeOrAList() async throws {
        let out = TestKit.temporaryDirectory("patrol-bench-schedule")
        let r = try await cli.patrol(
            "bench", "schedule", "--sizes", "5", "--seeds", "4-5", "--no-compare", "--out", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("seeds 4,5,"), "\(r.stdout)")
        #expect(r.stdout.contains("| v5-s4 | 5 |") && r.stdout.contains("| v5-s5 | 5 |"))
        #expect(!r.stdout.contains("| v5-s1 |"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["v5-s4.json", "v5-s5.json"])

        for bad in ["0", "5-4", "x", "3,y"] {
            let refused = try await cli.patrol("bench", "schedule", "--seeds", bad, "--no-compare")
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--seeds"), "\(bad): \(refused.stderr)")
        }
        let solvers = try await cli.patrol("bench", "schedule", "--solvers", "gurobi", "--no-compare")
        #expect(solvers.status != 0)
        #expect(solvers.stderr.contains("--solvers"), "\(solvers.stderr)")
    }
}
