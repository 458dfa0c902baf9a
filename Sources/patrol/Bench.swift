import ArgumentParser
import Foundation
import PatrolGeo

extension Patrol {
    /// Benchmarks, run by hand (`benchmarks/transform.sh`); never part of the tests.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure Patrol's own speed (run a release build).",
            subcommands: [TransformBench.self, PlanBench.self])
    }

    struct TransformBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transform",
            abstract:
                "Transform a grid of points EPSG:4326 -> EPSG:4547 through Patrol's Transformer and print the rate.",
            discussion: """
                Prints `swift <points> <seconds> <points per second>` for the in-place batch API and \
                `swift-xyz …` for the [XYZ] API. benchmarks/transform.sh runs it beside raw proj_trans_generic from C.
                """)

        @Option(help: "How many points.")
        var points = 1_000_000

        func validate() throws {
            guard points > 0 else { throw ValidationError("--points must be positive") }
        }

        func run() async throws {
            let transformer: Transformer
            do { transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4547") } catch { throw fail(error) }
            // The same deterministic grid over Luohu as benchmarks/proj_trans_bench.c.
            var x = (0..<points).map { 114.10 + Double($0 % 1000) * 1e-4 }
            var y = (0..<points).map { 22.54 + Double($0 / 1000 % 1000) * 1e-4 }
            var z = [Double](repeating: 0, count: points)
            let xyz = (0..<points).map { XYZ(x[$0], y[$0], z[$0]) }
            let clock = ContinuousClock()
            do {
                let inPlace = try clock.measure { try transformer.transform(x: &x, y: &y, z: &z) }
                report("swift", inPlace, check: (x[points - 1], y[points - 1]))
                var result: [XYZ] = []
                let batch = try clock.measure { result = try transformer.transform(xyz) }
                report("swift-xyz", batch, check: (result[points - 1].x, result[points - 1].y))
            } catch { throw fail(error) }
        }

        private func report(_ name: String, _ duration: Duration, check: (Double, Double)) {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
            let figures = String(
                format: "%.6f %.0f (check %.4f %.4f)", seconds, Double(points) / seconds, check.0, check.1)
            print("\(name) \(points) \(figures)")
        }
    }
}
